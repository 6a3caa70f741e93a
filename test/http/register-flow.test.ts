import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { createVerifier, type TokenEnv } from '../../packages/verify/src/index.js';
import { browser } from '../helpers/authorize.js';
import { fixedClock } from '../helpers/clock.js';
import { onCleanup } from '../helpers/deps.js';
import { alicePassword } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';
import { createUser } from '../../src/services/users.js';

// The path of an MCP client (README, "Tessera in front of an MCP server"), over real HTTP with
// oauth4webapi, unmodified: it knows only the API's URL; the API's 401 names its protected-resource
// metadata, which names Tessera; Tessera's metadata names /register; the client registers itself,
// then does authorization code + PKCE through the hosted login and consent, and calls the API.
const insecure = { [oauth.allowInsecureRequests]: true } as const;
const redirectUri = 'http://127.0.0.1:33418/callback';

/** An API guarded by tessera-verify, with its RFC 9728 metadata route, on a loopback port. */
async function mcpServer(issuer: string, now: () => Date) {
  const app = new Hono<TokenEnv>();
  const server = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const resource = `${base}/mcp`;
  // Without an API registered for it (RFC 8707 `resource`, the APIs feature) Tessera's tokens carry its issuer as `aud`.
  const verifier = createVerifier({ issuer, audience: issuer, now, protectedResource: { resource, scopes: ['openid', 'tools'], name: 'Example MCP server' } });
  onCleanup(() => verifier.close());
  const described = verifier.protectedResource!;
  app.get(described.path, described.handler);
  app.post('/mcp', verifier.requireToken({ scope: 'tools' }), (c) => c.json({ jsonrpc: '2.0', id: 1, result: { user: c.get('token').sub } }));
  return { base, resource, described };
}

describe('a client that knows only the API registers itself and completes the code flow (oauth4webapi)', () => {
  it('finds Tessera from the API, registers through RFC 7591, signs alice in with code + PKCE, and calls the API', async () => {
    // Real time: oauth4webapi checks the id_token's exp against its own clock.
    const tessera = await testServer({ env: { REGISTRATION: 'open' }, clock: fixedClock(Math.floor(Date.now() / 1000)) });
    const alice = await createUser(tessera.deps, { name: 'cli' }, { username: 'alice', password: alicePassword, scopes: ['tools'] });
    const api = await mcpServer(tessera.url, () => tessera.deps.clock.now());

    // 1. The API refuses, naming its metadata.
    const refused = await fetch(`${api.base}/mcp`, { method: 'POST' });
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get('www-authenticate')!;
    expect(challenge).toBe(`Bearer realm="api", resource_metadata="${api.base}/.well-known/oauth-protected-resource/mcp"`);

    // 2. RFC 9728: the metadata names Tessera.
    const rs = await oauth.processResourceDiscoveryResponse(new URL(api.resource), await oauth.resourceDiscoveryRequest(new URL(api.resource), insecure));
    expect(rs).toEqual({
      resource: api.resource,
      authorization_servers: [tessera.url],
      bearer_methods_supported: ['header'],
      scopes_supported: ['openid', 'tools'],
      resource_name: 'Example MCP server',
    });

    // 3. RFC 8414: Tessera's metadata names the registration endpoint.
    const issuer = new URL(rs.authorization_servers![0]!);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    expect(as.registration_endpoint).toBe(`${tessera.url}/register`);

    // 4. RFC 7591: the client registers itself, public, with a loopback redirect.
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        {
          client_name: 'Example agent',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'none',
          scope: 'openid tools',
        },
        insecure,
      ),
    );
    expect(registered).toMatchObject({ client_id: 'dyn_1', token_endpoint_auth_method: 'none', redirect_uris: [redirectUri] });
    const client: oauth.Client = { client_id: registered.client_id, token_endpoint_auth_method: 'none' };

    // 5. Authorization code + PKCE through the hosted login; a registered client is a third party, so alice consents.
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorize = new URL(as.authorization_endpoint!);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: 'openid tools',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(k, v);
    }
    const b = browser(tessera.fetch);
    const consent = await b.login(await b.get(`${authorize.pathname}${authorize.search}`));
    expect(consent.status).toBe(200);
    expect(await consent.clone().text()).toContain('Example agent');
    const back = await b.consent(consent, 'allow');
    expect(back.status).toBe(303);
    const callback = new URL(back.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);

    const params = oauth.validateAuthResponse(as, client, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure),
    );
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'openid tools', refresh_token: expect.any(String), id_token: expect.any(String) });

    // 6. The API accepts the token; a refresh works as for any client.
    const called = await oauth.protectedResourceRequest(tokens.access_token, 'POST', new URL(api.resource), undefined, undefined, insecure);
    expect(called.status).toBe(200);
    expect(await called.json()).toEqual({ jsonrpc: '2.0', id: 1, result: { user: alice.id } });
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, insecure),
    );
    expect(refreshed.scope).toBe('openid tools');
  });
});
