import { describe, expect, it } from 'vitest';
import { oauthErrorStatus } from '../../src/errors/oauth.js';
import { createApp } from '../../src/http/app.js';
import { domainAnswers } from '../../src/http/on-error.js';
import { makeDeps } from '../helpers/deps.js';
import { passwordForm, seededServer } from '../helpers/fixtures.js';
import { compileSchema, deref, expectMatchesSpec, resolvePointer, spec, specPaths } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed openapi.yaml, walked without a schema of its own
type Json = Record<string, any>;

/** Every operation object with its method and path. */
const operations = () => specPaths().map(({ method, path }) => ({ method, path, op: spec.paths[path][method] as Json }));

/** Every node of the document, with its JSON pointer. */
function* walk(node: unknown, pointer = '#'): Generator<[string, Json]> {
  if (node === null || typeof node !== 'object') return;
  yield [pointer, node as Json];
  for (const [key, child] of Object.entries(node)) yield* walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

/** Every schema the spec holds outside components/schemas: media types, parameters, headers. */
function inlineSchemas(): [string, Json][] {
  const found: [string, Json][] = [];
  for (const [pointer, node] of walk(spec)) {
    if (pointer.startsWith('#/components/schemas')) continue;
    if (node.schema && typeof node.schema === 'object' && !pointer.endsWith('/properties')) found.push([`${pointer}/schema`, node.schema]);
  }
  return found;
}

describe('openapi.yaml', () => {
  it('is an OpenAPI 3.1 document with the basics filled in', () => {
    expect(spec.openapi).toMatch(/^3\.1\.\d+$/);
    expect(spec.info).toMatchObject({ title: 'Tessera', version: expect.any(String) });
    const top = Object.keys(spec).filter((k) => !k.startsWith('x-'));
    expect(
      top.every((k) => ['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs'].includes(k)),
    ).toBe(true);
  });

  it('resolves every $ref', () => {
    const refs = [...walk(spec)].filter(([, n]) => typeof n.$ref === 'string').map(([at, n]) => [at, n.$ref as string] as const);
    expect(refs.length).toBeGreaterThan(20);
    const broken = refs.filter(([, ref]) => {
      try {
        resolvePointer(ref);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toEqual([]);
  });

  it('compiles every schema with a strict JSON Schema 2020-12 validator', () => {
    for (const [name, schema] of Object.entries<Json>(spec.components.schemas)) {
      expect(() => compileSchema(schema), `components/schemas/${name}`).not.toThrow();
    }
    const inline = inlineSchemas();
    expect(inline.length).toBeGreaterThan(20);
    for (const [at, schema] of inline) expect(() => compileSchema(schema), at).not.toThrow();
  });

  it('gives every operation a unique operationId, a summary, a known tag and at least one response', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(spec.tags.map((t: Json) => t.name));
    for (const { method, path, op } of operations()) {
      const at = `${method} ${path}`;
      expect(op.operationId, at).toEqual(expect.any(String));
      expect(op.summary, at).toEqual(expect.any(String));
      expect(op.tags?.length, at).toBeGreaterThan(0);
      for (const tag of op.tags) expect(tags.has(tag), `${at}: tag ${tag}`).toBe(true);
      expect(Object.keys(op.responses ?? {}).length, at).toBeGreaterThan(0);
      for (const status of Object.keys(op.responses)) expect(status, at).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
    }
  });

  it('declares each path parameter of every template, and no others', () => {
    for (const { method, path, op } of operations()) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = [...(spec.paths[path].parameters ?? []), ...(op.parameters ?? [])]
        .map((p: Json) => deref(p))
        .filter((p: Json) => p.in === 'path')
        .map((p: Json) => {
          expect(p.required, `${method} ${path}: path parameter ${p.name}`).toBe(true);
          return p.name;
        })
        .sort();
      expect(declared, `${method} ${path}`).toEqual(inTemplate);
    }
  });

  it('names only security schemes it defines', () => {
    const schemes = Object.keys(spec.components.securitySchemes);
    for (const { op } of operations()) {
      for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
    }
    const adminOps = operations().filter(({ path }) => path.startsWith('/admin/'));
    for (const { op } of adminOps) expect(op.security).toEqual([{ adminBearer: [] }]);
  });

  it('lists exactly the error codes the code can produce', () => {
    const codes = new Set([...Object.keys(oauthErrorStatus), ...Object.values(domainAnswers).map((answer) => answer.error)]);
    expect([...spec.components.schemas.ErrorCode.enum].sort()).toEqual([...codes].sort());
    for (const code of spec.components.schemas.TokenError.properties.error.enum) expect(codes).toContain(code);
  });
});

describe('openapi.yaml and the routes of createApp()', () => {
  async function servedRoutes(): Promise<string[]> {
    // Optional endpoints (POST /register) are served only when configured on.
    const app = createApp(await makeDeps({ env: { REGISTRATION: 'open' } }));
    const endpoints = app.routes.filter((r) => {
      // app.use() middleware registers as ALL on a wildcard path; it is not an endpoint.
      if (r.method === 'ALL' && r.path.includes('*')) return false;
      return true;
    });
    // hono writes `:id`, OpenAPI `{id}`.
    return [...new Set(endpoints.map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')}`))].sort();
  }

  it('documents every route the app serves', async () => {
    const documented = new Set(specPaths().map(({ method, path }) => `${method} ${path}`));
    const undocumented = (await servedRoutes()).filter((r) => !documented.has(r));
    expect(undocumented, 'routes missing from openapi.yaml').toEqual([]);
  });

  it('serves every documented operation', async () => {
    const served = new Set(await servedRoutes());
    const missing = specPaths()
      .map(({ method, path }) => `${method} ${path}`)
      .filter((op) => !served.has(op));
    expect(missing, 'documented in openapi.yaml but not served').toEqual([]);
  });
});

describe('real responses match openapi.yaml', () => {
  const setup = (app?: Json) => seededServer({ seed: app ? { app } : {} });
  const token = { method: 'post', path: '/token' };
  const login = passwordForm;

  it('POST /token: password, refresh_token and client_credentials successes', async () => {
    const { fetch, serviceSecret } = await setup();
    const loggedIn = await fetch('/token', login());
    await expectMatchesSpec(loggedIn, token);
    const { refresh_token } = await loggedIn.json();
    await expectMatchesSpec(await fetch('/token', form({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token })), token);
    const service = await fetch('/token', {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
    });
    expect(service.status).toBe(200);
    await expectMatchesSpec(service, token);
  });

  it('POST /token in cookie mode: the refresh token only in Set-Cookie', async () => {
    const { fetch } = await setup({ refreshCookie: true });
    const res = await fetch('/token', login());
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-tessera-rt=/);
    await expectMatchesSpec(res, token);
    expect((await res.json()).refresh_token).toBeUndefined();
  });

  it('POST /token: every error', async () => {
    const { fetch, serviceSecret } = await setup();
    const cases: [number, string, RequestInit][] = [
      [400, 'invalid_request', form({ client_id: 'web-app' })],
      [400, 'unsupported_grant_type', form({ grant_type: 'magic', client_id: 'web-app' })],
      [400, 'invalid_grant', login({ password: 'wrong password' })],
      [400, 'invalid_grant', form({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token: 'x'.repeat(43) })],
      [400, 'invalid_scope', login({ scope: 'admin' })],
      [400, 'unauthorized_client', form({ grant_type: 'client_credentials', client_id: 'web-app' })],
      [401, 'invalid_client', form({ grant_type: 'client_credentials', client_id: 'billing', client_secret: 'wrong' })],
      [
        401,
        'invalid_client',
        {
          ...form({ grant_type: 'client_credentials' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', `${serviceSecret}x`) },
        },
      ],
      [413, 'invalid_request', form({ grant_type: 'password', client_id: 'web-app', username: 'a'.repeat(100_000) })],
    ];
    for (const [status, error, init] of cases) {
      const res = await fetch('/token', init);
      expect([res.status, (await res.clone().json()).error]).toEqual([status, error]);
      await expectMatchesSpec(res, token);
    }
  });

  it('POST /refresh, /introspect and /revoke: answers and errors, in body and cookie mode', async () => {
    const { fetch, serviceSecret } = await setup();
    const refresh = { method: 'post', path: '/refresh' };
    const introspect = { method: 'post', path: '/introspect' };
    const revoke = { method: 'post', path: '/revoke' };
    const asService = (fields: Record<string, string>): RequestInit => ({
      ...form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
    });

    const first = await (await fetch('/token', login())).json();
    const rotated = await fetch('/refresh', form({ client_id: 'web-app', refresh_token: first.refresh_token }));
    expect(rotated.status).toBe(200);
    await expectMatchesSpec(rotated, refresh);
    const { refresh_token: current, access_token: access } = await rotated.json();
    const json = await fetch('/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: current }) });
    expect(json.status).toBe(200);
    await expectMatchesSpec(json, refresh);
    const reused = await fetch('/refresh', form({ client_id: 'web-app', refresh_token: first.refresh_token }));
    expect(reused.status).toBe(400);
    await expectMatchesSpec(reused, refresh);
    await expectMatchesSpec(await fetch('/refresh', form({})), refresh);

    for (const token of [access, (await json.clone().json()).refresh_token, 'garbage']) {
      const res = await fetch('/introspect', asService({ token }));
      expect(res.status).toBe(200);
      await expectMatchesSpec(res, introspect);
    }
    const fresh = await (await fetch('/token', login())).json();
    for (const token of [fresh.access_token, fresh.refresh_token]) {
      const res = await fetch('/introspect', asService({ token }));
      expect((await res.clone().json()).active).toBe(true);
      await expectMatchesSpec(res, introspect);
    }
    const notAllowed = await fetch('/introspect', form({ client_id: 'web-app', token: fresh.access_token }));
    expect(notAllowed.status).toBe(403);
    await expectMatchesSpec(notAllowed, introspect);
    await expectMatchesSpec(await fetch('/introspect', form({ client_id: 'billing', client_secret: 'wrong', token: 'x' })), introspect);

    const revoked = await fetch('/revoke', form({ client_id: 'web-app', token: fresh.refresh_token }));
    expect(revoked.status).toBe(200);
    await expectMatchesSpec(revoked, revoke);
    await expectMatchesSpec(await fetch('/revoke', form({ client_id: 'web-app', token: 'unknown' })), revoke);
    await expectMatchesSpec(await fetch('/revoke', form({ client_id: 'web-app' })), revoke);
  });

  it('POST /refresh and /revoke in cookie mode', async () => {
    const { fetch } = await setup({ refreshCookie: true });
    const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;
    let cookie = cookieOf(await fetch('/token', login()));
    const csrf = await fetch('/refresh', { method: 'POST', headers: { cookie } });
    expect(csrf.status).toBe(403);
    await expectMatchesSpec(csrf, { method: 'post', path: '/refresh' });
    const rotated = await fetch('/refresh', { method: 'POST', headers: { cookie, 'x-requested-with': 'fetch' } });
    expect(rotated.status).toBe(200);
    await expectMatchesSpec(rotated, { method: 'post', path: '/refresh' });
    cookie = cookieOf(rotated);
    const logout = await fetch('/revoke', { method: 'POST', headers: { cookie, 'x-requested-with': 'fetch' } });
    expect(logout.status).toBe(200);
    expect(logout.headers.get('set-cookie')).toMatch(/^__Host-tessera-rt=;/);
    await expectMatchesSpec(logout, { method: 'post', path: '/revoke' });
  });

  it('POST /token: 429 with Retry-After once a login limit is reached', async () => {
    const server = await seededServer({ env: { LOGIN_RATE_LIMIT_PER_USER: '1' } });
    expect((await server.fetch('/token', login({ password: 'wrong password' }))).status).toBe(400);
    const limited = await server.fetch('/token', login());
    expect(limited.status).toBe(429);
    await expectMatchesSpec(limited, token);
  });

  it('GET /.well-known/jwks.json: 200 with an ETag, then 304 for it', async () => {
    const { fetch } = await setup();
    const jwks = await fetch('/.well-known/jwks.json');
    await expectMatchesSpec(jwks, { method: 'get', path: '/.well-known/jwks.json' });
    const again = await fetch('/.well-known/jwks.json', { headers: { 'if-none-match': jwks.headers.get('etag')! } });
    expect(again.status).toBe(304);
    await expectMatchesSpec(again, { method: 'get', path: '/.well-known/jwks.json' });
  });

  it('GET the metadata at both discovery paths', async () => {
    const { fetch } = await setup();
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await fetch(path);
      expect(res.status).toBe(200);
      await expectMatchesSpec(res, { method: 'get', path });
    }
  });

  it('GET /healthz and /readyz, ready and not ready', async () => {
    const { fetch, deps } = await setup();
    await expectMatchesSpec(await fetch('/healthz'), { method: 'get', path: '/healthz' });
    await expectMatchesSpec(await fetch('/readyz'), { method: 'get', path: '/readyz' });
    await deps.store.close();
    const down = await fetch('/readyz');
    expect(down.status).toBe(503);
    await expectMatchesSpec(down, { method: 'get', path: '/readyz' });
  });

  it('GET /openapi.yaml, /docs and /metrics', async () => {
    const { fetch } = await setup();
    await expectMatchesSpec(await fetch('/openapi.yaml'), { method: 'get', path: '/openapi.yaml' });
    await expectMatchesSpec(await fetch('/docs'), { method: 'get', path: '/docs' });
    await expectMatchesSpec(await fetch('/metrics'), { method: 'get', path: '/metrics' });
  });

  it('the admin API: every operation, its errors and its refusals', async () => {
    const { fetch, serviceSecret, alice } = await setup();
    const tokenFor = async (scope: string) => {
      const res = await fetch('/token', {
        ...form({ grant_type: 'client_credentials', scope }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
      });
      return (await res.json()).access_token as string;
    };
    const admin = await tokenFor('admin');
    const call = async (method: string, path: string, body?: unknown, token = admin) => {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      await expectMatchesSpec(res, { method, path });
      return res;
    };

    expect((await call('get', '/admin/clients', undefined, '')).status).toBe(401);
    expect((await call('get', '/admin/clients', undefined, 'not-a-jwt')).status).toBe(401);
    expect((await call('get', '/admin/clients', undefined, await tokenFor('read'))).status).toBe(403);

    expect((await call('post', '/admin/users', { username: 'bob', password: 'a long enough password', scope: 'read' })).status).toBe(201);
    expect((await call('post', '/admin/users', { username: 'bob', password: 'a long enough password' })).status).toBe(409);
    expect((await call('post', '/admin/users', { username: 'carol', password: 'short' })).status).toBe(400);
    expect((await call('PATCH', `/admin/users/${alice.id}`, { name: 'Alice Kim', locale: 'ko-KR', picture: null })).status).toBe(200);
    expect((await call('PATCH', `/admin/users/${alice.id}`, { picture: 'http://example.com/a.png' })).status).toBe(400);
    expect((await call('PATCH', '/admin/users/usr_nobody', { name: 'Nobody' })).status).toBe(404);
    expect((await call('put', `/admin/users/${alice.id}/password`, { password: 'another long password' })).status).toBe(200);
    expect((await call('put', '/admin/users/usr_nobody/password', { password: 'another long password' })).status).toBe(404);
    expect((await call('get', `/admin/users/${alice.id}/families?limit=5`)).status).toBe(200);
    expect((await call('get', `/admin/users/${alice.id}/families?limit=0`)).status).toBe(400);
    expect((await call('delete', `/admin/users/${alice.id}/families?reason=test`)).status).toBe(200);
    expect((await call('delete', '/admin/families/fam_nobody')).status).toBe(404);
    expect((await call('post', `/admin/users/${alice.id}/disable`)).status).toBe(200);

    expect((await call('post', '/admin/clients', { id: 'svc', grants: ['client_credentials'], scope: 'read', max_sessions: null })).status).toBe(201);
    expect((await call('post', '/admin/clients', { id: 'spa', public: true, grants: ['password'], refresh_cookie: true })).status).toBe(201);
    expect((await call('post', '/admin/clients', { id: 'svc' })).status).toBe(409);
    expect((await call('get', '/admin/clients')).status).toBe(200);
    expect((await call('post', '/admin/clients/svc/disable')).status).toBe(200);
    expect((await call('post', '/admin/clients/svc/disable')).status).toBe(200);
    expect((await call('post', '/admin/clients/svc/enable')).status).toBe(200);
    expect((await call('post', '/admin/clients/nobody/disable')).status).toBe(404);
    expect((await call('post', '/admin/clients/nobody/enable')).status).toBe(404);
    expect((await call('delete', '/admin/clients/svc')).status).toBe(200);
    expect((await call('delete', '/admin/clients/svc')).status).toBe(404);

    expect((await call('post', '/admin/keys/rotate', {})).status).toBe(200);
    expect((await call('post', '/admin/keys/rotate', { now: true })).status).toBe(200);
    expect((await call('get', '/admin/keys')).status).toBe(200);
    expect((await call('get', '/admin/audit?type=user.created&limit=10')).status).toBe(200);
    expect((await call('get', '/admin/audit?since=yesterday')).status).toBe(400);
  });
});

describe('expectMatchesSpec', () => {
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  const tokenHeaders = { 'cache-control': 'no-store', pragma: 'no-cache' };
  const tokenBody = { access_token: 'a.b.c', token_type: 'Bearer', expires_in: 600, scope: '' };
  const token = { method: 'post', path: '/token' };

  it('accepts a documented response and leaves the body readable', async () => {
    const res = json(tokenBody, 200, tokenHeaders);
    await expectMatchesSpec(res, token);
    expect(await res.json()).toEqual(tokenBody);
  });

  it('rejects an undocumented status, a missing required header, an extra field, a wrong type and an unknown error code', async () => {
    await expect(expectMatchesSpec(json({ error: 'server_error' }, 500, tokenHeaders), token)).rejects.toThrow(/status 500 is not documented/);
    await expect(expectMatchesSpec(json(tokenBody, 200, { 'cache-control': 'no-store' }), token)).rejects.toThrow(/required header Pragma/);
    await expect(expectMatchesSpec(json(tokenBody, 200, { ...tokenHeaders, 'cache-control': 'max-age=60' }), token)).rejects.toThrow(/Cache-Control/);
    await expect(expectMatchesSpec(json({ ...tokenBody, password: 'x' }, 200, tokenHeaders), token)).rejects.toThrow(/additional properties/);
    await expect(expectMatchesSpec(json({ ...tokenBody, expires_in: '600' }, 200, tokenHeaders), token)).rejects.toThrow(/\/expires_in must be integer/);
    await expect(expectMatchesSpec(json({ error: 'oops' }, 400, tokenHeaders), token)).rejects.toThrow(/\/error must be equal to one of the allowed values/);
  });

  it('rejects an undocumented content type and an operation the spec does not have', async () => {
    const html = new Response('<p>hi</p>', { status: 200, headers: { 'content-type': 'text/html', ...tokenHeaders } });
    await expect(expectMatchesSpec(html, token)).rejects.toThrow(/content type "text\/html" is not documented/);
    await expect(expectMatchesSpec(json({}), { method: 'get', path: '/nowhere' })).rejects.toThrow(/documents no GET \/nowhere/);
  });

  it('matches a concrete path against its template', async () => {
    const res = json({ id: 'fam_1', deleted: true, revoked_families: 1, unlinked_identities: 0 });
    await expectMatchesSpec(res, { method: 'delete', path: '/admin/families/fam_1' });
  });
});
