import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { adminSetup } from '../admin/setup.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { parsePrometheus } from '../helpers/prometheus.js';
import { passwordGrant } from '../helpers/fixtures.js';
import { cli } from '../helpers/cli.js';
import { makeDeps, testStore } from '../helpers/deps.js';
import { revocationsSettleSeconds } from '../../src/services/instrument.js';

async function scrape(fetch: (path: string) => Promise<Response>) {
  const res = await fetch('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = parsePrometheus(await res.text());
  return (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

describe('GET /metrics', () => {
  it('serves Prometheus text as documented', async () => {
    const { fetch } = await adminSetup();
    const res = await fetch('/metrics');
    await expectMatchesSpec(res, { method: 'GET', path: '/metrics' });
    expect(parsePrometheus(await res.text()).length).toBeGreaterThan(0);
  });

  it('counts requests by route pattern and status, token requests by grant and outcome, and argon2 time', async () => {
    const { fetch, login, admin, alice } = await adminSetup();
    await login();
    await passwordGrant({ fetch }, { password: 'wrong password' });
    await admin('GET', `/admin/users/${alice.id}/families`);
    await fetch('/no/such/path');

    const m = await scrape(fetch);
    expect(m('tessera_token_requests_total', { grant: 'password', outcome: 'issued' })).toBe(1);
    expect(m('tessera_token_requests_total', { grant: 'password', outcome: 'invalid_grant' })).toBe(1);
    expect(m('tessera_token_requests_total', { grant: 'client_credentials', outcome: 'issued' })).toBe(1); // the admin token
    expect(m('tessera_http_requests_total', { method: 'POST', route: '/token', status: '200' })).toBe(2);
    expect(m('tessera_http_requests_total', { method: 'POST', route: '/token', status: '400' })).toBe(1);
    expect(m('tessera_http_requests_total', { method: 'GET', route: '/admin/users/:id/families', status: '200' })).toBe(1);
    expect(m('tessera_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(m('tessera_http_request_duration_seconds_count', { route: '/token' })).toBe(3);
    expect(m('tessera_argon2_duration_seconds_count', { operation: 'verify' })).toBe(2);
  });

  it('counts reuse detections and revocations by reason, and gauges the active families', async () => {
    const { fetch, login, refresh, admin, deps } = await adminSetup();
    const first = await login();
    await login();
    await login();
    expect((await scrape(fetch))('tessera_active_families')).toBe(3);

    await refresh(first.refresh_token);
    deps.clock.advance(60);
    await refresh(first.refresh_token); // reuse: family fam_1 is revoked
    await admin('DELETE', '/admin/families/fam_2?reason=lost%20phone');

    deps.clock.advance(revocationsSettleSeconds);
    const m = await scrape(fetch);
    expect(m('tessera_refresh_reuse_detected_total')).toBe(1);
    expect(m('tessera_families_revoked_total', { reason: 'reuse_detected' })).toBe(1);
    expect(m('tessera_families_revoked_total', { reason: 'other' })).toBe(1);
    expect(m('tessera_token_requests_total', { grant: 'refresh_token', outcome: 'invalid_grant' })).toBe(1);
    expect(m('tessera_active_families')).toBe(1);
  });

  it('counts revocations made by another process on the same store, the CLI, from the store itself', async () => {
    const store = await testStore();
    const { fetch, login, deps } = await adminSetup({ store });
    const { access_token } = await login();
    await login();
    await login();
    // The CLI: deps of its own (its own registry, which no scrape of the server ever sees) on the same database.
    const tessera = await makeDeps({ store, clock: deps.clock, ids: deps.ids });
    expect(await cli(tessera, ['families', 'revoke', decodeJwt(access_token).sid as string])).toMatchObject({ code: 0, stderr: '' });
    expect(await cli(tessera, ['users', 'set-password', 'alice', '--password-stdin'], { stdin: 'another long password\n' })).toMatchObject({ code: 0 });
    expect((await cli(tessera, ['users', 'disable', 'alice'])).code).toBe(0); // her sessions have ended already: nothing more

    // Counted once they have surely committed: a revocation is stamped before its transaction ends.
    deps.clock.advance(revocationsSettleSeconds);
    const m = await scrape(fetch);
    expect(m('tessera_families_revoked_total', { reason: 'admin' })).toBe(1);
    expect(m('tessera_families_revoked_total', { reason: 'password_changed' })).toBe(2);
    expect(m('tessera_families_revoked_total')).toBe(3);
    // Each revocation counts once, however often the server is scraped.
    deps.clock.advance(60);
    expect((await scrape(fetch))('tessera_families_revoked_total')).toBe(3);
  });

  it('keeps a registry per app: a second app starts from zero', async () => {
    const one = await adminSetup();
    await one.login();
    const two = await adminSetup();
    expect((await scrape(two.fetch))('tessera_token_requests_total', { grant: 'password' })).toBe(0);
    expect((await scrape(one.fetch))('tessera_token_requests_total', { grant: 'password' })).toBe(1);
  });
});
