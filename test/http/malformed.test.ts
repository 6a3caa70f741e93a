import { describe, expect, it } from 'vitest';
import { adminSetup } from '../admin/setup.js';
import { dpopKey } from '../helpers/dpop.js';
import { basic } from '../helpers/server.js';
import { authorizeQuery, browserAppsServer, hiddenFields, pkce, spaRedirect } from '../helpers/authorize.js';
import { specPaths } from '../helpers/openapi.js';
import { accountPost, accountServer, accountSignIn, spaSignIn } from '../helpers/account.js';
import { addTestProvider, crossOriginBrowser, fakeUpstream } from '../helpers/upstream.js';
import { continueWithIdp, upstreamSetup } from '../helpers/upstream-flow.js';

// Every documented operation, sent inputs no client should send. Whatever the route, the answer is
// never a 500, an error is in the RFC 6749 shape (an HTML error page on the hosted pages, which a
// person reads), and nothing is written to the audit log by a refusal.
const hostile: { name: string; contentType?: string; body?: string; pathValue: string; query?: string }[] = [
  { name: 'an empty body', contentType: 'application/x-www-form-urlencoded', body: '', pathValue: 'usr_1' },
  { name: 'broken percent-encoding', contentType: 'application/x-www-form-urlencoded', body: '%E0%A4%A=%%&token=%ZZ', pathValue: '%25' },
  {
    name: 'a NUL byte everywhere',
    contentType: 'application/x-www-form-urlencoded',
    body: 'token=%00&grant_type=%00&refresh_token=%00',
    pathValue: '%00',
    query: 'since=%00&cursor=%00&limit=%00',
  },
  { name: 'truncated JSON', contentType: 'application/json', body: '{"username": "x", ', pathValue: 'x', query: 'limit=-1&since=yesterday' },
  { name: 'JSON of the wrong shape', contentType: 'application/json', body: '[1, {"a": null}]', pathValue: 'fam_nope', query: 'limit=99999999999999999999' },
  {
    name: 'JSON with wrong types',
    contentType: 'application/json',
    body: '{"username": 5, "password": ["x"], "id": {}, "grants": "password", "immediate": "yes", "refresh_token": 7}',
    pathValue: 'usr_1',
  },
  { name: 'an unexpected content type', contentType: 'text/xml', body: '<a/>', pathValue: 'usr_1' },
  // Once answered 500 on PostgreSQL (issue #11, finding 8): a cursor holding a NUL, one beyond bigint, a NUL in an audience.
  {
    name: 'a cursor with a NUL in it',
    contentType: 'application/json',
    body: '{"id": "nul-aud", "audience": "https://a\\u0000b"}',
    pathValue: 'usr_1',
    query: 'cursor=MToA&since=2024-01-01',
  },
  {
    name: 'a cursor beyond bigint',
    contentType: 'application/json',
    body: '{"username": "x\\u0000y", "password": "p\\u0000assword"}',
    pathValue: 'usr_1',
    query: 'cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk6eA&limit=5',
  },
  // Issue 28: client assertions that are not what they claim, and request_uris that name nothing, at every endpoint (/par among them).
  {
    name: 'a garbage client assertion',
    contentType: 'application/x-www-form-urlencoded',
    body: `client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=eyJhbGciOiJub25lIn0.eyJzdWIiOiJiaWxsaW5nIn0.&grant_type=client_credentials&response_type=code`,
    pathValue: 'usr_1',
    query: `client_id=web-app&request_uri=${encodeURIComponent('urn:ietf:params:oauth:request_uri:\u0000')}`,
  },
  {
    name: 'a client assertion of JSON and NULs',
    contentType: 'application/x-www-form-urlencoded',
    body: `client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=${encodeURIComponent('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJcdTAwMDAiLCJpc3MiOls1XSwiZXhwIjoiMTAwMCJ9.AAAA')}&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax`,
    pathValue: 'usr_1',
    query: `client_id=%00&request_uri=${encodeURIComponent(`urn:ietf:params:oauth:request_uri:${'x'.repeat(5000)}`)}`,
  },
  {
    name: 'a very long value',
    contentType: 'application/x-www-form-urlencoded',
    body: `token=${'a'.repeat(20_000)}&username=${'b'.repeat(20_000)}`,
    pathValue: 'u'.repeat(2000),
  },
];

describe('hostile input to every endpoint', () => {
  it.each(hostile)('never answers 500 to $name, and answers errors in the RFC shape', async ({ contentType, body, pathValue, query }) => {
    // With the optional endpoints on, so that they are swept too.
    const { fetch, adminToken, deps } = await adminSetup({ env: { REGISTRATION: 'open' } });
    const before = (await deps.store.listAuditEvents({ limit: 1000 })).items.length;
    for (const { method, path } of specPaths()) {
      const url = `${path.replace(/\{[^}]+\}/g, pathValue)}${query ? `?${query}` : ''}`;
      const headers: Record<string, string> = { authorization: `Bearer ${path.startsWith('/admin') ? adminToken : 'x.y.z'}`, 'x-requested-with': 'test' };
      if (contentType) headers['content-type'] = contentType;
      const hasBody = !['get', 'delete'].includes(method);
      const res = await fetch(url, { method: method.toUpperCase(), headers, body: hasBody ? body : undefined });
      const label = `${method.toUpperCase()} ${url.slice(0, 80)} → ${res.status}`;
      expect(res.status, label).toBeLessThan(500);
      if (res.status >= 400 && isHtml(res)) {
        await expectErrorPage(res, label);
      } else if (res.status >= 400) {
        const error = await res.json();
        expect(error, label).toEqual({ error: expect.stringMatching(/^[a-z_]+$/), error_description: expect.any(String) });
      } else {
        await res.body?.cancel();
      }
    }
    // Refusals write nothing; only the deliberately valid admin calls in this sweep could.
    const after = (await deps.store.listAuditEvents({ limit: 1000 })).items;
    expect(after.slice(0, after.length - before).filter((e) => !e.actor.startsWith('admin:') && e.type !== 'login.failed')).toEqual([]);
  });
});

const isHtml = (res: Response) => (res.headers.get('content-type') ?? '').startsWith('text/html');

/** A hosted page's refusal: a page with a heading and the strict policy, and nothing of the server's insides. */
async function expectErrorPage(res: Response, label: string) {
  const html = await res.text();
  expect(html, label).toMatch(/^<!doctype html><html lang="en">.*<h1>[^<]+<\/h1>/s);
  expect(html, label).not.toMatch(/at .+\.(ts|js):\d+|Error:/);
  expect(res.headers.get('content-security-policy'), label).toContain("frame-ancestors 'none'");
}

// The hosted pages once more, with hostile values that get past the client and CSRF checks, so the
// parameters and form fields themselves are what the server has to cope with.
const weird = [
  '%00',
  '\u0000',
  'a'.repeat(6000),
  '\uD800',
  '<script>alert(1)</script>',
  '"\'><',
  ' ',
  '../../etc/passwd',
  '\r\nSet-Cookie: x=1',
  '9'.repeat(40),
];

describe('hostile values on the hosted pages', () => {
  it('never answers 500 to odd authorization parameters of a registered client', async () => {
    const server = await browserAppsServer();
    const { challenge } = pkce();
    const base = { response_type: 'code', client_id: 'spa', redirect_uri: spaRedirect, code_challenge: challenge, code_challenge_method: 'S256' };
    for (const name of [
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'nonce',
      'prompt',
      'max_age',
      'login_hint',
      'code_challenge',
      'code_challenge_method',
      'response_mode',
      'request',
    ]) {
      for (const value of weird) {
        const res = await server.fetch(authorizeQuery({ ...base, [name]: value }), { redirect: 'manual' });
        const label = `${name}=${JSON.stringify(value.slice(0, 20))} → ${res.status}`;
        expect(res.status, label).toBeLessThan(500);
        if (res.status === 303) expect(res.headers.get('location')!.startsWith(`${spaRedirect}?`), label).toBe(true);
        else if (res.status >= 400) await expectErrorPage(res, label);
        else await res.body?.cancel();
      }
    }
  });

  it('never answers 500 to odd fields in a login form with a good CSRF token and request, and signs nobody in', async () => {
    const { browser: b, ...server } = await browserAppsServer();
    const page = await b.get(
      authorizeQuery({ response_type: 'code', client_id: 'spa', redirect_uri: spaRedirect, code_challenge: pkce().challenge, code_challenge_method: 'S256' }),
    );
    const fields = hiddenFields(await page.text());
    for (const value of weird) {
      for (const over of [{ username: value }, { password: value }, { username: value, password: value }, { request: value }, { decision: value }] as Record<
        string,
        string
      >[]) {
        for (const path of ['/login', '/consent']) {
          const res = await b.post(path, { username: 'alice', password: 'x', ...fields, ...over });
          const label = `${path} ${JSON.stringify(over).slice(0, 60)} → ${res.status}`;
          expect(res.status, label).toBeLessThan(500);
          expect(res.headers.get('location'), label).toBeNull();
          if (res.status >= 400) await expectErrorPage(res, label);
        }
      }
    }
    expect(b.jar.has('__Host-tessera-session')).toBe(false);
    expect((await server.deps.store.listAuditEvents({ limit: 500, type: 'authorization_code.issued' })).items).toEqual([]);
  });

  it('never answers 500 to odd values on the upstream pages, and signs nobody in', async () => {
    const s = await upstreamSetup();
    await addTestProvider(s.deps, (await fakeUpstream()).issuer);
    const b = crossOriginBrowser([spaRedirect, `${s.url}/upstream/idp/callback`]);
    // A state this browser really started, so the odd values reach the code exchange too.
    const started = await continueWithIdp(s, b);
    const state = new URL(started.url).searchParams.get('state') ?? '';
    for (const value of weird) {
      const v = encodeOrRaw(value);
      for (const path of [
        `/upstream/idp/start?request=${v}`,
        `/upstream/${v}/start?request=${v}`,
        `/upstream/idp/callback?state=${v}&code=${v}`,
        `/upstream/${v}/callback?state=${v}`,
        `/upstream/idp/callback?error=${v}&state=${v}`,
        `/upstream/idp/callback?state=${encodeURIComponent(state)}&code=${v}&iss=${v}`,
      ]) {
        const res = await b.send(`${s.url}${path}`);
        const label = `${path.slice(0, 80)} → ${res.status}`;
        expect(res.status, label).toBeLessThan(500);
        if (res.status >= 400) await expectErrorPage(res, label);
        else await res.body?.cancel();
      }
    }
    expect(b.jars.get(s.url)?.has('__Host-tessera-session')).toBe(false);
    expect((await s.deps.store.listUsers({ limit: 10 })).items.map((u) => u.username)).toEqual(['alice']);
  });
});

describe('hostile values on the account page', () => {
  it('never answers 500 to odd fields in its forms with a good CSRF token and session, echoes no markup, and changes nothing', async () => {
    const s = await accountServer();
    const b = s.browser();
    await accountSignIn(b);
    const tokens = await spaSignIn(s, b);
    const fields = ['session', 'provider', 'email', 'password', 'current_password', 'new_password', 'username'];
    for (const value of weird) {
      for (const action of [
        '/account/reauth',
        '/account/email',
        '/account/password',
        '/account/sessions/end',
        '/account/identities/unlink',
        '/account/login',
      ]) {
        const res = await accountPost(b, action, Object.fromEntries(fields.map((f) => [f, value])));
        const label = `${action} ${JSON.stringify(value.slice(0, 20))} → ${res.status}`;
        expect(res.status, label).toBeLessThan(500);
        const html = await res.text();
        expect(html, label).not.toContain('<script>alert(1)</script>');
        if (res.status >= 400) expect(res.headers.get('content-security-policy'), label).toContain("frame-ancestors 'none'");
      }
      for (const path of [`/account/sessions/${encodeOrRaw(value)}`, `/account?done=${encodeOrRaw(value)}`]) {
        const method = path.startsWith('/account/sessions/') ? 'DELETE' : 'GET';
        const res = await b.send(path, { method, headers: { authorization: `Bearer ${tokens.access_token}` } });
        expect(res.status, `${method} ${path.slice(0, 60)} → ${res.status}`).toBeLessThan(500);
        await res.body?.cancel();
      }
    }
    // Still signed in, with the same address (or none: a blank one removes it), and the session still live.
    expect((await b.get('/account')).status).toBe(200);
    expect([null, 'alice@example.com']).toContain((await s.deps.store.findUserById(s.alice.id))?.email);
    expect((await s.fetch('/account/sessions', { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
  });
});

/** Percent-encodes a value; a lone surrogate, which has no UTF-8, goes as the bytes a careless client would send. */
function encodeOrRaw(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const part = (value: unknown) => b64(JSON.stringify(value));

/** DPoP headers no client should send (RFC 9449 §4): not JWTs, JWTs of the wrong shape, keys that are not keys, claims of the wrong types. */
async function hostileProofs(htu: string, htm: string): Promise<[string, string][]> {
  const key = await dpopKey();
  const iat = 1_700_000_000;
  return [
    ['an empty value', ' '],
    ['one word', 'proof'],
    ['three dots of nothing', 'a.b.c'],
    ['JSON null everywhere', `${part(null)}.${part(null)}.${part(null)}`],
    ['a jwk that is a string', `${part({ typ: 'dpop+jwt', alg: 'ES256', jwk: 'x' })}.${part({})}.AAAA`],
    ['a jwk missing its members', `${part({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } })}.${part([])}.AAAA`],
    ['an RSA jwk under an EC alg', `${part({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } })}.${part({})}.AAAA`],
    ['alg none', `${part({ typ: 'dpop+jwt', alg: 'none', jwk: key.jwk })}.${part({ jti: 'x', htm, htu, iat })}.`],
    ['claims of the wrong types', await key.proof({ htm, htu, iat, claims: { jti: { a: 1 }, htm: 5, htu: ['x'], iat: 'now', ath: 7, nonce: {} } })],
    ['an htu that is no URL', await key.proof({ htm, htu: '::::', iat })],
    ['a huge iat', await key.proof({ htm, htu, iat: 1e300 })],
    ['two proofs', `${await key.proof({ htm, htu, iat })},${await key.proof({ htm, htu, iat })}`],
    // Longer than any proof, within what Node reads of a header (16 KiB, beyond which it answers 431 itself).
    ['a very long value', 'a'.repeat(9000)],
  ];
}

describe('hostile DPoP headers at every endpoint that reads them', () => {
  it('never answers 500, and answers errors in the RFC shape', async () => {
    const { fetch, adminToken, url, serviceSecret } = await adminSetup();
    const client = basic('billing', serviceSecret);
    const formType = 'application/x-www-form-urlencoded';
    const targets: { method: string; path: string; headers: Record<string, string>; body?: string }[] = [
      { method: 'POST', path: '/token', headers: { authorization: client, 'content-type': formType }, body: 'grant_type=client_credentials' },
      { method: 'POST', path: '/token', headers: { 'content-type': formType }, body: 'grant_type=password&client_id=web-app&username=alice&password=x' },
      { method: 'POST', path: '/refresh', headers: { 'content-type': formType }, body: 'refresh_token=nope' },
      { method: 'POST', path: '/introspect', headers: { authorization: client, 'content-type': formType }, body: `token=${adminToken}` },
      { method: 'GET', path: '/userinfo', headers: { authorization: `DPoP ${adminToken}` } },
      { method: 'POST', path: '/userinfo', headers: { authorization: 'DPoP x.y.z' } },
      { method: 'GET', path: '/admin/users', headers: { authorization: `DPoP ${adminToken}` } },
      { method: 'GET', path: '/admin/users', headers: { authorization: `Bearer ${adminToken}` } },
      { method: 'GET', path: '/account/sessions', headers: { authorization: `DPoP ${adminToken}` } },
      { method: 'DELETE', path: '/account/sessions/fam_x', headers: { authorization: `DPoP ${adminToken}` } },
      {
        method: 'POST',
        path: '/par',
        headers: { authorization: client, 'content-type': formType },
        body: 'response_type=code&redirect_uri=https%3A%2F%2Fx.example%2F&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
      },
    ];
    for (const target of targets) {
      for (const [name, dpop] of await hostileProofs(`${url}${target.path}`, target.method)) {
        const res = await fetch(target.path, { method: target.method, headers: { ...target.headers, dpop }, body: target.body });
        const label = `${target.method} ${target.path} with ${name} → ${res.status}`;
        expect(res.status, label).toBeLessThan(500);
        if (res.status >= 400) expect(await res.json(), label).toEqual({ error: expect.stringMatching(/^[a-z_]+$/), error_description: expect.any(String) });
        else await res.body?.cancel();
      }
    }
  });
});
