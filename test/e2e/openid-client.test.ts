import { join } from 'node:path';
import * as oidc from 'openid-client';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { browser } from '../helpers/authorize.js';
import { signIn } from '../helpers/client-libraries.js';
import { tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';

// Two unmodified OpenID Connect client libraries complete the authorization code flow against the
// built service as a real process. The "browser" is a cookie jar that submits the login form.

const password = 'a long enough password';
// A native app's loopback redirect: registered without a port, used with one (RFC 8252 §7.3).
const registered = 'http://127.0.0.1/callback';
const redirectUri = 'http://127.0.0.1:49200/callback';
const afterLogout = 'https://app.example/signed-out';

async function start() {
  const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
  const cli = jsonCli(env);
  await cli([
    'clients',
    'create',
    'native',
    '--public',
    '--grants',
    'authorization_code',
    '--scope',
    'read',
    '--redirect-uri',
    registered,
    '--post-logout-redirect-uri',
    afterLogout,
  ]);
  const { user } = await cli(['users', 'create', 'alice', '--password-stdin', '--email', 'alice@example.com', '--email-verified'], `${password}\n`);
  await cli(['users', 'update', 'alice', '--name', 'Alice Kim', '--given-name', 'Alice', '--family-name', 'Kim', '--locale', 'ko-KR']);
  const service = await startService(env);
  return { service, userId: user.id as string, browser: browser((path, init) => fetch(`${service.url}${path}`, init)) };
}

describe('OpenID Connect clients against the service', () => {
  it('openid-client v6: discovery, PKCE and nonce, callback, code exchange with id_token validation, userinfo, refresh with a new id_token, logout', async () => {
    const { service, userId, browser: b } = await start();
    const config = await oidc.discovery(new URL(service.url), 'native', undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    expect(config.serverMetadata()).toMatchObject({
      issuer: service.url,
      authorization_endpoint: `${service.url}/authorize`,
      userinfo_endpoint: `${service.url}/userinfo`,
      end_session_endpoint: `${service.url}/logout`,
      code_challenge_methods_supported: ['S256'],
    });

    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      // What most OpenID clients send; `read` is the client's own scope.
      scope: 'openid profile email read',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    const callback = await signIn(b, url, password);
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    const person = { preferred_username: 'alice', name: 'Alice Kim', given_name: 'Alice', family_name: 'Kim', locale: 'ko-KR' };
    const address = { email: 'alice@example.com', email_verified: true };
    const first = tokens.claims()!;
    expect(first).toMatchObject({ iss: service.url, sub: userId, aud: 'native', nonce, sid: expect.any(String), auth_time: expect.any(Number) });
    expect(first).toMatchObject({ ...person, ...address });
    expect(tokens.scope).toBe('openid profile email read');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, userId);
    expect(info).toEqual({ sub: userId, ...person, updated_at: expect.any(Number), ...address });

    // A refresh answers a new id_token for the same session, which the library validates (OpenID Connect Core §12.2).
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).toEqual(expect.any(String));
    expect(refreshed.id_token).not.toBe(tokens.id_token);
    expect(refreshed.claims()).toMatchObject({ iss: service.url, sub: userId, aud: 'native', sid: first.sid, ...person, ...address });

    const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: afterLogout, state: 'bye' });
    const done = await b.get(`${logout.pathname}${logout.search}`);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${afterLogout}?state=bye`);
    // The session of that id_token is over: its refresh token and the browser's single sign-on both end.
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const again = await b.get(`${url.pathname}${url.search}`);
    expect(again.status).toBe(200);
    expect(await service.stop()).toBe(0);
  });

  it('oauth4webapi: the same flow with every check the library makes', async () => {
    const { service, userId, browser: b } = await start();
    const insecure = { [oauth.allowInsecureRequests]: true } as const;
    const issuer = new URL(service.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    const client: oauth.Client = { client_id: 'native' };

    const verifier = oauth.generateRandomCodeVerifier();
    const nonce = oauth.generateRandomNonce();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'native',
      redirect_uri: redirectUri,
      scope: 'openid read',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    }).toString();

    const params = oauth.validateAuthResponse(as, client, await signIn(b, url, password), state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure);
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
    expect(oauth.getValidatedIdTokenClaims(result)).toMatchObject({ sub: userId, aud: 'native', nonce });

    const info = await oauth.processUserInfoResponse(as, client, userId, await oauth.userInfoRequest(as, client, result.access_token, insecure));
    expect(info).toEqual({ sub: userId });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), result.refresh_token!, insecure),
    );
    expect(refreshed.access_token).toEqual(expect.any(String));

    // A code is good once: the replay fails and ends the session it started.
    const replay = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure);
    await expect(oauth.processAuthorizationCodeResponse(as, client, replay)).rejects.toMatchObject({ error: 'invalid_grant' });
    const afterReplay = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshed.refresh_token!, insecure);
    await expect(oauth.processRefreshTokenResponse(as, client, afterReplay)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await service.stop()).toBe(0);
  });
});
