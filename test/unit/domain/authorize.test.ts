import { describe, expect, it } from 'vitest';
import {
  authorizeParamsOf,
  authorizationResponseUri,
  consentDecision,
  loginDecision,
  validateAuthorizeRequest,
  type AuthorizeParams,
} from '../../../src/domain/authorize.js';
import { implicitResource, signInGrants, userResourceCeiling, type Api } from '../../../src/domain/apis.js';
import { s256Challenge, verifierMatches } from '../../../src/domain/pkce.js';
import { redirectUriMatches, redirectUriProblem } from '../../../src/domain/redirect-uri.js';
import type { Client } from '../../../src/domain/types.js';

const client: Client = {
  id: 'spa',
  secretHash: null,
  grants: ['authorization_code', 'refresh_token'],
  scopes: ['read', 'write', 'admin'],
  audience: null,
  maxSessions: null,
  refreshCookie: false,
  redirectUris: ['https://app.example/cb', 'http://127.0.0.1/native'],
  postLogoutRedirectUris: [],
  thirdParty: false,
  name: null,
  logoUri: null,
  requireMfa: false,
  createdAt: 0,
  disabledAt: null,
  tokensRevokedAt: null,
  dpopBoundAccessTokens: false,
  previousSecretHash: null,
  previousSecretExpiresAt: null,
  jwks: null,
  jwksUri: null,
  requirePar: false,
  profile: null,
  registeredBy: 'operator',
  apis: [],
  defaultApi: null,
};
const verifier = 'v'.repeat(43);
const good = {
  response_type: 'code',
  client_id: 'spa',
  redirect_uri: 'https://app.example/cb',
  code_challenge: s256Challenge(verifier),
  code_challenge_method: 'S256',
  state: 'xyz',
};
const params = (fields: Record<string, string | undefined>, repeated: string[] = []): AuthorizeParams => ({
  values: new Map(Object.entries({ ...good, ...fields }).filter((e): e is [string, string] => e[1] !== undefined)),
  refused: new Map(repeated.map((name) => [name, `parameter "${name}" must not be repeated`])),
});
const validate = (fields: Record<string, string | undefined> = {}, repeated: string[] = [], c: Client | null = client) =>
  validateAuthorizeRequest(params(fields, repeated), c);

describe('validateAuthorizeRequest', () => {
  it('accepts a complete request', () => {
    expect(validate({ scope: 'openid read', nonce: 'n', prompt: 'login', max_age: '60', login_hint: 'alice', ui_locales: 'ko en' })).toEqual({
      kind: 'ok',
      request: {
        clientId: 'spa',
        redirectUri: 'https://app.example/cb',
        scopes: ['openid', 'read'],
        resources: [],
        state: 'xyz',
        nonce: 'n',
        codeChallenge: s256Challenge(verifier),
        prompt: ['login'],
        maxAge: 60,
        loginHint: 'alice',
        idTokenHint: null,
        dpopJkt: null,
        uiLocales: 'ko en',
        acrValues: [],
      },
    });
  });

  it('accepts scopes the client may not have, for the grant to leave out (OpenID Connect Core §3.1.2.1)', () => {
    expect(validate({ scope: 'openid profile email read delete admin' })).toMatchObject({
      kind: 'ok',
      request: { scopes: ['openid', 'profile', 'email', 'read', 'delete', 'admin'] },
    });
  });

  it('shows a page, never a redirect, for an unknown client or a missing, unregistered or repeated redirect_uri', () => {
    expect(validate({}, [], null)).toMatchObject({ kind: 'page' });
    expect(validate({ client_id: undefined }, [], null)).toMatchObject({ kind: 'page' });
    expect(validate({ redirect_uri: undefined })).toMatchObject({ kind: 'page' });
    expect(validate({ redirect_uri: 'https://evil.example/cb' })).toMatchObject({ kind: 'page' });
    expect(validate({ redirect_uri: 'https://app.example/cb/' })).toMatchObject({ kind: 'page' });
    expect(validate({ redirect_uri: 'https://APP.example/cb' })).toMatchObject({ kind: 'page' });
    expect(validate({}, ['redirect_uri'])).toMatchObject({ kind: 'page' });
    expect(validate({}, ['client_id'])).toMatchObject({ kind: 'page' });
  });

  it('redirects every other error with the state', () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ response_type: undefined }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ code_challenge: undefined }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge_method: undefined }, 'invalid_request'],
      [{ code_challenge: 'short' }, 'invalid_request'],
      [{ scope: 'read "x' }, 'invalid_scope'],
      [{ prompt: 'none login' }, 'invalid_request'],
      [{ prompt: 'select_account' }, 'invalid_request'],
      [{ max_age: '-1' }, 'invalid_request'],
      [{ max_age: '1e3' }, 'invalid_request'],
      [{ nonce: 'n'.repeat(513) }, 'invalid_request'],
      [{ id_token_hint: 'x'.repeat(8193) }, 'invalid_request'],
      [{ request: 'eyJ...' }, 'request_not_supported'],
      [{ request_uri: 'urn:x' }, 'request_uri_not_supported'],
      [{ response_mode: 'fragment' }, 'invalid_request'],
    ];
    for (const [fields, error] of cases) {
      expect(validate(fields), JSON.stringify(fields)).toMatchObject({ kind: 'redirect', redirectUri: 'https://app.example/cb', state: 'xyz', error });
    }
    expect(validate({}, ['scope'])).toMatchObject({ kind: 'redirect', error: 'invalid_request' });
    expect(validate({}, ['state'])).toMatchObject({ kind: 'redirect', state: null });
  });

  it('validates a request again, unchanged, from authorizeParamsOf', () => {
    const first = validate({ scope: 'openid read', nonce: 'n', prompt: 'login consent', max_age: '0', login_hint: 'alice', id_token_hint: 'a.b.c' });
    if (first.kind !== 'ok') throw new Error('expected a valid request');
    expect(validateAuthorizeRequest(authorizeParamsOf(first.request), client)).toEqual(first);
    const bare = validate({ state: undefined });
    if (bare.kind !== 'ok') throw new Error('expected a valid request');
    expect(validateAuthorizeRequest(authorizeParamsOf(bare.request), client)).toEqual(bare);
  });

  it('refuses a client without the authorization code grant', () => {
    expect(validate({}, [], { ...client, grants: ['password', 'refresh_token'] })).toMatchObject({ kind: 'redirect', error: 'unauthorized_client' });
  });
});

describe('redirect URIs', () => {
  it('match exactly, except a loopback IP over http on any port (RFC 8252 §7.3)', () => {
    expect(redirectUriMatches('https://app.example/cb', client.redirectUris)).toBe(true);
    expect(redirectUriMatches('https://app.example/cb?x=1', client.redirectUris)).toBe(false);
    expect(redirectUriMatches('https://app.example:443/cb', client.redirectUris)).toBe(false);
    expect(redirectUriMatches('http://127.0.0.1:51234/native', client.redirectUris)).toBe(true);
    expect(redirectUriMatches('http://127.0.0.1/native', client.redirectUris)).toBe(true);
    expect(redirectUriMatches('http://127.0.0.1:51234/other', client.redirectUris)).toBe(false);
    expect(redirectUriMatches('http://localhost:51234/native', client.redirectUris)).toBe(false);
    expect(redirectUriMatches('http://[::1]:8080/cb', ['http://[::1]/cb'])).toBe(true);
    expect(redirectUriMatches('https://127.0.0.1:8080/native', ['https://127.0.0.1/native'])).toBe(false);
  });

  it('may be registered as https, http on loopback, or a reverse-domain scheme', () => {
    for (const ok of ['https://app.example/cb', 'http://127.0.0.1/cb', 'http://localhost:3000/cb', 'com.example.app:/oauth']) {
      expect(redirectUriProblem(ok), ok).toBeNull();
    }
    for (const bad of ['http://app.example/cb', 'javascript:alert(1)', 'data:text/html,x', 'https://app.example/cb#frag', '/relative', 'myapp:/cb']) {
      expect(redirectUriProblem(bad), bad).toEqual(expect.any(String));
    }
  });
});

describe('loginDecision', () => {
  const session = { authTime: 1_000_000 };
  it('asks for a login without a session, or with prompt=login', () => {
    expect(loginDecision({ session: null, prompt: [], maxAge: null, now: 1_000_500 })).toBe('login');
    expect(loginDecision({ session, prompt: ['login'], maxAge: null, now: 1_000_500 })).toBe('login');
    expect(loginDecision({ session, prompt: [], maxAge: null, now: 1_000_500 })).toBe('ok');
  });

  it('asks again once the login is older than max_age, to the millisecond', () => {
    expect(loginDecision({ session, prompt: [], maxAge: 60, now: 1_060_000 })).toBe('ok');
    expect(loginDecision({ session, prompt: [], maxAge: 60, now: 1_060_001 })).toBe('login');
    expect(loginDecision({ session, prompt: [], maxAge: 0, now: 1_000_001 })).toBe('login');
    expect(loginDecision({ session, prompt: [], maxAge: 0, now: 1_000_000 })).toBe('login');
  });

  it('answers login_required for prompt=none when a login would be needed', () => {
    expect(loginDecision({ session: null, prompt: ['none'], maxAge: null, now: 0 })).toBe('login_required');
    expect(loginDecision({ session, prompt: ['none'], maxAge: 1, now: 1_002_000 })).toBe('login_required');
    expect(loginDecision({ session, prompt: ['none'], maxAge: null, now: 1_002_000 })).toBe('ok');
  });
});

describe('consentDecision', () => {
  const thirdParty = { thirdParty: true };
  it('never asks for a first-party client', () => {
    expect(consentDecision({ client: { thirdParty: false }, scopes: ['read'], consented: null, prompt: ['consent'] })).toBe('ok');
  });
  it('asks a third-party client unless an earlier consent covers every scope', () => {
    expect(consentDecision({ client: thirdParty, scopes: ['read'], consented: null, prompt: [] })).toBe('consent');
    expect(consentDecision({ client: thirdParty, scopes: ['read'], consented: ['read', 'write'], prompt: [] })).toBe('ok');
    expect(consentDecision({ client: thirdParty, scopes: ['read', 'write'], consented: ['read'], prompt: [] })).toBe('consent');
    expect(consentDecision({ client: thirdParty, scopes: ['read'], consented: ['read'], prompt: ['consent'] })).toBe('consent');
    expect(consentDecision({ client: thirdParty, scopes: ['read'], consented: null, prompt: ['none'] })).toBe('consent_required');
  });
});

describe('signInGrants', () => {
  const own = implicitResource(client, 'https://issuer.example');
  const grantedScopes = (requested: string[], user: { scopes: string[] | null }) =>
    signInGrants({ requested, targets: [own], implicit: own, ceiling: (r) => userResourceCeiling(r, user, []) })[own.identifier];
  it('defaults to what the client and user allow, without privileged or identity scopes', () => {
    expect(grantedScopes([], { scopes: null })).toEqual(['read', 'write']);
    expect(grantedScopes([], { scopes: ['read', 'admin'] })).toEqual(['read', 'admin']);
  });
  it('narrows a request to what the user may have, keeping identity scopes asked for', () => {
    expect(grantedScopes(['openid', 'email', 'read', 'admin'], { scopes: null })).toEqual(['openid', 'email', 'read']);
    expect(grantedScopes(['openid', 'write'], { scopes: ['read'] })).toEqual(['openid']);
    expect(grantedScopes(['openid', 'profile', 'email', 'delete'], { scopes: null })).toEqual(['openid', 'profile', 'email']);
    expect(grantedScopes(['delete'], { scopes: null })).toEqual([]);
  });
  it("gives an API's scopes only through a role or the user's own list, and the identity scopes to the client's own audience", () => {
    const api: Api = {
      id: 'orders',
      identifier: 'https://orders.example',
      name: null,
      scopes: [
        { name: 'o:read', description: '' },
        { name: 'o:write', description: '' },
      ],
      tokenTtl: null,
      dynamicRegistration: false,
      createdAt: 0,
    };
    const orders = { identifier: api.identifier, api, scopes: ['o:read', 'o:write'], ttl: null };
    const grant = (user: { scopes: string[] | null }, roles: string[]) =>
      signInGrants({ requested: ['openid', 'o:read', 'o:write'], targets: [orders], implicit: own, ceiling: (r) => userResourceCeiling(r, user, roles) });
    expect(grant({ scopes: null }, [])).toEqual({ 'https://orders.example': [], [own.identifier]: ['openid'] });
    expect(grant({ scopes: null }, ['orders:o:read'])).toEqual({ 'https://orders.example': ['o:read'], [own.identifier]: ['openid'] });
    expect(grant({ scopes: ['orders:o:write'] }, ['orders:o:read'])['https://orders.example']).toEqual(['o:read', 'o:write']);
  });
});

describe('PKCE and the response URI', () => {
  it('verifies an S256 verifier (RFC 7636 appendix B)', () => {
    const rfc = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(s256Challenge(rfc)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifierMatches(rfc, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(verifierMatches(`${rfc}x`, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
    expect(verifierMatches('short', s256Challenge('short'))).toBe(false);
  });
  it('keeps the redirect URI query and appends the parameters', () => {
    expect(authorizationResponseUri('https://app.example/cb?tenant=1', { code: 'c', state: null, iss: 'https://id.example' })).toBe(
      'https://app.example/cb?tenant=1&code=c&iss=https%3A%2F%2Fid.example',
    );
  });
});
