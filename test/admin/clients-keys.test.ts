import { describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';
import { adminSetup } from './setup.js';

describe('admin clients', () => {
  it('POST /admin/clients registers a confidential client whose secret, shown once, works at /token', async () => {
    const { admin, fetch, deps } = await adminSetup();
    const res = await admin('POST', '/admin/clients', { body: { id: 'reports', grants: ['client_credentials'], scope: 'read', max_sessions: null } });
    expect(res.status).toBe(201);
    await expectMatchesSpec(res, { method: 'POST', path: '/admin/clients' });
    const body = await res.json();
    expect(body.client).toEqual({
      id: 'reports',
      public: false,
      grants: ['client_credentials'],
      scope: 'read',
      audience: null,
      max_sessions: null,
      refresh_cookie: false,
      created_at: '2023-11-14T22:13:20.000Z',
      disabled_at: null,
    });
    const token = await fetch('/token', { ...form({ grant_type: 'client_credentials' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('reports', body.client_secret) } });
    expect(token.status).toBe(200);

    const list = await admin('GET', '/admin/clients');
    await expectMatchesSpec(list, { method: 'GET', path: '/admin/clients' });
    const { clients } = await list.json();
    expect(clients.map((c: { id: string }) => c.id)).toEqual(['billing', 'reports', 'web-app']);
    expect(JSON.stringify(clients)).not.toContain(body.client_secret);
    const [event] = (await deps.store.listAuditEvents({ type: 'client.created', limit: 1 })).items;
    expect(event).toMatchObject({ actor: 'admin:billing', clientId: 'reports' });
  });

  it.each([
    [{ id: 'x', grants: 'password' }, '"grants" must be an array of strings'],
    [{ id: 'x', max_sessions: 1.5 }, '"max_sessions" must be a whole number or null'],
    [{ id: 'x', public: 'yes' }, '"public" must be true or false'],
    [{ id: 'x', grants: ['implicit'] }, 'unknown grant "implicit"; use password, client_credentials, refresh_token'],
    [{ public: true }, '"id" is required'],
  ])('refuses %j with 400 and registers nothing', async (body, description) => {
    const { admin, deps } = await adminSetup();
    const res = await admin('POST', '/admin/clients', { body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: description });
    expect(await deps.store.findClient('x')).toBeNull();
  });

  it('DELETE /admin/clients/{id} deletes the client and ends its sessions; an unknown one is 404', async () => {
    const { admin, login, refresh } = await adminSetup();
    const session = await login();
    const res = await admin('DELETE', '/admin/clients/web-app');
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'DELETE', path: '/admin/clients/{id}' });
    expect(await res.json()).toEqual({ deleted: 'web-app' });
    expect((await refresh(session.refresh_token)).status).toBe(401);
    const missing = await admin('DELETE', '/admin/clients/web-app');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: 'no client "web-app"' });
  });
});

describe('admin keys', () => {
  it('GET /admin/keys lists the active key; POST /admin/keys/rotate publishes a next key, or an active one with immediate', async () => {
    const { admin, deps } = await adminSetup();
    const before = await admin('GET', '/admin/keys');
    await expectMatchesSpec(before, { method: 'GET', path: '/admin/keys' });
    const { keys } = await before.json();
    expect(keys).toEqual([{ kid: expect.any(String), alg: 'RS256', state: 'active', created_at: '2023-11-14T22:13:20.000Z', activates_at: '2023-11-14T22:13:20.000Z' }]);

    const planned = await admin('POST', '/admin/keys/rotate');
    expect(planned.status).toBe(200);
    await expectMatchesSpec(planned, { method: 'POST', path: '/admin/keys/rotate' });
    const next = (await planned.json()).key;
    expect(next.state).toBe('next');
    expect(Date.parse(next.activates_at)).toBeGreaterThan(deps.clock.now().getTime());

    const now = await admin('POST', '/admin/keys/rotate', { body: { immediate: true } });
    const { key } = await now.json();
    expect(key).toMatchObject({ state: 'active', activates_at: '2023-11-14T22:13:20.000Z' });
    const states = (await (await admin('GET', '/admin/keys')).json()).keys.map((k: { kid: string; state: string }) => [k.kid === key.kid, k.state]);
    expect(states).toContainEqual([true, 'active']);

    const events = (await deps.store.listAuditEvents({ type: 'key.rotated', limit: 5 })).items;
    expect(events.map((e) => [e.actor, e.details.immediate])).toEqual([['admin:billing', true], ['admin:billing', false]]);
  });

  it('refuses a non-boolean immediate', async () => {
    const { admin } = await adminSetup();
    const res = await admin('POST', '/admin/keys/rotate', { body: { immediate: 'yes' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: '"immediate" must be true or false' });
  });
});
