import { describe, expect, it } from 'vitest';
import { auditEventTypes } from '../../src/domain/audit-types.js';
import { recordAudit } from '../../src/services/audit.js';
import { pruneExpired } from '../../src/services/retention.js';
import { alicePassword, passwordGrant } from '../helpers/fixtures.js';
import { expectMatchesSpec, spec } from '../helpers/openapi.js';
import { adminSetup, cli } from './setup.js';

describe('GET /admin/audit', () => {
  it('records every operator action and login, queryable by user, type and time, newest first', async () => {
    const { admin, login, refresh, fetch, alice, deps } = await adminSetup();
    await passwordGrant({ fetch }, { password: 'wrong password' });
    const session = await login();
    expect((await refresh(session.refresh_token)).status).toBe(200);
    deps.clock.advance(60); // past the reuse grace window
    expect((await refresh(session.refresh_token)).status).toBe(400);
    deps.clock.advance(60);
    await admin('POST', '/admin/users', { body: { username: 'bob', password: 'a long enough password' } });
    await admin('POST', '/admin/clients', { body: { id: 'cli-app', public: true, grants: ['password'] } });
    await admin('DELETE', '/admin/clients/cli-app');
    await admin('POST', '/admin/keys/rotate');
    deps.clock.advance(1); // events of one second are ordered by id, which seqIds does not make chronological
    await admin('PUT', `/admin/users/${alice.id}/password`, { body: { password: 'another long password' } });

    const res = await admin('GET', '/admin/audit?limit=100');
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'GET', path: '/admin/audit' });
    const { events, next_cursor } = await res.json();
    expect(next_cursor).toBeNull();
    expect(events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        'login.failed',
        'login.succeeded',
        'refresh.reuse_detected',
        'family.revoked',
        'user.created',
        'client.created',
        'client.deleted',
        'key.rotated',
        'user.password_changed',
      ]),
    );
    expect(events[0]).toMatchObject({ type: 'user.password_changed', actor: 'admin:billing', user_id: alice.id, ip: '127.0.0.1' });
    expect(JSON.stringify(events)).not.toContain(alicePassword);
    expect(JSON.stringify(events)).not.toContain('another long password');
    expect(JSON.stringify(events)).not.toContain(session.refresh_token);

    const reuse = await (await admin('GET', '/admin/audit?type=family.revoked')).json();
    expect(reuse.events).toEqual([expect.objectContaining({ family_id: 'fam_1', user_id: alice.id, details: { reason: 'reuse_detected' } })]);
    const mine = await (await admin('GET', `/admin/audit?user=${alice.id}&since=2023-11-14T22:15:00Z`)).json();
    expect(mine.events.map((e: { type: string }) => e.type)).toEqual(['user.password_changed']);
  });

  it('carries the X-Request-Id of the request behind each event, the id its request log line has', async () => {
    const { fetch, adminToken, admin, deps } = await adminSetup();
    const res = await fetch('/admin/users', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'x-request-id': 'req-create-bob' },
      body: JSON.stringify({ username: 'bob', password: 'a long enough password' }),
    });
    expect(res.status).toBe(201);
    await passwordGrant({ fetch }, { username: 'bob', password: 'wrong' });
    await recordAudit(deps, { name: 'system' }, { type: 'key.encrypted', details: {} });

    const { events } = await (await admin('GET', '/admin/audit?limit=3')).json();
    expect(events.map((e: { type: string; request_id: string | null }) => [e.type, e.request_id])).toEqual([
      ['key.encrypted', null],
      ['login.failed', expect.stringMatching(/^[0-9a-f-]{36}$/)],
      ['user.created', 'req-create-bob'],
    ]);
  });

  it('pages with next_cursor', async () => {
    const { admin, deps } = await adminSetup();
    for (let i = 0; i < 3; i++) await recordAudit(deps, { name: 'system' }, { type: 'key.encrypted', details: { i } });
    const first = await (await admin('GET', '/admin/audit?type=key.encrypted&limit=2')).json();
    expect(first.events.map((e: { details: { i: number } }) => e.details.i)).toEqual([2, 1]);
    const second = await (await admin('GET', `/admin/audit?type=key.encrypted&limit=2&cursor=${first.next_cursor}`)).json();
    expect(second).toEqual({ events: [expect.objectContaining({ details: { i: 0 } })], next_cursor: null });
  });

  it('answers an unknown type with 400, listing the types there are', async () => {
    const { admin } = await adminSetup();
    const res = await admin('GET', '/admin/audit?type=login.failde');
    expect(res.status).toBe(400);
    await expectMatchesSpec(res, { method: 'GET', path: '/admin/audit' });
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: `type must be one of ${auditEventTypes.join(', ')}` });
    const documented = spec.paths['/admin/audit'].get.parameters.find((p: { name: string }) => p.name === 'type');
    expect(documented.schema.enum).toEqual(auditEventTypes);
  });

  it('answers a bad since with 400 and an unknown user with 404', async () => {
    const { admin } = await adminSetup();
    for (const since of ['yesterday', '2024-05-01T12:00:00', '2024-13-45']) {
      const res = await admin('GET', `/admin/audit?since=${since}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error_description).toMatch(/^since must be an ISO 8601 date/);
    }
    const res = await admin('GET', '/admin/audit?user=usr_404');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', error_description: 'no user "usr_404"' });
  });
});

describe('audit retention', () => {
  it('prunes events older than AUDIT_RETENTION and keeps the rest', async () => {
    const { deps } = await adminSetup({ env: { AUDIT_RETENTION: '86400' } });
    await recordAudit(deps, { name: 'system' }, { type: 'key.encrypted', details: { kids: ['old'] } });
    deps.clock.advance(86_400 - 10);
    await recordAudit(deps, { name: 'system' }, { type: 'key.encrypted', details: { kids: ['recent'] } });
    deps.clock.advance(20);
    expect(await pruneExpired(deps)).toBeGreaterThanOrEqual(1);
    const events = (await deps.store.listAuditEvents({ limit: 100 })).items;
    // The seed's events are as old as the first one.
    expect(events.map((e) => [e.type, e.details])).toEqual([['key.encrypted', { kids: ['recent'] }]]);
  });

  it('forgets a session once it ended longer ago than AUDIT_RETENTION, not before', async () => {
    const { deps, login, alice } = await adminSetup({ env: { AUDIT_RETENTION: '86400', REFRESH_FAMILY_TTL: '3600' } });
    await login();
    const listed = async () => (await deps.store.listFamilies({ userId: alice.id, limit: 10 })).items.length;
    deps.clock.advance(3600 + 86_400 - 10); // ended, and within the retention
    await pruneExpired(deps);
    expect(await listed()).toBe(1);
    deps.clock.advance(20);
    await pruneExpired(deps);
    expect(await listed()).toBe(0);
  });
});

describe('tessera audit --user', () => {
  it("reads a deleted user's events by the user's id, while the name is refused and a new user of that name has none of them", async () => {
    const { admin, login, alice, deps } = await adminSetup();
    await login();
    expect((await cli(deps, ['users', 'delete', 'alice'])).code).toBe(0);

    expect(await cli(deps, ['audit', '--user', 'alice'])).toEqual({ code: 1, stdout: '', stderr: 'tessera: no user "alice"\n' });
    const trail = JSON.parse((await cli(deps, ['audit', '--user', alice.id, '--json'])).stdout);
    expect(trail.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['login.succeeded', 'user.deleted']));
    expect(trail.events.every((e: { user_id: string }) => e.user_id === alice.id)).toBe(true);

    const created = await admin('POST', '/admin/users', { body: { username: 'alice', password: 'a long enough password' } });
    const newAlice = (await created.json()).user.id;
    const newTrail = JSON.parse((await cli(deps, ['audit', '--user', 'alice', '--json'])).stdout);
    expect(newTrail.events).toEqual([expect.objectContaining({ type: 'user.created', user_id: newAlice })]);
    expect(JSON.parse((await cli(deps, ['audit', '--user', 'usr_nobody', '--json'])).stdout).events).toEqual([]);
  });
});
