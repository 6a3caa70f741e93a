import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { updateUser } from '../../src/services/users.js';
import { createUser } from '../../src/services/users.js';
import {
  authorizeQuery,
  browser,
  hiddenFields,
  partnerRedirect,
  pkce,
  redirectParams,
  spaRedirect,
  spaRequest,
  browserAppsServer,
} from '../helpers/authorize.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { form } from '../helpers/server.js';

// Issue 24 items 7–9: OpenID Connect as clients use it, after the OpenID Foundation's Basic OP test plan.

const operator = { name: 'cli' };

async function setup() {
  const server = await browserAppsServer();
  await updateUser(server.deps, operator, server.alice.id, {
    name: 'Alice Kim',
    givenName: 'Alice',
    familyName: 'Kim',
    picture: 'https://images.example.com/alice.png',
    locale: 'ko-KR',
  });
  const b = server.browser;
  const verify = async (idToken: string): Promise<JWTPayload> => {
    const now = server.deps.clock.now();
    return (await jwtVerify(idToken, createLocalJWKSet(server.deps.keys.jwks(now)), { currentDate: now, issuer: server.url, audience: 'spa' })).payload;
  };
  /** Signs alice in to spa (a fresh password entry) with `over` and exchanges the code. */
  const tokens = async (over: Record<string, string | undefined> = {}) => {
    const v = pkce();
    const page = await b.get(spaRequest(v.challenge, { prompt: 'login', ...over }));
    const { code } = redirectParams(await b.login(page));
    const res = await server.fetch(
      '/token',
      form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect, code_verifier: v.verifier }),
    );
    expect(res.status).toBe(200);
    return (await res.json()) as { access_token: string; refresh_token: string; id_token?: string; scope: string };
  };
  return { ...server, verify, tokens };
}

const profile = {
  preferred_username: 'alice',
  name: 'Alice Kim',
  given_name: 'Alice',
  family_name: 'Kim',
  picture: 'https://images.example.com/alice.png',
  locale: 'ko-KR',
  updated_at: 1_700_000_000,
};

describe('scopes as OpenID clients send them (item 7)', () => {
  it('grants openid profile email without a client scope, and leaves out what is unknown or not allowed', async () => {
    const s = await setup();
    const granted = await s.tokens({ scope: 'openid profile email read delete admin' });
    expect(granted.scope).toBe('openid profile email read');
    const defaults = await s.tokens({ scope: 'openid profile email' });
    expect(defaults.scope).toBe('openid profile email');
    // Nothing the client may have: an empty grant, not an error and not the default.
    expect((await s.tokens({ scope: 'delete' })).scope).toBe('');
  });

  it('still refuses a scope that is not a scope token (RFC 6749 §3.3)', async () => {
    const s = await setup();
    const res = await s.browser.get(spaRequest(pkce().challenge, { scope: 'openid "x' }));
    expect(redirectParams(res)).toMatchObject({ error: 'invalid_scope', state: 'state-123' });
  });

  it('answers the profile claims with scope profile and the address with scope email at /userinfo', async () => {
    const s = await setup();
    const both = await s.tokens({ scope: 'openid profile email' });
    const res = await s.fetch('/userinfo', { headers: { authorization: `Bearer ${both.access_token}` } });
    await expectMatchesSpec(res, { method: 'get', path: '/userinfo' });
    expect(await res.json()).toEqual({ sub: s.alice.id, ...profile, email: 'alice@example.com', email_verified: true });
    const onlyProfile = await s.tokens({ scope: 'openid profile' });
    expect(await (await s.fetch('/userinfo', { headers: { authorization: `Bearer ${onlyProfile.access_token}` } })).json()).toEqual({
      sub: s.alice.id,
      ...profile,
    });
  });

  it('leaves out profile claims the user has not got', async () => {
    const s = await setup();
    await updateUser(s.deps, operator, s.alice.id, { name: null, givenName: null, familyName: null, picture: null, locale: null });
    const t = await s.tokens({ scope: 'openid profile' });
    const info = await (await s.fetch('/userinfo', { headers: { authorization: `Bearer ${t.access_token}` } })).json();
    expect(info).toEqual({ sub: s.alice.id, preferred_username: 'alice', updated_at: 1_700_000_000 });
  });
});

describe('the id_token (item 8)', () => {
  it('carries the granted profile and e-mail claims', async () => {
    const s = await setup();
    const t = await s.tokens({ scope: 'openid profile email' });
    expect(await s.verify(t.id_token!)).toMatchObject({ sub: s.alice.id, ...profile, email: 'alice@example.com', email_verified: true });
    const bare = await s.verify((await s.tokens({ scope: 'openid' })).id_token!);
    expect(Object.keys(bare).sort()).toEqual(['acr', 'amr', 'at_hash', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'nonce', 'sid', 'sub']);
  });

  it('comes fresh with a refresh of an openid session: same sub, sid and auth_time, no nonce, the claims as they are now', async () => {
    const s = await setup();
    const t = await s.tokens({ scope: 'openid profile email' });
    const first = await s.verify(t.id_token!);
    s.deps.clock.advance(30);
    await updateUser(s.deps, operator, s.alice.id, { name: 'Alice Park' });
    const res = await s.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: t.refresh_token }));
    await expectMatchesSpec(res, { method: 'post', path: '/token' });
    const refreshed = await res.json();
    expect(refreshed.scope).toBe('openid profile email');
    const claims = await s.verify(refreshed.id_token);
    expect(first.auth_time).toEqual(expect.any(Number));
    expect(claims).toMatchObject({ sub: first.sub, sid: first.sid, auth_time: first.auth_time, aud: 'spa', iat: first.iat! + 30, name: 'Alice Park' });
    expect(claims.email).toBe('alice@example.com');
    expect(claims.nonce).toBeUndefined();

    // A refresh narrowed to scopes without openid is no OpenID answer.
    const narrowed = await s.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: refreshed.refresh_token, scope: 'profile' }));
    expect(await narrowed.json()).not.toHaveProperty('id_token');
  });

  it('is not part of a refresh of a session without openid', async () => {
    const s = await setup();
    const t = await s.tokens({ scope: 'read' });
    const res = await s.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: t.refresh_token }));
    expect(await res.json()).not.toHaveProperty('id_token');
  });
});

describe('the Basic OP checks (item 9)', () => {
  it('redeems a code with client_secret_post', async () => {
    const s = await setup();
    const v = pkce();
    const page = await s.browser.get(
      authorizeQuery({
        ...{ response_type: 'code', client_id: 'partner', redirect_uri: partnerRedirect, scope: 'openid profile', state: 's' },
        ...{ code_challenge: v.challenge, code_challenge_method: 'S256' },
      }),
    );
    const { code } = redirectParams(await s.browser.consent(await s.browser.login(page), 'allow'));
    const fields = { grant_type: 'authorization_code', code: code!, redirect_uri: partnerRedirect, code_verifier: v.verifier };
    const res = await s.fetch('/token', form({ ...fields, client_id: 'partner', client_secret: s.partnerSecret }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ scope: 'openid profile', id_token: expect.any(String) });
  });

  it('answers /userinfo by GET and by POST, with the token in the header or the form body (RFC 6750 §2.2)', async () => {
    const s = await setup();
    const { access_token } = await s.tokens({ scope: 'openid email' });
    const expected = { sub: s.alice.id, email: 'alice@example.com', email_verified: true };
    const byPost = await s.fetch('/userinfo', { method: 'POST', headers: { authorization: `Bearer ${access_token}` } });
    expect(await byPost.json()).toEqual(expected);
    const inBody = await s.fetch('/userinfo', form({ access_token }));
    await expectMatchesSpec(inBody, { method: 'post', path: '/userinfo' });
    expect(await inBody.json()).toEqual(expected);

    const both = await s.fetch('/userinfo', {
      ...form({ access_token }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${access_token}` },
    });
    expect(both.status).toBe(400);
    await expectMatchesSpec(both, { method: 'post', path: '/userinfo' });
    expect(await both.json()).toEqual({
      error: 'invalid_request',
      error_description: 'send the access token in the Authorization header or the body, not both',
    });
    const bad = await s.fetch('/userinfo', form({ access_token: 'not a token' }));
    expect([bad.status, (await bad.json()).error]).toEqual([401, 'invalid_token']);
    const none = await s.fetch('/userinfo', form({ other: 'x' }));
    expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="tessera", DPoP algs="ES256 EdDSA PS256 RS256"']);
  });

  it('follows prompt: login asks again, none answers from the session, consent asks a third party again, none with others is refused', async () => {
    const s = await setup();
    await s.tokens();
    expect((await s.browser.get(spaRequest(pkce().challenge, { prompt: 'login' }))).status).toBe(200);
    expect(redirectParams(await s.browser.get(spaRequest(pkce().challenge, { prompt: 'none' })))).toMatchObject({ code: expect.any(String) });
    const partner = (prompt: string) =>
      authorizeQuery({
        ...{ response_type: 'code', client_id: 'partner', redirect_uri: partnerRedirect, scope: 'openid', state: 's', prompt },
        ...{ code_challenge: pkce().challenge, code_challenge_method: 'S256' },
      });
    await s.browser.consent(await s.browser.get(partner('consent')), 'allow');
    expect(await (await s.browser.get(partner('consent'))).text()).toContain('name="decision" value="allow"');
    expect(redirectParams(await s.browser.get(spaRequest(pkce().challenge, { prompt: 'none login' })))).toMatchObject({
      error: 'invalid_request',
      error_description: 'prompt=none cannot be combined with other values',
    });
  });

  it('asks for the password again with max_age=0, and the id_token says when it was entered', async () => {
    const s = await setup();
    await s.tokens();
    s.deps.clock.advance(5);
    const page = await s.browser.get(spaRequest(pkce().challenge, { max_age: '0' }));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('autocomplete="current-password"');
    const t = await s.tokens({ max_age: '0', prompt: undefined });
    expect((await s.verify(t.id_token!)).auth_time).toBe(Math.floor(s.deps.clock.now().getTime() / 1000));
    expect(redirectParams(await s.browser.get(spaRequest(pkce().challenge, { max_age: '0', prompt: 'none' })))).toMatchObject({ error: 'login_required' });
  });

  it('follows id_token_hint: the same user passes, another user with prompt=none is login_required, a forged hint is refused', async () => {
    const s = await setup();
    const aliceToken = (await s.tokens()).id_token!;
    expect(redirectParams(await s.browser.get(spaRequest(pkce().challenge, { prompt: 'none', id_token_hint: aliceToken })))).toMatchObject({
      code: expect.any(String),
    });

    // bob signs in in another browser; his id_token names another user than alice's session.
    await createUser(s.deps, operator, { username: 'bob', password: 'bob has a password' });
    const other = browser(s.fetch);
    const v = pkce();
    const { code } = redirectParams(await other.login(await other.get(spaRequest(v.challenge)), 'bob', 'bob has a password'));
    const bobTokens = await (
      await s.fetch('/token', form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect, code_verifier: v.verifier }))
    ).json();
    expect(redirectParams(await s.browser.get(spaRequest(pkce().challenge, { prompt: 'none', id_token_hint: bobTokens.id_token })))).toMatchObject({
      error: 'login_required',
      state: 'state-123',
    });
    expect((await s.browser.get(spaRequest(pkce().challenge, { id_token_hint: bobTokens.id_token }))).status).toBe(200);

    const [h, p] = aliceToken.split('.');
    const forged = `${h}.${p}.${'A'.repeat(342)}`;
    expect(redirectParams(await s.browser.get(spaRequest(pkce().challenge, { id_token_hint: forged })))).toEqual({
      error: 'invalid_request',
      error_description: 'id_token_hint is not an id_token issued here',
      state: 'state-123',
      iss: s.url,
    });
  });

  it('fills in the username from login_hint, accepts ui_locales, and ignores parameters it does not know', async () => {
    const s = await setup();
    const page = await s.browser.get(
      spaRequest(pkce().challenge, { login_hint: 'alice', ui_locales: 'tlh fr-CA', display: 'page', acr_values: 'x', foo: 'bar' }),
    );
    expect(page.status).toBe(200);
    const html = await page.clone().text();
    expect(html).toMatch(/<input id="username" name="username"[^>]* value="alice"/);
    expect(
      redirectParams(await s.browser.post('/login', { ...hiddenFields(html), username: 'alice', password: 'correct horse battery staple' })),
    ).toMatchObject({
      code: expect.any(String),
    });
  });

  it('refuses request and request_uri by redirect, as the metadata says', async () => {
    const s = await setup();
    const metadata = await (await s.fetch('/.well-known/openid-configuration')).json();
    expect(metadata).toMatchObject({ request_parameter_supported: false, request_uri_parameter_supported: false });
    expect(redirectParams(await s.browser.get(spaRequest(pkce().challenge, { request: 'eyJhbGciOiJub25lIn0.e30.' })))).toMatchObject({
      error: 'request_not_supported',
      state: 'state-123',
      iss: s.url,
    });
    expect(redirectParams(await s.browser.get(spaRequest(pkce().challenge, { request_uri: 'https://spa.example/request.jwt' })))).toMatchObject({
      error: 'request_uri_not_supported',
      state: 'state-123',
      iss: s.url,
    });
  });

  it('takes the authorization request as a form POST, the same as GET', async () => {
    const s = await setup();
    const v = pkce();
    const fields = Object.fromEntries(new URLSearchParams(spaRequest(v.challenge, { scope: 'openid profile email' }).split('?')[1]));
    const page = await s.browser.post('/authorize', fields);
    expect(page.status).toBe(200);
    const { code, state } = redirectParams(await s.browser.login(page));
    expect(state).toBe('state-123');
    const res = await s.fetch(
      '/token',
      form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect, code_verifier: v.verifier }),
    );
    expect(await s.verify((await res.json()).id_token)).toMatchObject({ nonce: 'nonce-456', name: 'Alice Kim' });
  });
});
