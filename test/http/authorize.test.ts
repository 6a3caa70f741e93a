import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { disableClient } from '../../src/services/clients.js';
import { revokeUserFamilies } from '../../src/services/sessions/families.js';
import { accessTokenHash } from '../../src/services/id-token.js';
import { setPassword } from '../../src/services/users.js';
import {
  authorizeQuery,
  browser,
  hiddenFields,
  partnerRedirect,
  pkce,
  redirectParams,
  seedBrowserApps,
  spaRedirect,
  spaRequest,
  browserAppsServer,
} from '../helpers/authorize.js';
import { alicePassword } from '../helpers/fixtures.js';
import { basic, form, testServer } from '../helpers/server.js';

const setup = (env: Record<string, string> = {}) => browserAppsServer({ env });

type Setup = Awaited<ReturnType<typeof setup>>;

/** Signs alice in through the login page and returns the redirect's query. */
async function signIn(s: Setup, verifier: { challenge: string }, over: Record<string, string | undefined> = {}) {
  const page = await s.browser.get(spaRequest(verifier.challenge, over));
  expect(page.status).toBe(200);
  return redirectParams(await s.browser.login(page));
}

const redeem = (s: Setup, code: string, verifier: string, over: Record<string, string> = {}) =>
  s.fetch('/token', form({ grant_type: 'authorization_code', client_id: 'spa', code, redirect_uri: spaRedirect, code_verifier: verifier, ...over }));

describe('GET /authorize and the hosted login', () => {
  it('signs in on the login page and redirects with a code, the state and iss', async () => {
    const s = await setup();
    const v = pkce();
    const page = await s.browser.get(spaRequest(v.challenge));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self' https://spa.example; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.clone().text();
    // Conditional mediation: the browser offers passkeys in the username field (contract section 12).
    expect(html).toContain('<input id="username" name="username" type="text" autocomplete="username webauthn"');
    expect(html).toMatch(/<input id="password" name="password" type="password" autocomplete="current-password"/);
    const passwordForm = html.slice(html.indexOf('<form method="post" action="/login">'), html.indexOf('</form>') + 7);
    expect(passwordForm.match(/type="submit"/g)).toHaveLength(1);
    // The only scripts are our own passkey helpers; nothing comes from another origin.
    expect(html.match(/<script src="([^"]+)"/g)).toEqual(['<script src="/assets/simplewebauthn-browser.js"', '<script src="/assets/passkeys.js"']);
    expect(html).not.toMatch(/https?:\/\/(?!spa\.example)/);
    expect(Object.keys(hiddenFields(passwordForm))).toEqual(['csrf_token', 'request']);

    const back = await s.browser.login(page);
    expect(back.headers.get('set-cookie')).toMatch(/__Host-tessera-session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    const params = redirectParams(back);
    expect(back.headers.get('location')!.startsWith(`${spaRedirect}?`)).toBe(true);
    expect(params).toEqual({ code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), state: 'state-123', iss: s.url });
  });

  it('exchanges the code for tokens with an id_token, and userinfo answers for it', async () => {
    const s = await setup();
    const v = pkce();
    const { code } = await signIn(s, v);
    const res = await redeem(s, code!, v.verifier);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const tokens = await res.json();
    expect(tokens).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token: expect.any(String),
      scope: 'openid email read',
      id_token: expect.any(String),
    });
    const now = s.deps.clock.now();
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token, createLocalJWKSet(s.deps.keys.jwks(now)), { currentDate: now });
    expect(protectedHeader).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    const iat = Math.floor(now.getTime() / 1000);
    expect(payload).toEqual({
      iss: s.url,
      sub: s.alice.id,
      aud: 'spa',
      exp: iat + 600,
      iat,
      auth_time: iat,
      amr: ['pwd'],
      acr: 'urn:tessera:pwd',
      nonce: 'nonce-456',
      sid: 'fam_1',
      at_hash: accessTokenHash(tokens.access_token, decodeProtectedHeader(tokens.access_token).alg!),
      email: 'alice@example.com',
      email_verified: true,
    });

    const info = await s.fetch('/userinfo', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await info.json()).toEqual({ sub: s.alice.id, email: 'alice@example.com', email_verified: true });
    const posted = await s.fetch('/userinfo', { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(posted.status).toBe(200);

    // The family is an ordinary one: its refresh token rotates.
    const refreshed = await s.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: tokens.refresh_token }));
    expect(refreshed.status).toBe(200);
  });

  it('signs in again without a password in the same browser (single sign-on), also for another client', async () => {
    const s = await setup();
    await signIn(s, pkce());
    const again = await s.browser.get(spaRequest(pkce().challenge, { state: 'second' }));
    expect(redirectParams(again)).toMatchObject({ code: expect.any(String), state: 'second' });
    const audit = (await s.deps.store.listAuditEvents({ limit: 50, type: 'authorization_code.issued' })).items;
    expect(audit).toHaveLength(2);
  });

  it('asks for the password again with prompt=login or once max_age has passed', async () => {
    const s = await setup();
    await signIn(s, pkce());
    expect((await s.browser.get(spaRequest(pkce().challenge, { prompt: 'login' }))).status).toBe(200);
    s.deps.clock.advance(61);
    expect((await s.browser.get(spaRequest(pkce().challenge, { max_age: '60' }))).status).toBe(200);
    expect((await s.browser.get(spaRequest(pkce().challenge, { max_age: '120' }))).status).toBe(303);
  });

  it('asks for the password again after a password change or "log out everywhere"', async () => {
    const s = await setup();
    await signIn(s, pkce());
    s.deps.clock.advance(1);
    await setPassword(s.deps, { name: 'cli' }, s.alice.id, 'a brand new password');
    expect((await s.browser.get(spaRequest(pkce().challenge))).status).toBe(200);
    const page = await s.browser.get(spaRequest(pkce().challenge));
    expect((await s.browser.login(page, 'alice', 'a brand new password')).status).toBe(303);
    await revokeUserFamilies(s.deps, { name: 'cli' }, s.alice.id, 'admin');
    expect(redirectParams(await s.browser.get(spaRequest(pkce().challenge, { prompt: 'none' })))).toMatchObject({ error: 'login_required' });
  });

  it('answers prompt=none without a session with login_required', async () => {
    const s = await setup();
    const res = await s.browser.get(spaRequest(pkce().challenge, { prompt: 'none' }));
    expect(redirectParams(res)).toEqual({ error: 'login_required', error_description: 'the user is not signed in', state: 'state-123', iss: s.url });
  });

  it('shows the form again with one message for a wrong password or an unknown user, and issues no code', async () => {
    const s = await setup();
    for (const [username, password] of [
      ['alice', 'wrong password'],
      ['nobody', alicePassword],
    ]) {
      const page = await s.browser.get(spaRequest(pkce().challenge));
      const res = await s.browser.login(page, username, password);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('<p class="alert" role="alert" id="login-error">The username or password is incorrect.</p>');
      expect(html).toContain(`value="${username}"`);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(s.browser.jar.has('__Host-tessera-session')).toBe(false);
    expect((await s.deps.store.listAuditEvents({ limit: 50, type: 'authorization_code.issued' })).items).toEqual([]);
  });

  it('counts failed sign-ins with the password grant, and past the limit shows the form with 429 and Retry-After', async () => {
    const s = await setup({ LOGIN_RATE_LIMIT_PER_USER: '2' });
    const page = await s.browser.get(spaRequest(pkce().challenge));
    const fields = hiddenFields(await page.text());
    const attempt = (password: string) => s.browser.post('/login', { ...fields, username: 'alice', password });
    expect((await attempt('wrong 1')).status).toBe(400);
    const grant = await s.fetch('/token', form({ grant_type: 'password', client_id: 'web', username: 'alice', password: 'wrong 2' }));
    expect(grant.status).toBe(401); // no such client: not counted
    expect((await attempt('wrong 2')).status).toBe(400);
    const limited = await attempt(alicePassword);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await limited.text()).toContain('Too many failed sign-ins. Wait a minute, then try again.');
    expect(s.browser.jar.has('__Host-tessera-session')).toBe(false);
    s.deps.clock.advance(60);
    expect((await attempt(alicePassword)).status).toBe(303);
  });

  it('refuses a login form without the CSRF token, or with another one', async () => {
    const s = await setup();
    const page = await s.browser.get(spaRequest(pkce().challenge));
    const request = hiddenFields(await page.text()).request!;
    for (const fields of [{ request }, { request, csrf_token: 'x'.repeat(43) }] as Record<string, string>[]) {
      const res = await s.browser.post('/login', { ...fields, username: 'alice', password: alicePassword });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('This form has expired or was not sent from this site');
    }
    expect(s.browser.jar.has('__Host-tessera-session')).toBe(false);
  });

  it('refuses an altered authorization request in the login form', async () => {
    const s = await setup();
    const page = await s.browser.get(spaRequest(pkce().challenge));
    const fields = hiddenFields(await page.text());
    const [h, p, sig] = fields.request!.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    claims.request.redirectUri = 'https://evil.example/cb';
    const altered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    const res = await s.browser.post('/login', { ...fields, request: altered, username: 'alice', password: alicePassword });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('errors of /authorize (RFC 6749 §4.1.2.1)', () => {
  it('shows an error page, never a redirect, for an unknown client or a missing or unregistered redirect_uri', async () => {
    const s = await setup();
    const { challenge } = pkce();
    for (const path of [
      spaRequest(challenge, { client_id: 'nobody' }),
      spaRequest(challenge, { client_id: undefined }),
      spaRequest(challenge, { redirect_uri: undefined }),
      spaRequest(challenge, { redirect_uri: 'https://evil.example/callback' }),
      spaRequest(challenge, { redirect_uri: `${spaRedirect}/x` }),
    ]) {
      const res = await s.browser.get(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await res.text()).toContain('This request cannot be completed');
    }
  });

  it('treats a disabled client as unknown, also on a login page that was already open', async () => {
    const s = await setup();
    const page = await s.browser.get(spaRequest(pkce().challenge));
    await disableClient(s.deps, { name: 'cli' }, 'spa');
    for (const res of [await s.browser.get(spaRequest(pkce().challenge)), await s.browser.login(page)]) {
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(s.browser.jar.has('__Host-tessera-session')).toBe(false);
  });

  it('redirects missing or plain PKCE with invalid_request, the state and iss', async () => {
    const s = await setup();
    const { challenge } = pkce();
    const cases: [Record<string, string | undefined>, string][] = [
      [{ code_challenge: undefined, code_challenge_method: undefined }, 'code_challenge is required (PKCE with S256)'],
      [{ code_challenge_method: 'plain' }, 'code_challenge_method must be S256; plain is not supported'],
      [{ code_challenge_method: undefined }, 'code_challenge_method must be S256; plain is not supported'],
    ];
    for (const [over, description] of cases) {
      const res = await s.browser.get(spaRequest(challenge, over));
      expect(redirectParams(res)).toEqual({ error: 'invalid_request', error_description: description, state: 'state-123', iss: s.url });
    }
  });

  it('accepts a loopback redirect URI on any port (RFC 8252 §7.3)', async () => {
    const s = await setup();
    const res = await s.browser.get(spaRequest(pkce().challenge, { redirect_uri: 'http://127.0.0.1:49152/native' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:49152;");
  });
});

describe('POST /token grant_type=authorization_code', () => {
  it('refuses a wrong verifier, a missing one, another redirect_uri, another client, and an expired code', async () => {
    const s = await setup();
    const v = pkce();
    const { code } = await signIn(s, v);
    const refusals: [RequestInit, number, string][] = [
      [
        form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect, code_verifier: pkce().verifier }),
        400,
        'invalid_grant',
      ],
      [form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect }), 400, 'invalid_request'],
      [
        form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: 'http://127.0.0.1/native', code_verifier: v.verifier }),
        400,
        'invalid_grant',
      ],
      [
        {
          ...form({ grant_type: 'authorization_code', code: code!, redirect_uri: spaRedirect, code_verifier: v.verifier }),
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('partner', s.partnerSecret) },
        },
        400,
        'invalid_grant',
      ],
    ];
    for (const [init, status, error] of refusals) {
      const res = await s.fetch('/token', init);
      expect([res.status, (await res.json()).error]).toEqual([status, error]);
    }
    // None of those used the code up.
    s.deps.clock.advance(60);
    const late = await redeem(s, code!, v.verifier);
    expect(await late.json()).toEqual({ error: 'invalid_grant', error_description: 'authorization code is invalid: expired' });
  });

  it('revokes the family a code started when the code is presented again', async () => {
    const s = await setup();
    const v = pkce();
    const { code } = await signIn(s, v);
    const first = await (await redeem(s, code!, v.verifier)).json();
    const replay = await redeem(s, code!, v.verifier);
    expect(await replay.json()).toEqual({ error: 'invalid_grant', error_description: 'authorization code is invalid: already used' });
    expect(await s.deps.store.findFamily('fam_1')).toMatchObject({ revokeReason: 'code_replayed' });
    const refresh = await s.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: first.refresh_token }));
    expect(refresh.status).toBe(400);
    const info = await s.fetch('/userinfo', { headers: { authorization: `Bearer ${first.access_token}` } });
    expect(info.status).toBe(401);
  });

  it('refuses a code whose sign-in came before a password change', async () => {
    const s = await setup();
    const v = pkce();
    const { code } = await signIn(s, v);
    s.deps.clock.advance(1);
    await setPassword(s.deps, { name: 'cli' }, s.alice.id, 'a brand new password');
    const res = await redeem(s, code!, v.verifier);
    expect(await res.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the sign-in behind this authorization code no longer holds (password changed or user disabled)',
    });
    expect(await s.deps.store.listFamilies({ userId: s.alice.id, limit: 10 })).toEqual({ items: [], nextCursor: null });
  });

  it('follows max_sessions and cookie mode like a password login', async () => {
    const server = await testServer();
    await seedBrowserApps(server.deps, { spa: { maxSessions: 1, refreshCookie: true } });
    const s = { ...server, browser: browser(server.fetch) } as unknown as Setup;
    const a = pkce();
    const first = await redeem(s, (await signIn(s, a)).code!, a.verifier);
    expect(first.headers.get('set-cookie')).toMatch(/^__Host-tessera-rt=/);
    expect((await first.json()).refresh_token).toBeUndefined();
    const b = pkce();
    await redeem(s, (await signIn(s, b, { prompt: 'login' })).code!, b.verifier);
    expect(await server.deps.store.findFamily('fam_1')).toMatchObject({ revokeReason: 'max_sessions' });
  });
});

describe('consent for third-party clients', () => {
  const partnerRequest = (challenge: string, over: Record<string, string> = {}) =>
    authorizeQuery({
      response_type: 'code',
      client_id: 'partner',
      redirect_uri: partnerRedirect,
      scope: 'openid read',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...over,
    });

  it('asks once, remembers the answer, and sends the code', async () => {
    const s = await setup();
    const page = await s.browser.login(await s.browser.get(partnerRequest(pkce().challenge)));
    expect(page.status).toBe(200);
    const html = await page.clone().text();
    expect(html).toContain('<button type="submit" name="decision" value="allow" class="button primary">');
    expect(html).toContain('<button type="submit" name="decision" value="deny" class="button secondary">');
    expect(html).toContain('<span class="scope-name">read</span>');
    expect(redirectParams(await s.browser.consent(page, 'allow'))).toMatchObject({ code: expect.any(String), state: 's', iss: s.url });
    expect(redirectParams(await s.browser.get(partnerRequest(pkce().challenge)))).toMatchObject({ code: expect.any(String) });
    // More scope than approved asks again; prompt=consent always asks.
    expect((await s.browser.get(partnerRequest(pkce().challenge, { prompt: 'consent' }))).status).toBe(200);
  });

  it('sends access_denied when the user denies', async () => {
    const s = await setup();
    const page = await s.browser.login(await s.browser.get(partnerRequest(pkce().challenge)));
    expect(redirectParams(await s.browser.consent(page, 'deny'))).toEqual({
      error: 'access_denied',
      error_description: 'the user denied access',
      state: 's',
      iss: s.url,
    });
    expect(await s.deps.store.findConsent(s.alice.id, 'partner')).toBeNull();
  });

  it('takes only allow or deny, and only for a request sealed for a consent page: anything else changes nothing', async () => {
    const s = await setup();
    const loginPage = await s.browser.get(partnerRequest(pkce().challenge));
    const loginFields = hiddenFields(await loginPage.clone().text());
    const page = await s.browser.login(loginPage);
    const fields = hiddenFields(await page.text());
    const maybe = await s.browser.post('/consent', { ...fields, decision: 'maybe' });
    expect(maybe.status).toBe(400);
    expect(await maybe.text()).toContain('The answer must be allow or deny.');
    // The login page's request names no user whose consent it asks.
    const fromLogin = await s.browser.post('/consent', { ...loginFields, decision: 'allow' });
    expect(fromLogin.status).toBe(400);
    expect(await fromLogin.text()).toContain('This page has expired. Go back to the application and start again.');
    expect(await s.deps.store.findConsent(s.alice.id, 'partner')).toBeNull();
    expect(redirectParams(await s.browser.post('/consent', { ...fields, decision: 'allow' }))).toMatchObject({ code: expect.any(String), state: 's' });
  });

  it('answers prompt=none with consent_required when consent is missing', async () => {
    const s = await setup();
    await signIn(s, pkce());
    expect(redirectParams(await s.browser.get(partnerRequest(pkce().challenge, { prompt: 'none' })))).toMatchObject({ error: 'consent_required' });
  });
});
