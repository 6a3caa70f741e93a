import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { randomIds } from '../../src/lib/ids.js';
import { createClient } from '../../src/services/clients.js';
import { setPassword } from '../../src/services/users.js';
import { sqliteFileStore, tempDir } from '../helpers/deps.js';
import { loginAlice, passwordGrant, seededServer } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form, testServer, type TestServer } from '../helpers/server.js';

const operator = { name: 'cli' };

async function setup(options: { env?: Record<string, string>; dbPath?: string; app?: { maxSessions?: number } } = {}) {
  return seededServer({ env: options.env, store: options.dbPath ? await sqliteFileStore(options.dbPath) : undefined, seed: { app: options.app } });
}

const login = loginAlice;

const refresh = (server: Pick<TestServer, 'fetch'>, token: string, extra: Record<string, string> = {}) =>
  server.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token: token, ...extra }));

const invalidGrant = (description: string) => ({ error: 'invalid_grant', error_description: description });

describe('POST /token grant_type=refresh_token', () => {
  it('rotates: a new refresh token in the same family, a fresh access token with its sid', async () => {
    const server = await setup();
    const first = await login(server);
    const res = await refresh(server, first.refresh_token);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    await expectMatchesSpec(res, { method: 'post', path: '/token' });
    const body = await res.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
      scope: 'read write',
    });
    expect(body.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(body.access_token)).toMatchObject({ sid: 'fam_1', sub: server.alice.id, client_id: 'web-app', scope: 'read write' });
    expect(decodeJwt(body.access_token).jti).not.toBe(decodeJwt(first.access_token).jti);

    // The successor works in turn.
    expect((await refresh(server, body.refresh_token)).status).toBe(200);
  });

  it('never writes a refresh token in clear to the database file', async () => {
    const dir = tempDir();
    const server = await setup({ dbPath: join(dir, 'tessera.db') });
    const first = await login(server);
    const second = await (await refresh(server, first.refresh_token)).json();
    const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1'));
    expect(files.join('').length).toBeGreaterThan(0);
    for (const secret of [first.refresh_token, second.refresh_token]) {
      expect(files.some((content) => content.includes(secret))).toBe(false);
    }
  });

  it('returns the same successor and a fresh access token to a retry within the grace window', async () => {
    const server = await setup();
    const { refresh_token } = await login(server);
    const a = await (await refresh(server, refresh_token)).json();
    server.deps.clock.advance(10);
    const retry = await refresh(server, refresh_token);
    expect(retry.status).toBe(200);
    const b = await retry.json();
    expect(b.refresh_token).toBe(a.refresh_token);
    expect(decodeJwt(b.access_token).jti).not.toBe(decodeJwt(a.access_token).jti);
    expect(decodeJwt(b.access_token).sid).toBe('fam_1');
    expect((await server.deps.store.findFamily('fam_1'))?.revokedAt).toBeNull();
  });

  it('treats a second exchange after the window as theft: the family is revoked and audited', async () => {
    const server = await setup();
    const { refresh_token } = await login(server, {});
    const successor = (await (await refresh(server, refresh_token)).json()).refresh_token;
    server.deps.clock.advance(11);

    const res = await server.fetch('/token', {
      ...form({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'thief/1.0' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(invalidGrant('refresh token was already used; the session has been revoked'));
    expect(await server.deps.store.findFamily('fam_1')).toMatchObject({ revokedAt: 1_700_000_011_000, revokeReason: 'reuse_detected' });

    const events = await server.deps.store.listAuditEvents({ type: 'refresh.reuse_detected', limit: 10 });
    expect(events.items).toEqual([
      expect.objectContaining({ familyId: 'fam_1', userId: server.alice.id, clientId: 'web-app', ip: '127.0.0.1', userAgent: 'thief/1.0' }),
    ]);
    // The legitimate holder's successor is dead too.
    const after = await refresh(server, successor);
    expect(await after.json()).toEqual(invalidGrant('refresh token has been revoked'));
  });

  it('treats a retry after the successor was used as theft, even within the window', async () => {
    const server = await setup();
    const { refresh_token } = await login(server);
    const successor = (await (await refresh(server, refresh_token)).json()).refresh_token;
    expect((await refresh(server, successor)).status).toBe(200);
    const res = await refresh(server, refresh_token);
    expect(await res.json()).toEqual(invalidGrant('refresh token was already used; the session has been revoked'));
    expect((await server.deps.store.findFamily('fam_1'))?.revokeReason).toBe('reuse_detected');
  });

  it('gives 20 parallel exchanges, on two instances sharing one database, one identical successor', async () => {
    const dbPath = join(tempDir(), 'shared.db');
    const one = await setup({ dbPath });
    // The second instance mints real random ids, as a separate process would.
    const two = await testServer({ store: await sqliteFileStore(dbPath), clock: one.deps.clock, ids: randomIds });
    const { refresh_token } = await login(one);

    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => refresh(i % 2 ? two : one, refresh_token)));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(bodies.map((b) => b.refresh_token)).size).toBe(1);
    expect(new Set(bodies.map((b) => decodeJwt(b.access_token).jti)).size).toBe(20);

    // The family is alive: the one successor rotates on.
    expect((await one.deps.store.findFamily('fam_1'))?.revokedAt).toBeNull();
    expect((await refresh(two, bodies[0].refresh_token)).status).toBe(200);
  });

  it('lets exactly one of 20 parallel exchanges succeed when the grace window is 0', async () => {
    const server = await setup({ env: { REFRESH_REUSE_GRACE: '0' } });
    const { refresh_token } = await login(server);
    const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(server, refresh_token)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    for (const res of responses.filter((r) => r.status === 400)) expect((await res.json()).error).toBe('invalid_grant');
    // Without a window every second exchange counts as reuse, so the family ends (README, "Refresh tokens, for client authors").
    expect((await server.deps.store.findFamily('fam_1'))?.revokeReason).toBe('reuse_detected');
  });

  it('refuses a token presented by another client, and leaves it usable by its own', async () => {
    const server = await setup();
    await createClient(server.deps, operator, { id: 'other-app', public: true, grants: ['password'], scopes: ['read', 'write'] });
    const { refresh_token } = await login(server);
    const res = await refresh(server, refresh_token, { client_id: 'other-app' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(invalidGrant('refresh token is invalid'));
    expect((await refresh(server, refresh_token)).status).toBe(200);
    expect((await server.deps.store.findFamily('fam_1'))?.revokedAt).toBeNull();
  });

  it('grants a narrower scope on request, refuses a wider one without consuming the token', async () => {
    const server = await setup();
    const { refresh_token } = await login(server);
    const wider = await refresh(server, refresh_token, { scope: 'read admin' });
    expect(wider.status).toBe(400);
    expect(await wider.json()).toEqual({ error: 'invalid_scope', error_description: 'requested scope exceeds what is allowed: admin' });

    const narrow = await (await refresh(server, refresh_token, { scope: 'read' })).json();
    expect(narrow.scope).toBe('read');
    expect(decodeJwt(narrow.access_token).scope).toBe('read');
    // Omitting scope asks for the scope of the login again (RFC 6749 §6).
    expect((await (await refresh(server, narrow.refresh_token)).json()).scope).toBe('read write');
  });

  it('expires a token left unused for REFRESH_TOKEN_IDLE_TTL', async () => {
    const server = await setup({ env: { REFRESH_TOKEN_IDLE_TTL: '100' } });
    const { refresh_token } = await login(server);
    server.deps.clock.advance(99);
    const next = (await (await refresh(server, refresh_token)).json()).refresh_token;
    server.deps.clock.advance(100);
    expect(await (await refresh(server, next)).json()).toEqual(invalidGrant('refresh token has expired'));
  });

  it('ends every token at the family lifetime, however recently it was rotated', async () => {
    const server = await setup({ env: { REFRESH_TOKEN_IDLE_TTL: '200', REFRESH_FAMILY_TTL: '300' } });
    let { refresh_token } = await login(server);
    for (const step of [150, 140]) {
      server.deps.clock.advance(step);
      refresh_token = (await (await refresh(server, refresh_token)).json()).refresh_token;
    }
    // Rotated at +290; its idle expiry would be +490, but the family ends at +300.
    server.deps.clock.advance(10);
    expect(await (await refresh(server, refresh_token)).json()).toEqual(invalidGrant('refresh token has expired'));
  });

  it('refuses refresh after a password change', async () => {
    const server = await setup();
    const { refresh_token } = await login(server);
    await setPassword(server.deps, operator, server.alice.id, 'a brand new password');
    expect(await (await refresh(server, refresh_token)).json()).toEqual(invalidGrant('refresh token has been revoked'));
  });

  it('answers a missing, unknown or malformed refresh token with a clear error and no 500', async () => {
    const server = await setup();
    const missing = await server.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'web-app' }));
    expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: 'refresh_token is required' });
    for (const token of ['nope', 'a.b.c', '%00', 'x'.repeat(5000)]) {
      const res = await refresh(server, token);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(invalidGrant('refresh token is invalid'));
    }
  });
});

describe('session policy: max_sessions', () => {
  it('with max_sessions=1, a new login revokes the previous one (single-device login)', async () => {
    const server = await setup({ app: { maxSessions: 1 } });
    const phone = await login(server);
    server.deps.clock.advance(5);
    const laptop = await login(server);
    expect(await (await refresh(server, phone.refresh_token)).json()).toEqual(invalidGrant('refresh token has been revoked'));
    expect((await server.deps.store.findFamily('fam_1'))?.revokeReason).toBe('max_sessions');
    expect((await refresh(server, laptop.refresh_token)).status).toBe(200);
  });

  it('with max_sessions=2, the third login revokes only the oldest', async () => {
    const server = await setup({ app: { maxSessions: 2 } });
    for (let i = 0; i < 3; i++) {
      await login(server);
      server.deps.clock.advance(1);
    }
    const families = await Promise.all(['fam_1', 'fam_2', 'fam_3'].map((id) => server.deps.store.findFamily(id)));
    expect(families.map((f) => f?.revokeReason ?? null)).toEqual(['max_sessions', null, null]);
  });
});

describe('POST /refresh', () => {
  it('rotates a token sent as a form field or a JSON body, for a public client without client_id', async () => {
    const server = await setup();
    const { refresh_token } = await login(server);
    const viaForm = await server.fetch('/refresh', form({ refresh_token }));
    expect(viaForm.status).toBe(200);
    expect(viaForm.headers.get('pragma')).toBe('no-cache');
    await expectMatchesSpec(viaForm, { method: 'post', path: '/refresh' });
    const next = (await viaForm.json()).refresh_token;

    const viaJson = await server.fetch('/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: next, scope: 'read' }),
    });
    expect(viaJson.status).toBe(200);
    expect(await viaJson.json()).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token: expect.any(String),
      scope: 'read',
    });
  });

  it('requires a confidential client to authenticate, and then rotates its token', async () => {
    const server = await setup();
    const backend = await createClient(server.deps, operator, { id: 'backend', grants: ['password'], scopes: ['read'] });
    const auth = { authorization: basic('backend', backend.secret!), 'content-type': 'application/x-www-form-urlencoded' };
    const loginRes = await passwordGrant(server, { client_id: undefined }, auth);
    const { refresh_token } = await loginRes.json();

    const anonymous = await server.fetch('/refresh', form({ refresh_token }));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: 'invalid_client', error_description: 'this client must authenticate with its secret' });

    const wrongClient = await server.fetch('/refresh', form({ refresh_token, client_id: 'web-app' }));
    expect(await wrongClient.json()).toEqual(invalidGrant('refresh token is invalid'));

    const ok = await server.fetch('/refresh', { ...form({ refresh_token }), headers: auth });
    expect(ok.status).toBe(200);
  });

  it('answers a request without a refresh token with invalid_request, and garbage without a 500', async () => {
    const server = await setup();
    const empty = await server.fetch('/refresh', { method: 'POST' });
    expect(empty.status).toBe(400);
    await expectMatchesSpec(empty, { method: 'post', path: '/refresh' });
    expect(await empty.json()).toEqual({ error: 'invalid_request', error_description: 'refresh_token is required, in the body or the refresh cookie' });
    const unknown = await server.fetch('/refresh', form({ refresh_token: 'unknown' }));
    expect(await unknown.json()).toEqual(invalidGrant('refresh token is invalid'));
    for (const body of ['{"refresh_token": 5}', '[1]', '{', 'null']) {
      const res = await server.fetch('/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('invalid_request');
    }
  });

  it('keeps the family record up to date: login user agent and IP, last use', async () => {
    const server = await setup();
    const res = await passwordGrant(server, {}, { 'user-agent': 'phone/2.1' });
    const { refresh_token } = await res.json();
    server.deps.clock.advance(60);
    await server.fetch('/refresh', form({ refresh_token }));
    expect(await server.deps.store.findFamily('fam_1')).toEqual({
      id: 'fam_1',
      userId: server.alice.id,
      clientId: 'web-app',
      scope: 'read write',
      audience: server.url,
      createdAt: 1_700_000_000_000,
      authTime: 1_700_000_000_000,
      expiresAt: 1_700_000_000_000 + 2_592_000_000,
      lastUsedAt: 1_700_000_060_000,
      revokedAt: null,
      revokeReason: null,
      userAgent: 'phone/2.1',
      ip: '127.0.0.1',
      provider: null,
      dpopJkt: null,
      browserSessionId: null,
      grants: { [server.url]: ['read', 'write'] },
      amr: 'pwd',
    });
  });
});
