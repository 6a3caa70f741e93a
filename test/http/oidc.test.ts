import { describe, expect, it } from 'vitest';
import { browserAppsServer, pkce, redirectParams, spaRedirect, spaRequest } from '../helpers/authorize.js';
import { alicePassword } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { form } from '../helpers/server.js';

async function setup() {
  const server = await browserAppsServer();
  const b = server.browser;
  /** Signs alice in to spa and exchanges the code. */
  const tokens = async (scope = 'openid email read') => {
    const v = pkce();
    const page = await b.get(spaRequest(v.challenge, { scope, prompt: 'login' }));
    const { code } = redirectParams(await b.login(page));
    const res = await server.fetch(
      '/token',
      form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect, code_verifier: v.verifier }),
    );
    return (await res.json()) as { access_token: string; refresh_token: string; id_token?: string };
  };
  return { ...server, tokens };
}

const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

describe('GET /.well-known/openid-configuration', () => {
  it('lists the endpoints and features that exist, and nothing else', async () => {
    const { fetch, url } = await setup();
    const res = await fetch('/.well-known/openid-configuration');
    await expectMatchesSpec(res, { method: 'get', path: '/.well-known/openid-configuration' });
    expect(await res.json()).toEqual({
      issuer: url,
      authorization_endpoint: `${url}/authorize`,
      token_endpoint: `${url}/token`,
      userinfo_endpoint: `${url}/userinfo`,
      end_session_endpoint: `${url}/logout`,
      jwks_uri: `${url}/.well-known/jwks.json`,
      revocation_endpoint: `${url}/revoke`,
      introspection_endpoint: `${url}/introspect`,
      grant_types_supported: ['password', 'client_credentials', 'refresh_token', 'authorization_code', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      dpop_signing_alg_values_supported: ['ES256', 'EdDSA', 'PS256', 'RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
      revocation_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      introspection_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      pushed_authorization_request_endpoint: `${url}/par`,
      require_pushed_authorization_requests: false,
      service_documentation: `${url}/docs`,
      scopes_supported: ['openid', 'profile', 'email'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: [
        ...['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid', 'at_hash', 'amr', 'acr', 'preferred_username', 'name', 'given_name', 'family_name'],
        ...['picture', 'locale', 'updated_at', 'email', 'email_verified'],
      ],
      acr_values_supported: ['urn:tessera:pwd', 'urn:tessera:mfa'],
      prompt_values_supported: ['none', 'login', 'consent'],
      ui_locales_supported: ['en', 'ko'],
      claims_parameter_supported: false,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
    });
    const rfc8414 = await (await fetch('/.well-known/oauth-authorization-server')).json();
    expect(rfc8414.userinfo_endpoint).toBeUndefined();
    expect(rfc8414.authorization_endpoint).toBe(`${url}/authorize`);
  });
});

describe('/userinfo', () => {
  it('answers sub, the profile only with scope profile, and the e-mail only with scope email', async () => {
    const s = await setup();
    const withEmail = await s.tokens();
    const res = await s.fetch('/userinfo', bearer(withEmail.access_token));
    await expectMatchesSpec(res, { method: 'get', path: '/userinfo' });
    expect(await res.json()).toEqual({ sub: s.alice.id, email: 'alice@example.com', email_verified: true });
    const without = await s.tokens('openid read');
    expect(await (await s.fetch('/userinfo', { ...bearer(without.access_token), method: 'POST' })).json()).toEqual({ sub: s.alice.id });
  });

  it('refuses a missing, malformed or foreign token with 401, and a token without openid with 403', async () => {
    const s = await setup();
    const noOpenid = await s.tokens('read');
    const cases: [RequestInit, number, string][] = [
      [{}, 401, 'invalid_token'],
      [bearer('not.a.token'), 401, 'invalid_token'],
      [{ headers: { authorization: 'Basic abc' } }, 401, 'invalid_token'],
      [bearer(noOpenid.access_token), 403, 'insufficient_scope'],
    ];
    for (const [init, status, error] of cases) {
      const res = await s.fetch('/userinfo', init);
      expect([res.status, (await res.clone().json()).error]).toEqual([status, error]);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      await expectMatchesSpec(res, { method: 'get', path: '/userinfo' });
    }
  });

  it('refuses a token whose session was revoked, or whose client was deleted', async () => {
    const s = await setup();
    const first = await s.tokens();
    await s.fetch('/revoke', form({ client_id: 'spa', token: first.refresh_token }));
    expect((await s.fetch('/userinfo', bearer(first.access_token))).status).toBe(401);
    const second = await s.tokens();
    await s.deps.store.deleteClient('spa', s.deps.clock.now().getTime());
    expect(await (await s.fetch('/userinfo', bearer(second.access_token))).json()).toEqual({
      error: 'invalid_token',
      error_description: 'the session of this access token has ended',
    });
  });
});

describe('/logout (RP-Initiated Logout)', () => {
  it('with id_token_hint revokes that session and redirects to a registered URI with the state', async () => {
    const s = await setup();
    const t = await s.tokens();
    const query = new URLSearchParams({ id_token_hint: t.id_token!, post_logout_redirect_uri: 'https://spa.example/bye', state: 'bye' });
    const res = await s.browser.post('/logout', Object.fromEntries(query));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://spa.example/bye?state=bye');
    expect(await s.deps.store.findFamily('fam_1')).toMatchObject({ revokeReason: 'logout' });
    const refresh = await s.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: t.refresh_token }));
    expect(refresh.status).toBe(400);
  });

  it('accepts an expired id_token as hint', async () => {
    const s = await setup();
    const t = await s.tokens();
    s.deps.clock.advance(3600);
    const res = await s.browser.get(`/logout?${new URLSearchParams({ id_token_hint: t.id_token! })}`);
    expect(res.status).toBe(200);
    expect(await s.deps.store.findFamily('fam_1')).toMatchObject({ revokeReason: 'logout' });
  });

  it('never redirects to an unregistered URI, and refuses a hint that is not our id_token', async () => {
    const s = await setup();
    const t = await s.tokens();
    for (const query of [
      { post_logout_redirect_uri: 'https://evil.example/', id_token_hint: t.id_token! },
      { post_logout_redirect_uri: 'https://spa.example/bye' },
      { post_logout_redirect_uri: spaRedirect, client_id: 'spa' },
      { id_token_hint: t.access_token },
      { id_token_hint: 'garbage' },
      { id_token_hint: t.id_token!, client_id: 'partner' },
    ] as Record<string, string>[]) {
      const res = await s.browser.get(`/logout?${new URLSearchParams(query)}`);
      expect(res.status, JSON.stringify(query).slice(0, 80)).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      await expectMatchesSpec(res, { method: 'get', path: '/logout' });
    }
    expect(await s.deps.store.findFamily('fam_1')).toMatchObject({ revokedAt: null });
  });
});

describe('the hosted pages match openapi.yaml', () => {
  it('GET /authorize, POST /login and POST /consent: pages, redirects and refusals', async () => {
    const s = await setup();
    const authorize = { method: 'get', path: '/authorize' };
    const page = await s.browser.get(spaRequest(pkce().challenge));
    await expectMatchesSpec(page, authorize);
    await expectMatchesSpec(await s.browser.get(spaRequest(pkce().challenge, { client_id: 'nobody' })), authorize);
    await expectMatchesSpec(await s.browser.get(spaRequest(pkce().challenge, { prompt: 'none' })), authorize);
    const wrong = await s.browser.login(page.clone(), 'alice', 'wrong password');
    expect(wrong.status).toBe(400);
    await expectMatchesSpec(wrong, { method: 'post', path: '/login' });
    const good = await s.browser.login(page, 'alice', alicePassword);
    expect(good.status).toBe(303);
    await expectMatchesSpec(good, { method: 'post', path: '/login' });
    await expectMatchesSpec(await s.browser.post('/login', { username: 'alice' }), { method: 'post', path: '/login' });
    await expectMatchesSpec(await s.browser.post('/consent', { decision: 'allow' }), { method: 'post', path: '/consent' });
    const css = await s.fetch('/assets/tessera.css');
    expect(css.headers.get('cache-control')).toBe('public, max-age=86400');
    await expectMatchesSpec(css, { method: 'get', path: '/assets/tessera.css' });
  });
});
