import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { browser } from '../helpers/authorize.js';
import { clientKeysFile, signIn } from '../helpers/client-libraries.js';
import { tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';

// Two unmodified client libraries (oauth4webapi is a certified FAPI 2.0 client) against the built service as a
// real process: the authorization code grant with PKCE, the request pushed first (PAR, RFC 9126), and the
// client authenticated with a JWT it signs (private_key_jwt, RFC 7523), its keys registered from a file.

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const password = 'a long enough password';
const redirectUri = 'https://bank.example/callback';

async function start() {
  const dir = tempDir();
  const env = { DATABASE_URL: `file:${join(dir, 'tessera.db')}` };
  const cli = jsonCli(env);
  const { file: jwksFile, key } = await clientKeysFile(dir, 'bank-key-1');
  const created = await cli([
    'clients',
    'create',
    'bank',
    '--grants',
    'authorization_code',
    '--scope',
    'accounts',
    '--redirect-uri',
    redirectUri,
    '--jwks',
    jwksFile,
    '--require-par',
  ]);
  expect(created.client).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', require_pushed_authorization_requests: true });
  expect(created.client_secret).toBeUndefined();
  const { user } = await cli(['users', 'create', 'alice', '--password-stdin', '--scope', 'accounts'], `${password}\n`);
  const service = await startService(env);
  return { service, userId: user.id as string, key, browser: browser((path, init) => fetch(`${service.url}${path}`, init)) };
}

describe('PAR and private_key_jwt with unmodified client libraries', () => {
  it('oauth4webapi: PAR with private_key_jwt, the login page, the code with PKCE at /token with private_key_jwt', async () => {
    const { service, userId, key, browser: b } = await start();
    const issuer = new URL(service.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    expect(as).toMatchObject({
      pushed_authorization_request_endpoint: `${service.url}/par`,
      token_endpoint_auth_methods_supported: expect.arrayContaining(['private_key_jwt']),
      token_endpoint_auth_signing_alg_values_supported: expect.arrayContaining(['PS256', 'ES256']),
    });
    const client: oauth.Client = { client_id: 'bank' };
    const auth = oauth.PrivateKeyJwt(key);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const params = {
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'accounts',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };

    // Straight to /authorize, a --require-par client is sent back with invalid_request.
    const direct = new URL(as.authorization_endpoint!);
    for (const [k, v] of Object.entries({ client_id: 'bank', ...params })) direct.searchParams.set(k, v);
    const refused = new URL((await b.get(`${direct.pathname}${direct.search}`)).headers.get('location')!);
    expect(refused.searchParams.get('error')).toBe('invalid_request');

    const pushed = await oauth.processPushedAuthorizationResponse(as, client, await oauth.pushedAuthorizationRequest(as, client, auth, params, insecure));
    expect(pushed.expires_in).toBe(60);
    const authorizationUrl = new URL(as.authorization_endpoint!);
    authorizationUrl.searchParams.set('client_id', 'bank');
    authorizationUrl.searchParams.set('request_uri', pushed.request_uri);
    const callback = await signIn(b, authorizationUrl, password);

    const callbackParams = oauth.validateAuthResponse(as, client, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, callbackParams, redirectUri, verifier, insecure),
    );
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'accounts', refresh_token: expect.any(String) });
    const claims = await oauth.validateJwtAccessToken(
      as,
      new Request('http://api.example/', { headers: { authorization: `Bearer ${tokens.access_token}` } }),
      service.url,
      insecure,
    );
    expect(claims).toMatchObject({ sub: userId, client_id: 'bank', scope: 'accounts' });

    // The request_uri was used up by the sign-in.
    expect((await b.get(`${authorizationUrl.pathname}${authorizationUrl.search}`)).status).toBe(400);
    // A refresh authenticates with a fresh assertion too.
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(await service.stop()).toBe(0);
  });

  it('openid-client v6: buildAuthorizationUrlWithPAR and the code grant, authenticating with private_key_jwt', async () => {
    const { service, userId, key, browser: b } = await start();
    const config = await oidc.discovery(new URL(service.url), 'bank', undefined, oidc.PrivateKeyJwt(key), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: redirectUri,
      scope: 'accounts',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const callback = await signIn(b, url, password);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'accounts' });
    expect(JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString())).toMatchObject({ sub: userId, client_id: 'bank' });
    expect(await service.stop()).toBe(0);
  });
});
