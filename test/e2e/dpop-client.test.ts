import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { browser } from '../helpers/authorize.js';
import { signIn, withNonceRetry } from '../helpers/client-libraries.js';
import { tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';

// Two unmodified client libraries that do DPoP (RFC 9449) complete the authorization code flow with sender-constrained
// tokens against the built service as a real process: the code bound with dpop_jkt, the tokens bound to the client's
// key, userinfo with a proof, refresh with a proof, with and without server nonces.

const password = 'a long enough password';
const registered = 'http://127.0.0.1/callback';
const redirectUri = 'http://127.0.0.1:49200/callback';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

async function start(env: Record<string, string> = {}) {
  const all = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}`, ...env };
  const cli = jsonCli(all);
  await cli(['clients', 'create', 'native', '--public', '--grants', 'authorization_code', '--scope', 'read', '--redirect-uri', registered, '--require-dpop']);
  const { user } = await cli(['users', 'create', 'alice', '--password-stdin'], `${password}\n`);
  const service = await startService(all);
  return { service, userId: user.id as string, browser: browser((path, init) => fetch(`${service.url}${path}`, init)) };
}

describe.each([
  ['without server nonces', {}],
  ['with server nonces (DPOP_NONCE=on)', { DPOP_NONCE: 'on' }],
])('DPoP clients %s', (_, env) => {
  it('oauth4webapi: code + PKCE bound with dpop_jkt, DPoP-bound tokens, userinfo with a proof, refresh with a proof', async () => {
    const { service, userId, browser: b } = await start(env);
    const issuer = new URL(service.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    expect(as.dpop_signing_alg_values_supported).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
    const client: oauth.Client = { client_id: 'native' };
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));

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
      dpop_jkt: await DPoP.calculateThumbprint(),
    }).toString();
    const params = oauth.validateAuthResponse(as, client, await signIn(b, url, password), state);

    const { result, retried } = await withNonceRetry(async () =>
      oauth.processAuthorizationCodeResponse(
        as,
        client,
        await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, { DPoP, ...insecure }),
        { expectedNonce: nonce, requireIdToken: true },
      ),
    );
    expect(retried).toBe('DPOP_NONCE' in env);
    expect(result.token_type).toBe('dpop');
    expect(oauth.getValidatedIdTokenClaims(result)).toMatchObject({ sub: userId, aud: 'native', nonce });

    // userinfo with the DPoP scheme and a proof over the token (ath); the library sends them by itself.
    const info = await oauth.processUserInfoResponse(as, client, userId, await oauth.userInfoRequest(as, client, result.access_token, { DPoP, ...insecure }));
    expect(info).toEqual({ sub: userId });
    // The same token without the key is worth nothing: as Bearer it is refused with a DPoP challenge.
    const stolen = await fetch(`${service.url}/userinfo`, { headers: { authorization: `Bearer ${result.access_token}` } });
    expect(stolen.status).toBe(401);
    expect(stolen.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), result.refresh_token!, { DPoP, ...insecure }),
    );
    expect(refreshed.token_type).toBe('dpop');
    // A thief with the refresh token but without the key gets nothing.
    const thief = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    await expect(
      withNonceRetry(async () =>
        oauth.processRefreshTokenResponse(
          as,
          client,
          await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshed.refresh_token!, { DPoP: thief, ...insecure }),
        ),
      ),
    ).rejects.toMatchObject({ error: 'invalid_dpop_proof', status: 400 });
    expect(await service.stop()).toBe(0);
  });

  it('openid-client 6: the same flow with a DPoP handle', async () => {
    const { service, userId, browser: b } = await start(env);
    const config = await oidc.discovery(new URL(service.url), 'native', undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid read',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await signIn(b, url, password);
    // openid-client retries a use_dpop_nonce answer once by itself.
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true }, undefined, {
      DPoP,
    });
    expect(tokens.token_type).toBe('dpop');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, userId, { DPoP });
    expect(info.sub).toBe(userId);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
    expect(refreshed.token_type).toBe('dpop');
    // Without the key, the refresh token is refused.
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_dpop_proof' });
    expect(await service.stop()).toBe(0);
  });
});
