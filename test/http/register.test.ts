import { describe, expect, it } from 'vitest';
import { adminSetup } from '../admin/setup.js';
import { cli } from '../helpers/cli.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';

// POST /register (RFC 7591) over real HTTP, in both modes, with every refusal; then what the operator sees.
const op = { method: 'post', path: '/register' };
const mcpRedirect = 'http://127.0.0.1:33418/callback';

type Setup = Awaited<ReturnType<typeof adminSetup>>;

const register = (s: Setup, metadata: unknown, headers: Record<string, string> = {}) =>
  s.fetch('/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof metadata === 'string' ? metadata : JSON.stringify(metadata),
  });

/** Registers and expects a refusal with this error, writing nothing. */
async function expectRefused(s: Setup, metadata: unknown, error: string, headers: Record<string, string> = {}) {
  const before = (await s.deps.store.listClients()).length;
  const res = await register(s, metadata, headers);
  await expectMatchesSpec(res, op);
  const body = await res.json();
  expect(body, JSON.stringify(metadata).slice(0, 120)).toEqual({ error, error_description: expect.any(String) });
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect((await s.deps.store.listClients()).length).toBe(before);
  return { res, body };
}

const openSetup = (env: Record<string, string> = {}) => adminSetup({ env: { REGISTRATION: 'open', ...env } });
const tokenSetup = () => adminSetup({ env: { REGISTRATION: 'token' } });

describe('POST /register with REGISTRATION=open', () => {
  it('registers a public client and answers the RFC 7591 client information response', async () => {
    const s = await openSetup();
    const res = await register(s, {
      client_name: 'Example MCP client',
      redirect_uris: [mcpRedirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'openid read',
      software_id: 'ignored-because-unknown',
      client_uri: 'https://ignored.example',
    });
    expect(res.status).toBe(201);
    await expectMatchesSpec(res, op);
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(await res.json()).toEqual({
      client_id: 'dyn_1',
      client_id_issued_at: Math.floor(s.deps.clock.now().getTime() / 1000),
      client_name: 'Example MCP client',
      redirect_uris: [mcpRedirect],
      grant_types: ['refresh_token', 'authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'openid read',
    });
    const client = await s.deps.store.findClient('dyn_1');
    expect(client).toMatchObject({ secretHash: null, thirdParty: true, registeredBy: 'dynamic', scopes: ['openid', 'read'] });
    const [audit] = (await s.deps.store.listAuditEvents({ limit: 1, type: 'client.created' })).items;
    expect(audit).toMatchObject({ actor: 'registration', clientId: 'dyn_1', ip: '127.0.0.1', details: expect.objectContaining({ registered_by: 'dynamic' }) });
    const events = await s.deps.store.listEvents({ after: 0, limit: 100, types: ['client.created'] });
    expect(events.at(-1)?.event).toEqual({ type: 'client.created', data: { clientId: 'dyn_1' } });
  });

  it('defaults to a public authorization-code client, and ignores an initial access token it does not need', async () => {
    const s = await openSetup();
    const res = await register(s, { redirect_uris: ['https://app.example/cb'] }, { authorization: 'Bearer whatever' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      client_id: 'dyn_1',
      client_id_issued_at: expect.any(Number),
      redirect_uris: ['https://app.example/cb'],
      grant_types: ['refresh_token', 'authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
  });

  it('refuses a confidential client: open registration is for public clients only', async () => {
    const s = await openSetup();
    for (const method of ['client_secret_basic', 'client_secret_post']) {
      await expectRefused(s, { redirect_uris: [mcpRedirect], token_endpoint_auth_method: method }, 'invalid_client_metadata');
    }
    await expectRefused(s, { grant_types: ['client_credentials'] }, 'invalid_client_metadata');
  });

  it('refuses redirect URIs that are not https or loopback http, or carry a fragment, and requires one', async () => {
    const s = await openSetup();
    const refused = [
      'http://app.example/cb',
      'http://192.168.1.10/cb',
      'https://app.example/cb#frag',
      'http://127.0.0.1/cb#x',
      'com.example.app:/cb',
      'javascript:alert(1)',
      'not a uri',
      '/relative',
    ];
    for (const uri of refused) {
      const { body } = await expectRefused(s, { redirect_uris: [uri] }, 'invalid_redirect_uri');
      expect(body.error_description.length).toBeLessThanOrEqual(300);
    }
    await expectRefused(s, {}, 'invalid_redirect_uri');
    await expectRefused(s, { redirect_uris: [] }, 'invalid_redirect_uri');
    await expectRefused(s, { redirect_uris: 'https://app.example/cb' }, 'invalid_redirect_uri');
    await expectRefused(s, { redirect_uris: Array.from({ length: 21 }, (_, i) => `https://app.example/${i}`) }, 'invalid_redirect_uri');
    for (const uri of ['http://localhost:8080/cb', 'http://[::1]/cb', 'https://app.example/cb?x=1']) {
      expect((await register(s, { redirect_uris: [uri] })).status, uri).toBe(201);
    }
  });

  it('refuses metadata it cannot register: other grants and response types, privileged scopes, bad names and logos, wrong types', async () => {
    const s = await openSetup();
    const base = { redirect_uris: [mcpRedirect] };
    for (const metadata of [
      { ...base, grant_types: ['password'] },
      { ...base, grant_types: ['implicit'] },
      { ...base, grant_types: ['refresh_token'] },
      { ...base, grant_types: [] },
      { ...base, grant_types: 'authorization_code' },
      { ...base, response_types: ['token'] },
      { ...base, response_types: [] },
      { ...base, scope: 'read admin' },
      { ...base, scope: 'introspect' },
      { ...base, scope: 'bad"scope' },
      { ...base, scope: 5 },
      { ...base, client_name: '' },
      { ...base, client_name: 'x'.repeat(101) },
      { ...base, client_name: 'a\u0000b' },
      { ...base, logo_uri: 'http://app.example/logo.png' },
      { ...base, token_endpoint_auth_method: 'private_key_jwt' },
      { ...base, post_logout_redirect_uris: ['http://evil.example/'] },
    ]) {
      await expectRefused(s, metadata, 'invalid_client_metadata');
    }
  });

  it('refuses a body that is not one JSON object with invalid_request', async () => {
    const s = await openSetup();
    for (const body of ['{"redirect_uris": [', '[1]', '"x"', 'null', '{"redirect_uris": [], "redirect_uris": ["https://a.example/cb"]}']) {
      await expectRefused(s, body, 'invalid_request');
    }
    const res = await s.fetch('/register', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'redirect_uris=x' });
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('limits registrations per client IP per hour, counting refused ones too', async () => {
    const s = await openSetup({ REGISTRATION_RATE_LIMIT_PER_IP: '3' });
    expect((await register(s, { redirect_uris: [mcpRedirect] })).status).toBe(201);
    expect((await register(s, { redirect_uris: ['http://app.example/'] })).status).toBe(400);
    expect((await register(s, { redirect_uris: [mcpRedirect] })).status).toBe(201);
    const limited = await register(s, { redirect_uris: [mcpRedirect] });
    expect(limited.status).toBe(429);
    await expectMatchesSpec(limited, op);
    expect(await limited.json()).toEqual({ error: 'too_many_requests', error_description: expect.any(String) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await s.deps.store.listClients()).filter((c) => c.registeredBy === 'dynamic')).toHaveLength(2);
    s.deps.clock.advance(3600);
    expect((await register(s, { redirect_uris: [mcpRedirect] })).status).toBe(201);
  });

  it('announces registration_endpoint in the metadata only while registration is on', async () => {
    const on = await openSetup();
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      expect((await (await on.fetch(path)).json()).registration_endpoint).toBe(`${on.url}/register`);
    }
    const off = await adminSetup();
    expect((await (await off.fetch('/.well-known/oauth-authorization-server')).json()).registration_endpoint).toBeUndefined();
    const res = await register(off, { redirect_uris: [mcpRedirect] });
    expect(res.status).toBe(404);
    await expectMatchesSpec(res, op);
  });
});

describe('POST /register with REGISTRATION=token', () => {
  const create = async (s: Setup, args: string[] = []) => {
    const out = await cli(s.deps, ['registration-token', 'create', ...args, '--json']);
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as { token: string; registration_token: { id: string } };
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses a request without a token, with a wrong one, an expired one, a used-up one and a revoked one', async () => {
    const s = await tokenSetup();
    const metadata = { redirect_uris: [mcpRedirect], token_endpoint_auth_method: 'none' };
    const missing = await expectRefused(s, metadata, 'invalid_token');
    expect(missing.res.status).toBe(401);
    expect(missing.res.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
    const wrong = await expectRefused(s, metadata, 'invalid_token', bearer('not-a-token'));
    expect(wrong.res.headers.get('www-authenticate')).toMatch(/^Bearer realm="tessera", error="invalid_token"/);
    await expectRefused(s, metadata, 'invalid_token', { authorization: 'Basic eDp5' });

    const expiring = await create(s, ['--expires-in', '60']);
    expect((await register(s, metadata, bearer(expiring.token))).status).toBe(201);
    s.deps.clock.advance(60);
    await expectRefused(s, metadata, 'invalid_token', bearer(expiring.token));

    const once = await create(s, ['--uses', '1']);
    expect((await register(s, metadata, bearer(once.token))).status).toBe(201);
    await expectRefused(s, metadata, 'invalid_token', bearer(once.token));

    const revoked = await create(s);
    expect((await cli(s.deps, ['registration-token', 'revoke', revoked.registration_token.id])).code).toBe(0);
    await expectRefused(s, metadata, 'invalid_token', bearer(revoked.token));

    const list = JSON.parse((await cli(s.deps, ['registration-token', 'list', '--json'])).stdout);
    expect(list.registration_tokens.map((t: { status: string; uses: number }) => [t.status, t.uses])).toEqual([
      ['expired', 1],
      ['used_up', 1],
      ['revoked', 0],
    ]);
    expect(JSON.stringify(list)).not.toContain(once.token);
  });

  it('spends no use on a request refused for its metadata, and registers a confidential client that gets tokens with its secret', async () => {
    const s = await tokenSetup();
    const { token, registration_token } = await create(s, ['--uses', '1']);
    await expectRefused(s, { redirect_uris: ['http://app.example/'] }, 'invalid_redirect_uri', bearer(token));
    await expectRefused(s, { grant_types: ['client_credentials'], scope: 'admin' }, 'invalid_client_metadata', bearer(token));

    const res = await register(s, { client_name: 'Reports', grant_types: ['client_credentials'], scope: 'read' }, bearer(token));
    expect(res.status).toBe(201);
    await expectMatchesSpec(res, op);
    const info = await res.json();
    expect(info).toEqual({
      client_id: 'dyn_1',
      client_id_issued_at: expect.any(Number),
      client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      client_secret_expires_at: 0,
      client_name: 'Reports',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'read',
    });
    const [audit] = (await s.deps.store.listAuditEvents({ limit: 1, type: 'client.created' })).items;
    expect(audit?.actor).toBe(`registration:${registration_token.id}`);

    const granted = await s.fetch('/token', {
      ...form({ grant_type: 'client_credentials', scope: 'read' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(info.client_id, info.client_secret) },
    });
    expect(granted.status).toBe(200);
    expect((await granted.json()).scope).toBe('read');
  });

  it('takes an app scheme redirect URI from a token holder, as from an operator', async () => {
    const s = await tokenSetup();
    const { token } = await create(s);
    const res = await register(s, { redirect_uris: ['com.example.app:/cb'], token_endpoint_auth_method: 'none' }, bearer(token));
    expect(res.status).toBe(201);
    expect((await res.json()).redirect_uris).toEqual(['com.example.app:/cb']);
  });

  it('answers hostile bodies with RFC-shaped errors and no 500', async () => {
    const s = await tokenSetup();
    const { token } = await create(s);
    for (const body of [
      '',
      '%00',
      '{"redirect_uris": ["\\u0000"]}',
      '{"redirect_uris": [{}]}',
      `{"client_name": "${'a'.repeat(60_000)}"}`,
      '{"scope": null}',
    ]) {
      for (const headers of [{}, bearer(token), bearer('x.y.z')]) {
        const res = await register(s, body, headers);
        expect(res.status, body.slice(0, 40)).toBeLessThan(500);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(await res.json()).toEqual({ error: expect.stringMatching(/^[a-z_]+$/), error_description: expect.any(String) });
      }
    }
  });
});

describe('registered clients, for the operator', () => {
  it('lists them marked dynamic, in the admin API and the CLI, and deletes them like any client', async () => {
    const s = await openSetup();
    await register(s, { client_name: 'Agent', redirect_uris: [mcpRedirect] });
    const listed = await s.admin('GET', '/admin/clients');
    await expectMatchesSpec(listed, { method: 'get', path: '/admin/clients' });
    const clients = (await listed.json()).clients as { id: string; registered_by: string; third_party: boolean }[];
    expect(clients.map((c) => [c.id, c.registered_by])).toEqual([
      ['billing', 'operator'],
      ['dyn_1', 'dynamic'],
      ['web-app', 'operator'],
    ]);
    expect(clients.find((c) => c.id === 'dyn_1')?.third_party).toBe(true);
    const text = await cli(s.deps, ['clients', 'list']);
    expect(text.stdout).toMatch(/\ndyn_1 +public .* third +dynamic .* Agent\n/);

    const deleted = await s.admin('DELETE', '/admin/clients/dyn_1');
    expect(deleted.status).toBe(200);
    expect(await s.deps.store.findClient('dyn_1')).toBeNull();
  });

  it('makes, lists and revokes registration tokens through the admin API', async () => {
    const s = await tokenSetup();
    const made = await s.admin('POST', '/admin/registration-tokens', { body: { expires_in: 3600, uses: 2 } });
    expect(made.status).toBe(201);
    await expectMatchesSpec(made, { method: 'post', path: '/admin/registration-tokens' });
    const { token, registration_token } = await made.json();
    expect(registration_token).toMatchObject({ id: 'rgt_1', status: 'active', max_uses: 2, uses: 0 });
    expect((await register(s, { redirect_uris: [mcpRedirect], token_endpoint_auth_method: 'none' }, { authorization: `Bearer ${token}` })).status).toBe(201);

    const listed = await s.admin('GET', '/admin/registration-tokens');
    await expectMatchesSpec(listed, { method: 'get', path: '/admin/registration-tokens' });
    expect((await listed.json()).registration_tokens).toEqual([expect.objectContaining({ id: 'rgt_1', uses: 1, status: 'active' })]);

    const revoked = await s.admin('DELETE', '/admin/registration-tokens/rgt_1');
    await expectMatchesSpec(revoked, { method: 'delete', path: '/admin/registration-tokens/{id}' });
    expect((await s.admin('DELETE', '/admin/registration-tokens/rgt_1')).status).toBe(404);
    expect((await s.admin('POST', '/admin/registration-tokens', { body: { uses: 0 } })).status).toBe(400);
    const types = (await s.deps.store.listAuditEvents({ limit: 10 })).items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['registration_token.created', 'registration_token.revoked']));
  });
});

describe('registered clients and the APIs open to registration', () => {
  const mcp = { id: 'mcp', identifier: 'https://mcp.example/mcp', scopes: ['tools'] };
  const notes = { id: 'notes', identifier: 'https://notes.example/api', scopes: ['notes:read'] };
  const apisOf = async (s: Setup, id: string) => {
    const res = await s.admin('GET', `/admin/clients/${id}`);
    await expectMatchesSpec(res.clone(), { method: 'get', path: '/admin/clients/{id}' });
    const { client } = await res.json();
    return { apis: client.apis, default_api: client.default_api };
  };

  it('gives a registering client every API open at that moment, the one open API as its default, for the operator to change later', async () => {
    const s = await openSetup();
    expect((await s.admin('POST', '/admin/apis', { body: { ...mcp, dynamic_registration: true } })).status).toBe(201);
    expect((await s.admin('POST', '/admin/apis', { body: notes })).status).toBe(201);
    const first = await register(s, { client_name: 'Agent', redirect_uris: [mcpRedirect], scope: 'openid' });
    expect(first.status).toBe(201);
    // The RFC 7591 answer is the client's metadata; the API list is the operator's to see.
    expect(Object.keys(await first.json())).not.toContain('apis');
    expect(await apisOf(s, 'dyn_1')).toEqual({ apis: ['mcp'], default_api: 'mcp' });
    const [audit] = (await s.deps.store.listAuditEvents({ limit: 1, type: 'client.created' })).items;
    expect(audit).toMatchObject({ actor: 'registration', details: { apis: ['mcp'], default_api: 'mcp', registered_by: 'dynamic' } });
    const shown = await cli(s.deps, ['clients', 'show', 'dyn_1']);
    expect(shown.stdout).toMatch(/\napis +mcp\ndefault api +mcp\n/);

    // Two open: both listed, no default (a request without resource gets the client's own audience).
    expect((await s.admin('PATCH', '/admin/apis/notes', { body: { dynamic_registration: true } })).status).toBe(200);
    expect((await register(s, { redirect_uris: [mcpRedirect] })).status).toBe(201);
    expect(await apisOf(s, 'dyn_2')).toEqual({ apis: ['mcp', 'notes'], default_api: null });
    expect(await apisOf(s, 'dyn_1')).toEqual({ apis: ['mcp'], default_api: 'mcp' });

    // Closing an API changes what later registrations get; the operator changes a registered client like any other.
    expect((await cli(s.deps, ['apis', 'update', 'mcp', '--no-dynamic-registration'])).code).toBe(0);
    expect((await cli(s.deps, ['apis', 'update', 'notes', '--no-dynamic-registration'])).code).toBe(0);
    expect((await register(s, { redirect_uris: [mcpRedirect] })).status).toBe(201);
    expect(await apisOf(s, 'dyn_3')).toEqual({ apis: [], default_api: null });
    expect(await apisOf(s, 'dyn_2')).toEqual({ apis: ['mcp', 'notes'], default_api: null });
    const changed = await s.admin('PATCH', '/admin/clients/dyn_2', { body: { apis: ['notes'], default_api: 'notes' } });
    expect(changed.status).toBe(200);
    expect(await apisOf(s, 'dyn_2')).toEqual({ apis: ['notes'], default_api: 'notes' });
    // Deleting an API takes it off registered clients as off any other.
    expect((await s.admin('DELETE', '/admin/apis/mcp')).status).toBe(200);
    expect(await apisOf(s, 'dyn_1')).toEqual({ apis: [], default_api: null });
  });

  it('gives no API to a client registering for client_credentials (with an initial access token): no user stands behind its tokens', async () => {
    const s = await tokenSetup();
    expect((await s.admin('POST', '/admin/apis', { body: { ...mcp, dynamic_registration: true } })).status).toBe(201);
    const made = await (await s.admin('POST', '/admin/registration-tokens', { body: { uses: 2 } })).json();
    const headers = { authorization: `Bearer ${made.token}` };
    const machine = await register(s, { grant_types: ['client_credentials'], scope: 'read' }, headers);
    expect(machine.status).toBe(201);
    const info = await machine.json();
    expect(await apisOf(s, info.client_id)).toEqual({ apis: [], default_api: null });
    const asked = await s.fetch('/token', {
      ...form({ grant_type: 'client_credentials', resource: mcp.identifier }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(info.client_id, info.client_secret) },
    });
    expect(asked.status).toBe(400);
    expect(await asked.json()).toEqual({
      error: 'invalid_target',
      error_description: 'resource "https://mcp.example/mcp" is unknown or not allowed for this client',
    });

    const app = await register(s, { redirect_uris: [mcpRedirect], token_endpoint_auth_method: 'none' }, headers);
    expect(await apisOf(s, (await app.json()).client_id)).toEqual({ apis: ['mcp'], default_api: 'mcp' });
  });
});
