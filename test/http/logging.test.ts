import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { adminSetup } from '../admin/setup.js';
import { alicePassword, passwordGrant } from '../helpers/fixtures.js';
import { basic, form } from '../helpers/server.js';

/** A test server whose JSON log lines are kept in memory. */
async function loggedServer(app: { staticSummaryMs?: number } = {}) {
  const lines: string[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(line) });
  const server = await adminSetup({ log, app });
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...server, lines, entries };
}

describe('request logs', () => {
  it('writes one JSON line per request with its id, method, path without query, status and duration', async () => {
    const { fetch, entries } = await loggedServer();
    const given = await fetch('/readyz?token=abc', { headers: { 'x-request-id': 'req-42' } });
    expect(given.headers.get('x-request-id')).toBe('req-42');
    const generated = await fetch('/no-such-route', { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = generated.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const requests = entries().filter((e) => e.msg === 'request');
    expect(requests.slice(-2)).toEqual([
      {
        level: 30,
        time: expect.any(Number),
        msg: 'request',
        request_id: 'req-42',
        method: 'GET',
        path: '/readyz',
        status: 200,
        duration_ms: expect.any(Number),
      },
      {
        level: 30,
        time: expect.any(Number),
        msg: 'request',
        request_id: id,
        method: 'GET',
        path: '/no-such-route',
        status: 404,
        duration_ms: expect.any(Number),
        error: 'not_found',
      },
    ]);
  });

  it('sums up the static documents in one line per period instead of a line per request', async () => {
    const { fetch, entries } = await loggedServer({ staticSummaryMs: 50 });
    for (const path of ['/.well-known/jwks.json', '/.well-known/jwks.json', '/.well-known/openid-configuration', '/healthz']) {
      expect((await fetch(path)).status).toBe(200);
    }
    const etag = (await fetch('/.well-known/jwks.json')).headers.get('etag')!;
    expect((await fetch('/.well-known/jwks.json', { headers: { 'if-none-match': etag } })).status).toBe(304);
    await fetch('/readyz');

    // Summed over the periods (on a busy machine the answers above may span more than one).
    const summaries = () => entries().filter((e) => e.msg === 'static requests');
    const summed = () => {
      const paths: Record<string, Record<string, number>> = {};
      for (const line of summaries())
        for (const [path, statuses] of Object.entries(line.paths as Record<string, Record<string, number>>))
          for (const [status, n] of Object.entries(statuses)) {
            paths[path] ??= {};
            paths[path][status] = (paths[path][status] ?? 0) + n;
          }
      return { requests: summaries().reduce((sum, line) => sum + (line.requests as number), 0), paths };
    };
    await vi.waitFor(() => expect(summed().requests).toBe(6), { timeout: 2000, interval: 20 });
    expect(summed().paths).toEqual({
      '/.well-known/jwks.json': { '200': 3, '304': 1 },
      '/.well-known/openid-configuration': { '200': 1 },
      '/healthz': { '200': 1 },
    });
    expect(summaries()[0]).toEqual({
      level: 30,
      time: expect.any(Number),
      msg: 'static requests',
      requests: expect.any(Number),
      period_s: expect.any(Number),
      paths: expect.any(Object),
    });
    // A request that is not a static document keeps its own line; a static document gets none.
    // (The setup's token request has its line too.)
    expect(
      entries()
        .filter((e) => e.msg === 'request')
        .map((e) => e.path),
    ).toEqual(['/token', '/readyz']);

    // An idle period writes nothing; the next answer starts a new period.
    const written = summaries().length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(summaries()).toHaveLength(written);
    await fetch('/healthz');
    await vi.waitFor(() => expect(summaries()).toHaveLength(written + 1), { timeout: 2000, interval: 20 });
    expect(summaries().at(-1)).toMatchObject({ requests: 1, paths: { '/healthz': { '200': 1 } } });
  });

  it('names the grant_type, the authenticated client and the OAuth error code of token requests', async () => {
    const { fetch, login, serviceSecret, entries } = await loggedServer();
    await login();
    await passwordGrant({ fetch }, { password: 'a wrong guess of a password' });
    await fetch('/token', {
      ...form({ grant_type: 'client_credentials', scope: 'read' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', `${serviceSecret}x`) },
    });
    await fetch('/token', form({ grant_type: 'urn:example:made-up', client_id: 'web-app' }));
    await passwordGrant({ fetch }, { password: undefined });

    const fields = ({ status, grant_type, client_id, error }: Record<string, unknown>) => ({ status, grant_type, client_id, error });
    expect(
      entries()
        .filter((e) => e.msg === 'request' && e.path === '/token')
        .map(fields)
        .slice(-5),
    ).toEqual([
      { status: 200, grant_type: 'password', client_id: 'web-app', error: undefined },
      { status: 400, grant_type: 'password', client_id: 'web-app', error: 'invalid_grant' },
      // The client failed to authenticate: the id it claimed is not vouched for, so it is not logged.
      { status: 401, grant_type: 'client_credentials', client_id: undefined, error: 'invalid_client' },
      { status: 400, grant_type: 'urn:example:made-up', client_id: undefined, error: 'unsupported_grant_type' },
      { status: 400, grant_type: 'password', client_id: 'web-app', error: 'invalid_request' },
    ]);
  });

  it('warns of a refresh-token reuse with the family, user and client', async () => {
    const { login, refresh, deps, alice, entries } = await loggedServer();
    const session = await login();
    expect((await refresh(session.refresh_token)).status).toBe(200);
    deps.clock.advance(60); // past the reuse grace window
    expect((await refresh(session.refresh_token)).status).toBe(400);

    expect(entries().filter((e) => e.level === 40)).toEqual([
      {
        level: 40,
        time: expect.any(Number),
        msg: 'refresh token reuse detected; session revoked',
        family_id: 'fam_1',
        user_id: alice.id,
        client_id: 'web-app',
        ip: '127.0.0.1',
      },
    ]);
    expect(
      entries()
        .filter((e) => e.msg === 'request')
        .at(-1),
    ).toMatchObject({ status: 400, grant_type: 'refresh_token', client_id: 'web-app', error: 'invalid_grant' });
  });

  it('never contains a token, password or client secret the requests carried', async () => {
    const { fetch, admin, login, refresh, lines, entries, serviceSecret, adminToken } = await loggedServer();
    const session = await login();
    const rotated = await (await refresh(session.refresh_token)).json();
    const created = await (await admin('POST', '/admin/clients', { body: { id: 'reports', scope: 'read' } })).json();
    await admin('POST', '/admin/users', { body: { username: 'bob', password: 'bobs secret password' } });
    await fetch('/token', {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('reports', created.client_secret) },
    });
    await fetch(`/readyz?access_token=${session.access_token}`);
    await passwordGrant({ fetch }, { password: 'a wrong guess of a password' });

    const secrets = [
      alicePassword,
      'bobs secret password',
      'a wrong guess of a password',
      serviceSecret,
      created.client_secret,
      adminToken,
      session.access_token,
      session.refresh_token,
      rotated.access_token,
      rotated.refresh_token,
    ];
    const text = lines.join('');
    expect(entries().filter((e) => e.msg === 'request').length).toBeGreaterThanOrEqual(8);
    for (const secret of secrets) {
      expect(typeof secret).toBe('string');
      expect(text).not.toContain(secret);
    }
  });
});
