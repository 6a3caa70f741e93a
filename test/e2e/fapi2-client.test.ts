import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { browser } from '../helpers/authorize.js';
import { clientKeysFile, signIn, withNonceRetry } from '../helpers/client-libraries.js';
import { tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';

// The FAPI 2.0 Security Profile end to end: a client registered `--profile fapi2` (private_key_jwt, PAR and
// DPoP-bound tokens required) and oauth4webapi, a certified FAPI 2.0 client, unmodified, against the built service
// as a real process: the request pushed with a DPoP proof (which binds the code), the code with PKCE, the tokens
// bound to the client's key, userinfo and a refresh with proofs, with and without server nonces.

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const password = 'a long enough password';
const redirectUri = 'https://bank.example/callback';

async function start(env: Record<string, string>) {
  const dir = tempDir();
  const all = { DATABASE_URL: `file:${join(dir, 'tessera.db')}`, ...env };
  const cli = jsonCli(all);
  const { file: jwksFile, key } = await clientKeysFile(dir, 'bank-1');
  const created = await cli([
    'clients',
    'create',
    'bank',
    '--grants',
    'authorization_code',
    '--scope',
    'openid accounts',
    '--redirect-uri',
    redirectUri,
    '--jwks',
    jwksFile,
    '--profile',
    'fapi2',
  ]);
  expect(created.client).toMatchObject({
    profile: 'fapi2',
    token_endpoint_auth_method: 'private_key_jwt',
    require_pushed_authorization_requests: true,
    dpop_bound_access_tokens: true,
  });
  const { user } = await cli(['users', 'create', 'alice', '--password-stdin', '--scope', 'accounts'], `${password}\n`);
  const service = await startService(all);
  return {
    service,
    userId: user.id as string,
    key,
    browser: browser((path, init) => fetch(`${service.url}${path}`, init)),
  };
}

describe.each([
  ['without server nonces', {}],
  ['with server nonces (DPOP_NONCE=on)', { DPOP_NONCE: 'on' }],
])('a fapi2 client and oauth4webapi %s', (_, env) => {
  it('PAR with a DPoP proof and private_key_jwt, code + PKCE, DPoP-bound tokens, userinfo and refresh with proofs', async () => {
    const { service, userId, key, browser: b } = await start(env);
    const nonces = 'DPOP_NONCE' in env;
    const issuer = new URL(service.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    const client: oauth.Client = { client_id: 'bank' };
    const auth = oauth.PrivateKeyJwt(key);
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const params = {
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid accounts',
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };

    // PAR, the client authenticated with a fresh assertion each time, the proof binding the code to its key.
    const pushed = await withNonceRetry(async () =>
      oauth.processPushedAuthorizationResponse(as, client, await oauth.pushedAuthorizationRequest(as, client, auth, params, { DPoP, ...insecure })),
    );
    expect(pushed.retried).toBe(nonces);
    const authorizationUrl = new URL(as.authorization_endpoint!);
    authorizationUrl.searchParams.set('client_id', 'bank');
    authorizationUrl.searchParams.set('request_uri', pushed.result.request_uri);
    const callbackParams = oauth.validateAuthResponse(as, client, await signIn(b, authorizationUrl, password), state);

    // The code is bound: redeemed with another key's proof it is refused, with the client's it gives bound tokens.
    const thief = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    await expect(
      withNonceRetry(async () =>
        oauth.processAuthorizationCodeResponse(
          as,
          client,
          await oauth.authorizationCodeGrantRequest(as, client, auth, callbackParams, redirectUri, verifier, { DPoP: thief, ...insecure }),
          { expectedNonce: nonce, requireIdToken: true },
        ),
      ),
    ).rejects.toMatchObject({ error: 'invalid_dpop_proof', status: 400 });
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, callbackParams, redirectUri, verifier, { DPoP, ...insecure }),
      { expectedNonce: nonce, requireIdToken: true },
    );
    expect(tokens).toMatchObject({ token_type: 'dpop', scope: 'openid accounts', refresh_token: expect.any(String) });
    expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ sub: userId, aud: 'bank', nonce });

    const info = await withNonceRetry(async () =>
      oauth.processUserInfoResponse(as, client, userId, await oauth.userInfoRequest(as, client, tokens.access_token, { DPoP, ...insecure })),
    );
    expect(info.result).toEqual({ sub: userId });
    const stolen = await fetch(`${service.url}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(stolen.status).toBe(401);
    expect(stolen.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, { DPoP, ...insecure }),
    );
    expect(refreshed).toMatchObject({ token_type: 'dpop', refresh_token: expect.any(String) });
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // Without a proof the fapi2 client is refused even with its assertion.
    await expect(
      oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, refreshed.refresh_token!, insecure)),
    ).rejects.toMatchObject({ error: 'invalid_dpop_proof', status: 400 });
    expect(await service.stop()).toBe(0);
  });
});
