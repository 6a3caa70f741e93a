import { request } from 'node:http';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { alicePassword, passwordForm, seededServer } from '../helpers/fixtures.js';
import { basic, form } from '../helpers/server.js';

async function setup(env?: Record<string, string>) {
  const server = await seededServer({ env });
  const jwks = createLocalJWKSet(await (await server.fetch('/.well-known/jwks.json')).json());
  return { ...server, jwks };
}

const login = passwordForm;

describe('POST /token grant_type=password', () => {
  it('returns an RFC 9068 access token, a refresh token and the granted scope', async () => {
    const { fetch, url, jwks, alice, deps } = await setup();
    const res = await fetch('/token', login());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    const body = await res.json();
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, refresh_token: expect.any(String), scope: 'read write' });
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { payload, protectedHeader } = await jwtVerify(body.access_token, jwks, { issuer: url, audience: url, typ: 'at+jwt', currentDate: deps.clock.now() });
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toEqual({
      iss: url,
      sub: alice.id,
      aud: url,
      exp: 1_700_000_600,
      iat: 1_700_000_000,
      jti: expect.any(String),
      client_id: 'web-app',
      scope: 'read write',
      sid: 'fam_1',
      // How the user signed in (RFC 9068 §2.2.1, RFC 8176): a password alone.
      auth_time: 1_700_000_000,
      amr: ['pwd'],
      acr: 'urn:tessera:pwd',
    });
  });

  it('grants a requested scope within the client and user scopes, and refuses a wider one', async () => {
    const { fetch } = await setup();
    expect((await (await fetch('/token', login({ scope: 'read' }))).json()).scope).toBe('read');
    const wider = await fetch('/token', login({ scope: 'read admin' }));
    expect(wider.status).toBe(400);
    expect(await wider.json()).toEqual({ error: 'invalid_scope', error_description: expect.stringContaining('admin') });
  });

  it('treats an empty scope= as omitted and ignores unknown parameters', async () => {
    const { fetch } = await setup();
    const res = await fetch('/token', login({ scope: '', colour: 'blue' }));
    expect(res.status).toBe(200);
    expect((await res.json()).scope).toBe('read write');
  });

  it('answers a wrong password and an unknown user with the same invalid_grant body', async () => {
    const { fetch, deps } = await setup();
    const wrong = await fetch('/token', login({ password: 'not the password' }));
    const unknown = await fetch('/token', login({ username: 'mallory' }));
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'wrong username or password' });
    }
    const failures = await deps.store.listAuditEvents({ type: 'login.failed', limit: 10 });
    expect(failures.items.map((e) => e.details.reason).sort()).toEqual(['unknown_user', 'wrong_password']);
  });

  it('finds the user by its normalised name', async () => {
    const { fetch } = await setup();
    expect((await fetch('/token', login({ username: 'ＡLICE' }))).status).toBe(200);
  });

  it('refuses the password grant to a client that was not given it', async () => {
    const { fetch, serviceSecret } = await setup();
    const res = await fetch('/token', {
      ...login({ client_id: 'billing' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unauthorized_client', error_description: 'this client may not use the password grant' });
  });

  it('requires username and password', async () => {
    const { fetch } = await setup();
    const res = await fetch('/token', form({ grant_type: 'password', client_id: 'web-app', username: 'alice' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'password is required' });
  });

  it('signs with ES256 or EdDSA when SIGNING_ALG says so', async () => {
    for (const alg of ['ES256', 'EdDSA']) {
      const { fetch } = await setup({ SIGNING_ALG: alg });
      const { access_token } = await (await fetch('/token', login())).json();
      expect(decodeProtectedHeader(access_token).alg).toBe(alg);
    }
  });
});

describe('POST /token grant_type=client_credentials', () => {
  it('issues a token whose subject is the client, without a refresh token', async () => {
    const { fetch, jwks, url, serviceSecret, deps } = await setup();
    const res = await fetch('/token', {
      ...form({ grant_type: 'client_credentials', scope: 'read' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, scope: 'read' });
    const { payload } = await jwtVerify(body.access_token, jwks, { issuer: url, audience: url, typ: 'at+jwt', currentDate: deps.clock.now() });
    expect(payload.sub).toBe('billing');
    expect(payload.sid).toBeUndefined();
  });

  it('accepts client_secret_post', async () => {
    const { fetch, serviceSecret } = await setup();
    const res = await fetch('/token', form({ grant_type: 'client_credentials', client_id: 'billing', client_secret: serviceSecret }));
    expect(res.status).toBe(200);
  });

  it('refuses a public client', async () => {
    const { fetch } = await setup();
    const res = await fetch('/token', form({ grant_type: 'client_credentials', client_id: 'web-app' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unauthorized_client', error_description: 'this client may not use the client_credentials grant' });
  });
});

describe('POST /token client authentication', () => {
  it('answers a wrong Basic secret with 401 invalid_client and a Basic challenge', async () => {
    const { fetch } = await setup();
    const res = await fetch('/token', {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', 'wrong') },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'unknown client or wrong credentials' });
  });

  it('answers a wrong posted secret with 401 and no Basic challenge', async () => {
    const { fetch } = await setup();
    const res = await fetch('/token', form({ grant_type: 'client_credentials', client_id: 'billing', client_secret: 'wrong' }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'unknown client or wrong credentials' });
  });

  it('refuses two authentication methods at once', async () => {
    const { fetch, serviceSecret } = await setup();
    const res = await fetch('/token', {
      ...form({ grant_type: 'client_credentials', client_id: 'billing', client_secret: serviceSecret }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'use one client authentication method, not two' });
  });

  it('refuses a confidential client that sends no secret, and an unknown client', async () => {
    const { fetch } = await setup();
    for (const clientId of ['billing', 'nobody']) {
      const res = await fetch('/token', form({ grant_type: 'client_credentials', client_id: clientId }));
      expect(res.status).toBe(401);
      expect((await res.json()).error).toBe('invalid_client');
    }
  });

  it('requires some client identification', async () => {
    const { fetch } = await setup();
    const res = await fetch('/token', login({ client_id: undefined }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication is required' });
  });

  it('answers malformed Basic credentials with invalid_client', async () => {
    const { fetch } = await setup();
    const res = await fetch('/token', {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic %%%' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
  });
});

/** POST /token over node:http, which sends a header given as an array as one line per value (fetch would join them into one). */
function postWithHeaderLines(url: string, headers: Record<string, string | string[]>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/token`, { method: 'POST' }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.on('error', reject).end(body);
  });
}

describe('POST /token with a header sent twice', () => {
  it('refuses two Authorization lines, even when the first holds the right credentials', async () => {
    const { url, serviceSecret } = await setup();
    const res = await postWithHeaderLines(
      url,
      { 'content-type': 'application/x-www-form-urlencoded', authorization: [basic('billing', serviceSecret), basic('billing', 'wrong')] },
      'grant_type=client_credentials',
    );
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error).toBe('invalid_client');
    const right = await postWithHeaderLines(
      url,
      { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
      'grant_type=client_credentials',
    );
    expect(right.status).toBe(200);
  });

  it('refuses two Content-Type lines as an unsupported body, even when the first one fits it', async () => {
    const { url } = await setup();
    const body = new URLSearchParams({ grant_type: 'password', client_id: 'web-app', username: 'alice', password: alicePassword }).toString();
    const twice = await postWithHeaderLines(url, { 'content-type': ['application/x-www-form-urlencoded', 'application/json'] }, body);
    expect(twice.status).toBe(400);
    expect(JSON.parse(twice.body).error).toBe('invalid_request');
    expect((await postWithHeaderLines(url, { 'content-type': 'application/x-www-form-urlencoded' }, body)).status).toBe(200);
  });
});

describe('POST /token malformed requests', () => {
  it.each([
    ['no grant_type', form({ client_id: 'web-app' }), 'invalid_request', 'grant_type is required'],
    ['an unknown grant_type', form({ grant_type: 'magic', client_id: 'web-app' }), 'unsupported_grant_type', 'grant_type "magic" is not supported'],
    [
      'a repeated parameter',
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&grant_type=password' },
      'invalid_request',
      'parameter "grant_type" must not be repeated',
    ],
    [
      'a JSON body',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"password"}' },
      'invalid_request',
      'content type must be application/x-www-form-urlencoded',
    ],
  ])('answers %s with 400 %s', async (_name, init, error, description) => {
    const { fetch } = await setup();
    const res = await fetch('/token', init as RequestInit);
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ error, error_description: description });
  });

  it('refuses an oversized body with 413 and never reads it all', async () => {
    const { fetch } = await setup();
    const res = await fetch('/token', form({ grant_type: 'password', client_id: 'web-app', username: 'a'.repeat(100_000) }));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('invalid_request');
  });

  it('never answers 500 to garbage', async () => {
    const { fetch } = await setup();
    const bodies = ['%', '%zz=%%', '&&&=&=', 'grant_type=password&username=%00&password=%FF&client_id=web-app', '\u0000\u0001'];
    for (const body of bodies) {
      const res = await fetch('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect(res.status).toBeLessThan(500);
      expect((await res.json()).error).toEqual(expect.any(String));
    }
  });
});

/** POST /token over node:http: the answer's header lines as sent, in order, and its body. */
function postForRawHeaders(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; rawHeaders: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/token`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, rawHeaders: res.rawHeaders, body: text }));
    });
    req.on('error', reject).end(body);
  });
}

describe('POST /token: the headers of a token answer', () => {
  const headerLines = (raw: string[]) =>
    raw.flatMap((name, i) => (i % 2 === 0 ? [`${name}: ${raw[i + 1]}`] : [])).filter((l) => !/^(date|connection|keep-alive):/i.test(l));

  it('sends no-store, Pragma, the request id, the CORS headers and the body length, each once', async () => {
    const { url, serviceSecret } = await setup();
    const res = await postForRawHeaders(
      url,
      { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret), 'x-request-id': 'req-1' },
      'grant_type=client_credentials',
    );
    expect(res.status).toBe(200);
    expect(headerLines(res.rawHeaders)).toEqual([
      'Content-Type: application/json',
      'Cache-Control: no-store',
      'Pragma: no-cache',
      'X-Request-Id: req-1',
      'Access-Control-Allow-Origin: *',
      'Access-Control-Expose-Headers: WWW-Authenticate,Retry-After,DPoP-Nonce',
      `Content-Length: ${Buffer.byteLength(res.body)}`,
    ]);
    expect(JSON.parse(res.body).token_type).toBe('Bearer');
  });

  it('adds the DPoP nonce to them with DPOP_NONCE=on', async () => {
    const { url, serviceSecret } = await setup({ DPOP_NONCE: 'on' });
    const res = await postForRawHeaders(
      url,
      { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
      'grant_type=client_credentials',
    );
    expect(res.status).toBe(200);
    const lines = headerLines(res.rawHeaders).map((l) => l.toLowerCase());
    expect(lines.filter((l) => l.startsWith('dpop-nonce: '))).toHaveLength(1);
    for (const name of ['cache-control: no-store', 'pragma: no-cache', 'access-control-allow-origin: *', `content-length: ${Buffer.byteLength(res.body)}`]) {
      expect(
        lines.filter((l) => l === name),
        name,
      ).toHaveLength(1);
    }
    expect(lines.filter((l) => l.startsWith('x-request-id: '))).toHaveLength(1);
  });
});
