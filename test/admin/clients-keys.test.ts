import { describe, expect, it } from 'vitest';
import { authorizeQuery, pkce } from '../helpers/authorize.js';
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
      name: null,
      logo_uri: null,
      public: false,
      grants: ['client_credentials'],
      scope: 'read',
      audience: null,
      max_sessions: null,
      refresh_cookie: false,
      redirect_uris: [],
      post_logout_redirect_uris: [],
      third_party: false,
      dpop_bound_access_tokens: false,
      apis: [],
      default_api: null,
      require_mfa: false,
      created_at: '2023-11-14T22:13:20.000Z',
      disabled_at: null,
      previous_secret_expires_at: null,
      token_endpoint_auth_method: 'client_secret_basic',
      jwks: null,
      jwks_uri: null,
      require_pushed_authorization_requests: false,
      profile: null,
      registered_by: 'operator',
    });
    const token = await fetch('/token', {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('reports', body.client_secret) },
    });
    expect(token.status).toBe(200);

    const list = await admin('GET', '/admin/clients');
    await expectMatchesSpec(list, { method: 'GET', path: '/admin/clients' });
    const { clients } = await list.json();
    expect(clients.map((c: { id: string }) => c.id)).toEqual(['billing', 'reports', 'web-app']);
    expect(JSON.stringify(clients)).not.toContain(body.client_secret);
    const [event] = (await deps.store.listAuditEvents({ type: 'client.created', limit: 1 })).items;
    expect(event).toMatchObject({ actor: 'admin:billing', clientId: 'reports' });
  });

  it('GET /admin/clients and GET /admin/providers are paged like every admin list, with next_cursor', async () => {
    const { admin, deps } = await adminSetup();
    const walk = async (path: string, key: string) => {
      const ids: string[][] = [];
      for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
        const res = await admin('GET', `${path}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        await expectMatchesSpec(res.clone(), { method: 'GET', path });
        const page = await res.json();
        ids.push(page[key].map((item: { id: string }) => item.id));
        cursor = page.next_cursor ?? null;
      }
      return ids;
    };
    expect(await walk('/admin/clients', 'clients')).toEqual([['billing', 'web-app']]);
    for (const id of ['a-app', 'z-app']) expect((await admin('POST', '/admin/clients', { body: { id, grants: ['client_credentials'] } })).status).toBe(201);
    expect(await walk('/admin/clients', 'clients')).toEqual([
      ['a-app', 'billing'],
      ['web-app', 'z-app'],
    ]);

    for (const id of ['idp1', 'idp2', 'idp3']) {
      await deps.store.insertProvider({
        id,
        issuer: `https://${id}.example`,
        clientId: 'x',
        clientSecret: 'y',
        name: id,
        scope: 'openid',
        signup: true,
        linkByEmail: false,
        allowTokenExchange: false,
        createdAt: 0,
      });
    }
    expect(await walk('/admin/providers', 'providers')).toEqual([['idp1', 'idp2'], ['idp3']]);

    const bad = await admin('GET', '/admin/clients?cursor=nonsense');
    expect({ status: bad.status, body: await bad.json() }).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'cursor is not one this service issued' },
    });
  });

  it.each([
    [{ id: 'x', grants: 'password' }, '"grants" must be an array of strings'],
    [{ id: 'x', max_sessions: 1.5 }, '"max_sessions" must be a whole number or null'],
    [{ id: 'x', public: 'yes' }, '"public" must be true or false'],
    [
      { id: 'x', grants: ['implicit'] },
      'unknown grant "implicit"; use password, client_credentials, refresh_token, authorization_code, urn:ietf:params:oauth:grant-type:token-exchange',
    ],
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
    expect(await res.json()).toEqual({ id: 'web-app', deleted: true, revoked_families: 1, unlinked_identities: 0 });
    expect((await refresh(session.refresh_token)).status).toBe(401);
    const missing = await admin('DELETE', '/admin/clients/web-app');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', error_description: 'no client "web-app"' });
  });
});

describe('admin clients: show, update, rotate the secret', () => {
  const clientCredentials = (fetch: (path: string, init?: RequestInit) => Promise<Response>, secret: string, scope = 'read') =>
    fetch('/token', {
      ...form({ grant_type: 'client_credentials', scope }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', secret) },
    });

  it('GET /admin/clients/{id} shows one client, never its secret', async () => {
    const { admin, serviceSecret } = await adminSetup();
    const res = await admin('GET', '/admin/clients/billing');
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'GET', path: '/admin/clients/{id}' });
    const body = await res.json();
    expect(body.client).toMatchObject({
      id: 'billing',
      public: false,
      grants: ['client_credentials'],
      scope: 'read introspect admin',
      previous_secret_expires_at: null,
    });
    expect(JSON.stringify(body)).not.toContain(serviceSecret);
    expect((await admin('GET', '/admin/clients/nobody')).status).toBe(404);
  });

  it('PATCH /admin/clients/{id} changes only the settings given, checked as at creation, and audits what changed', async () => {
    const { admin, fetch, deps, serviceSecret } = await adminSetup();
    expect((await clientCredentials(fetch, serviceSecret, 'write')).status).toBe(400);
    const res = await admin('PATCH', '/admin/clients/billing', { body: { scope: 'read write', audience: 'https://api.example.com' } });
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'PATCH', path: '/admin/clients/{id}' });
    expect((await res.json()).client).toMatchObject({
      id: 'billing',
      grants: ['client_credentials'],
      scope: 'read write',
      audience: 'https://api.example.com',
      max_sessions: null,
    });
    expect((await clientCredentials(fetch, serviceSecret, 'write')).status).toBe(200);
    const [event] = (await deps.store.listAuditEvents({ type: 'client.updated', limit: 1 })).items;
    expect(event).toMatchObject({ actor: 'admin:billing', clientId: 'billing', details: { scope: 'read write', audience: 'https://api.example.com' } });

    for (const [body, description] of [
      [{}, 'nothing to change: give at least one setting'],
      [
        { public: true },
        'unknown field "public"; allowed: grants, scope, audience, max_sessions, refresh_cookie, redirect_uris, post_logout_redirect_uris, third_party, name, logo_uri, dpop_bound_access_tokens, jwks, jwks_uri, require_pushed_authorization_requests, profile, apis, default_api, require_mfa',
      ],
      [{ grants: ['authorization_code'] }, 'the authorization_code grant needs at least one redirect URI'],
      [{ refresh_cookie: true }, 'refresh cookie mode needs the password or authorization_code grant'],
      [{ grants: ['password'], max_sessions: 0 }, 'max sessions must be a whole number from 1 to 10000'],
    ] as const) {
      const refused = await admin('PATCH', '/admin/clients/billing', { body });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({ error: 'invalid_request', error_description: description });
    }
    expect((await admin('PATCH', '/admin/clients/web-app', { body: { grants: ['client_credentials'] } })).status).toBe(400);
    expect((await admin('PATCH', '/admin/clients/nobody', { body: { scope: 'read' } })).status).toBe(404);
    expect((await deps.store.findClient('billing'))!.grants).toEqual(['client_credentials']);
  });

  it('PATCH /admin/clients/{id} gives an existing app the code flow: /authorize then sends the browser back to the new redirect URI', async () => {
    const { admin, fetch, deps } = await adminSetup();
    const query = authorizeQuery({
      response_type: 'code',
      client_id: 'web-app',
      redirect_uri: 'https://notes.example/cb',
      scope: 'read',
      state: 's',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
    expect((await fetch(query)).status).toBe(400); // not registered: an error page, never a redirect
    const res = await admin('PATCH', '/admin/clients/web-app', {
      body: { grants: ['password', 'authorization_code'], redirect_uris: ['https://notes.example/cb'], third_party: false },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).client).toMatchObject({
      grants: ['password', 'refresh_token', 'authorization_code'],
      redirect_uris: ['https://notes.example/cb'],
      third_party: false,
    });
    expect((await fetch(query)).status).toBe(200); // the login page
    const [event] = (await deps.store.listAuditEvents({ type: 'client.updated', limit: 1 })).items;
    expect(event!.details).toEqual({ grants: ['password', 'refresh_token', 'authorization_code'], redirect_uris: ['https://notes.example/cb'] });
    // A third party never sees a password: the password grant and third_party refuse each other.
    expect(await (await admin('PATCH', '/admin/clients/web-app', { body: { third_party: true } })).json()).toEqual({
      error: 'invalid_request',
      error_description: 'a third-party client cannot use the password grant',
    });
  });

  it('POST /admin/clients/{id}/secret: the new secret works at once, the old one only for the overlap', async () => {
    const { admin, fetch, deps, serviceSecret } = await adminSetup();
    const res = await admin('POST', '/admin/clients/billing/secret', { body: { overlap_seconds: 60 } });
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'POST', path: '/admin/clients/{id}/secret' });
    const { client, client_secret: secret } = await res.json();
    expect(client.previous_secret_expires_at).toBe('2023-11-14T22:14:20.000Z');
    expect((await clientCredentials(fetch, secret)).status).toBe(200);
    expect((await clientCredentials(fetch, serviceSecret)).status).toBe(200);
    deps.clock.advance(60);
    expect((await clientCredentials(fetch, serviceSecret)).status).toBe(401);
    expect((await clientCredentials(fetch, secret)).status).toBe(200);

    // Without an overlap (a leaked secret) the old one stops at once.
    const again = await (await admin('POST', '/admin/clients/billing/secret')).json();
    expect(again.client.previous_secret_expires_at).toBeNull();
    expect((await clientCredentials(fetch, secret)).status).toBe(401);
    expect((await clientCredentials(fetch, again.client_secret)).status).toBe(200);

    const events = (await deps.store.listAuditEvents({ type: 'client.secret_rotated', limit: 5 })).items;
    expect(events.map((e) => e.details)).toEqual([{ overlap_seconds: 0 }, { overlap_seconds: 60 }]);
    expect(JSON.stringify(events)).not.toContain(again.client_secret);
    expect(await (await admin('POST', '/admin/clients/web-app/secret')).json()).toEqual({
      error: 'invalid_request',
      error_description: 'a public client has no secret to rotate',
    });
    expect(await (await admin('POST', '/admin/clients/billing/secret', { body: { overlap_seconds: 604_801 } })).json()).toEqual({
      error: 'invalid_request',
      error_description: 'overlap must be a whole number of seconds from 0 to 604800',
    });
  });
});

describe('admin keys', () => {
  it('GET /admin/keys lists the active key; POST /admin/keys/rotate publishes a next key, or an active one with now', async () => {
    const { admin, deps } = await adminSetup();
    const before = await admin('GET', '/admin/keys');
    await expectMatchesSpec(before, { method: 'GET', path: '/admin/keys' });
    const { keys } = await before.json();
    expect(keys).toEqual([
      { kid: expect.any(String), alg: 'RS256', state: 'active', created_at: '2023-11-14T22:13:20.000Z', activates_at: '2023-11-14T22:13:20.000Z' },
    ]);

    const planned = await admin('POST', '/admin/keys/rotate');
    expect(planned.status).toBe(200);
    await expectMatchesSpec(planned, { method: 'POST', path: '/admin/keys/rotate' });
    const next = (await planned.json()).key;
    expect(next.state).toBe('next');
    expect(Date.parse(next.activates_at)).toBeGreaterThan(deps.clock.now().getTime());

    const now = await admin('POST', '/admin/keys/rotate', { body: { now: true } });
    const { key } = await now.json();
    expect(key).toMatchObject({ state: 'active', activates_at: '2023-11-14T22:13:20.000Z' });
    const states = (await (await admin('GET', '/admin/keys')).json()).keys.map((k: { kid: string; state: string }) => [k.kid === key.kid, k.state]);
    expect(states).toContainEqual([true, 'active']);

    const events = (await deps.store.listAuditEvents({ type: 'key.rotated', limit: 5 })).items;
    expect(events.map((e) => [e.actor, e.details.immediate])).toEqual([
      ['admin:billing', true],
      ['admin:billing', false],
    ]);
  });

  it('still takes the deprecated immediate alone, and refuses it beside now or as a non-boolean', async () => {
    const { admin } = await adminSetup();
    const res = await admin('POST', '/admin/keys/rotate', { body: { immediate: true } });
    await expectMatchesSpec(res.clone(), { method: 'POST', path: '/admin/keys/rotate' });
    expect((await res.json()).key).toMatchObject({ state: 'active' });
    const both = await admin('POST', '/admin/keys/rotate', { body: { now: true, immediate: true } });
    expect({ status: both.status, body: await both.json() }).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'send "now" alone: "immediate" is its deprecated name' },
    });
    for (const body of [{ now: 'yes' }, { immediate: 'yes' }]) {
      const name = Object.keys(body)[0];
      expect(await (await admin('POST', '/admin/keys/rotate', { body })).json()).toEqual({
        error: 'invalid_request',
        error_description: `"${name}" must be true or false`,
      });
    }
  });
});
