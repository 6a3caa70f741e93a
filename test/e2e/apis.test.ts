import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import * as oidc from 'openid-client';
import * as oauth from 'oauth4webapi';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../packages/verify/src/index.js';
import { browser } from '../helpers/authorize.js';
import { onCleanup, tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';

// Several APIs, as README "Several APIs" sets them up: unmodified client libraries get tokens for two
// APIs with `resource`, resource servers of one API refuse the other's tokens, and a service exchanges a
// user's token for another API's (RFC 8693).

const password = 'a long enough password';
const orders = 'https://orders.example.com';
const billing = 'https://billing.example.com';
const redirectUri = 'http://127.0.0.1:49201/callback';
const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

async function start() {
  const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
  const cli = jsonCli(env);
  await cli([
    'apis',
    'create',
    'orders',
    '--identifier',
    orders,
    '--scope',
    'orders:read orders:write',
    '--describe',
    'orders:read=See your orders',
    '--token-ttl',
    '300',
  ]);
  await cli(['apis', 'create', 'billing', '--identifier', billing, '--scope', 'billing:read billing:write']);
  await cli(['roles', 'create', 'shopper', '--grants', 'orders:orders:read orders:orders:write billing:billing:read']);
  await cli([
    'clients',
    'create',
    'shop',
    '--public',
    '--grants',
    'authorization_code',
    '--redirect-uri',
    'http://127.0.0.1/callback',
    '--api',
    'orders',
    '--api',
    'billing',
    '--default-api',
    'orders',
  ]);
  const { client_secret: serviceSecret } = await cli(['clients', 'create', 'orders-service', '--api', 'orders', '--api', 'billing', '--allow-token-exchange']);
  const { client_secret: auditorSecret } = await cli(['clients', 'create', 'auditor', '--scope', 'introspect']);
  const { user } = await cli(['users', 'create', 'alice', '--password-stdin'], `${password}\n`);
  await cli(['users', 'update', 'alice', '--role', 'shopper']);
  const service = await startService(env);
  onCleanup(async () => void (await service.stop()));
  return { service, userId: user.id as string, serviceSecret: serviceSecret as string, auditorSecret: auditorSecret as string };
}

/** An Express resource server for `audience`, with express-oauth2-jwt-bearer in front. */
async function expressApi(issuer: string, audience: string) {
  const app = express();
  app.use(auth({ issuerBaseURL: issuer, audience, tokenSigningAlg: 'RS256' }));
  app.get('/data', (req, res) => void res.json({ sub: req.auth?.payload.sub }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (token: string) => fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/data`, { headers: { authorization: `Bearer ${token}` } });
}

describe('several APIs (README "Several APIs")', () => {
  it("openid-client and oauth4webapi get tokens for two APIs with resource; each API refuses the other's; a service exchanges a token with act; revoking the login ends them all", async () => {
    const { service, userId, serviceSecret, auditorSecret } = await start();

    // openid-client: a browser sign-in asking for both APIs, the code for orders, a refresh for billing.
    const config = await oidc.discovery(new URL(service.url), 'shop', undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const parameters = new URLSearchParams({
      redirect_uri: redirectUri,
      scope: 'orders:read orders:write billing:read',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    parameters.append('resource', orders);
    parameters.append('resource', billing);
    const url = oidc.buildAuthorizationUrl(config, parameters);
    const b = browser((path, init) => fetch(`${service.url}${path}`, init));
    const back = await b.login(await b.get(`${url.pathname}${url.search}`), 'alice', password);
    const tokens = await oidc.authorizationCodeGrant(
      config,
      new URL(back.headers.get('location')!),
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: orders },
    );
    expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: orders, sub: userId, scope: 'orders:read orders:write' });
    expect(tokens.expires_in).toBe(300);
    const forBilling = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { resource: billing });
    expect(decodeJwt(forBilling.access_token)).toMatchObject({ aud: billing, sub: userId, scope: 'billing:read' });

    // oauth4webapi: a confidential service's own tokens for each API.
    const issuer = new URL(service.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    expect(as.grant_types_supported).toContain(exchangeGrant);
    const ordersService: oauth.Client = { client_id: 'orders-service' };
    const secret = oauth.ClientSecretBasic(serviceSecret);
    const own = async (resource: string) =>
      oauth.processClientCredentialsResponse(as, ordersService, await oauth.clientCredentialsGrantRequest(as, ordersService, secret, { resource }, insecure));
    expect(decodeJwt((await own(orders)).access_token)).toMatchObject({ aud: orders, sub: 'orders-service', scope: 'orders:read orders:write' });
    expect(decodeJwt((await own(billing)).access_token)).toMatchObject({ aud: billing, scope: 'billing:read billing:write' });

    // tessera-verify and express-oauth2-jwt-bearer configured for billing refuse the orders token and take the billing one.
    const billingVerifier = createVerifier({ issuer: service.url, audience: billing });
    onCleanup(() => billingVerifier.close());
    await expect(billingVerifier.verify(tokens.access_token)).rejects.toMatchObject({ code: 'ERR_AUDIENCE_MISMATCH' });
    expect(await billingVerifier.verify(forBilling.access_token)).toMatchObject({ aud: billing, sub: userId });
    const billingApi = await expressApi(service.url, billing);
    expect((await billingApi(tokens.access_token)).status).toBe(401);
    expect(await (await billingApi(forBilling.access_token)).json()).toEqual({ sub: userId });

    // The orders service, holding alice's orders token, exchanges it for a narrower billing token through oauth4webapi's generic grant request.
    const exchanged = await oauth.processGenericTokenEndpointResponse(
      as,
      ordersService,
      await oauth.genericTokenEndpointRequest(
        as,
        ordersService,
        secret,
        exchangeGrant,
        { subject_token: tokens.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', resource: billing, scope: 'billing:read' },
        insecure,
      ),
    );
    expect(exchanged).toMatchObject({ issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'bearer', scope: 'billing:read' });
    const claims = decodeJwt(exchanged.access_token);
    expect(claims).toMatchObject({
      aud: billing,
      sub: userId,
      client_id: 'orders-service',
      act: { sub: 'orders-service' },
      sid: decodeJwt(tokens.access_token).sid,
    });
    expect(await (await billingApi(exchanged.access_token)).json()).toEqual({ sub: userId });

    // Broader scopes by exchange are refused.
    const broader = oauth.genericTokenEndpointRequest(
      as,
      ordersService,
      secret,
      exchangeGrant,
      { subject_token: tokens.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', resource: billing, scope: 'billing:write' },
      insecure,
    );
    await expect(oauth.processGenericTokenEndpointResponse(as, ordersService, await broader)).rejects.toMatchObject({ error: 'invalid_scope' });

    // Revoking the login's family ends the exchanged token: introspection says inactive, and the feed lists the family.
    const revoked = await fetch(`${service.url}/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: forBilling.refresh_token!, client_id: 'shop' }),
    });
    expect(revoked.status).toBe(200);
    const introspection = await fetch(`${service.url}/introspect`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`auditor:${auditorSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token: exchanged.access_token }),
    });
    expect(await introspection.json()).toEqual({ active: false });
    const feed = await (await fetch(`${service.url}/revocations`)).json();
    expect(feed.revocations).toEqual(expect.arrayContaining([expect.objectContaining({ sid: claims.sid })]));
  });
});
