import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { createVerifier, type TokenEnv } from '../../packages/verify/src/index.js';
import { browser } from '../helpers/authorize.js';
import { fixedClock } from '../helpers/clock.js';
import { onCleanup } from '../helpers/deps.js';
import { alicePassword } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';
import { createApi } from '../../src/services/apis.js';
import { createRole, setUserRoles } from '../../src/services/roles.js';
import { createUser } from '../../src/services/users.js';

// The path of an MCP client (README, "Tessera in front of an MCP server"), over real HTTP with
// oauth4webapi, unmodified: it knows only the API's URL; the API's 401 names its protected-resource
// metadata, which names Tessera; Tessera's metadata names /register; the client registers itself,
// then does authorization code + PKCE through the hosted login and consent, and calls the API.
const insecure = { [oauth.allowInsecureRequests]: true } as const;
const redirectUri = 'http://127.0.0.1:33418/callback';

/**
 * An API guarded by tessera-verify, with its RFC 9728 metadata route, on a loopback port. Its verifier expects
 * `aud` = the issuer (`audience: 'issuer'`, no API registered for it) or the server's own URL (`'resource'`, the
 * default of examples/mcp-server, for an API registered with that identifier).
 */
async function mcpServer(issuer: string, now: () => Date, audience: 'issuer' | 'resource' = 'issuer') {
  const app = new Hono<TokenEnv>();
  const server = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const resource = `${base}/mcp`;
  const verifier = createVerifier({
    issuer,
    audience: audience === 'issuer' ? issuer : resource,
    now,
    protectedResource: { resource, scopes: ['openid', 'tools'], name: 'Example MCP server' },
  });
  onCleanup(() => verifier.close());
  const described = verifier.protectedResource!;
  app.get(described.path, described.handler);
  app.post('/mcp', verifier.requireToken({ scope: 'tools' }), (c) => c.json({ jsonrpc: '2.0', id: 1, result: { user: c.get('token').sub } }));
  return { base, resource, described };
}

/** RFC 7591: a public client with a loopback redirect registers itself, as an MCP client does. */
async function register(as: oauth.AuthorizationServer, scope: string) {
  const registered = await oauth.processDynamicClientRegistrationResponse(
    await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: 'Example agent',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
        scope,
      },
      insecure,
    ),
  );
  const client: oauth.Client = { client_id: registered.client_id, token_endpoint_auth_method: 'none' };
  return { registered, client };
}

/** RFC 8414 discovery and RFC 7591 registration, as an MCP client that found Tessera does them. */
async function discoverAndRegister(issuerUrl: string, scope: string) {
  const issuer = new URL(issuerUrl);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  return { as, ...(await register(as, scope)) };
}

/** The /authorize URL of a code + PKCE request, with `resource` (RFC 8707) when given. */
async function authorizeUrl(as: oauth.AuthorizationServer, client: oauth.Client, scope: string, resource?: string) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...(resource === undefined ? {} : { resource }),
  })) {
    url.searchParams.set(k, v);
  }
  return { path: `${url.pathname}${url.search}`, verifier, state };
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
    const { registered, client } = await register(as, 'openid tools');
    expect(registered).toMatchObject({ client_id: 'dyn_1', token_endpoint_auth_method: 'none', redirect_uris: [redirectUri] });

    // 5. Authorization code + PKCE through the hosted login; a registered client is a third party, so alice consents.
    const { path, verifier, state } = await authorizeUrl(as, client, 'openid tools');
    const b = browser(tessera.fetch);
    const consent = await b.login(await b.get(path));
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

describe('an API opened to dynamic registration: a registered client gets tokens for it with resource (oauth4webapi)', () => {
  it("registers, signs alice in with code + PKCE and resource=the MCP server; the token's aud is exactly the server and its scopes the API's", async () => {
    const tessera = await testServer({ env: { REGISTRATION: 'open' }, clock: fixedClock(Math.floor(Date.now() / 1000)) });
    const { deps } = tessera;
    const operator = { name: 'cli' };
    // The server runs without AUDIENCE: its verifier expects aud = its own URL, the API's identifier.
    const api = await mcpServer(tessera.url, () => deps.clock.now(), 'resource');
    await createApi(deps, operator, {
      id: 'mcp',
      identifier: api.resource,
      name: 'Example MCP server',
      scopes: [
        { name: 'tools', description: 'Run the tools' },
        { name: 'prompts', description: 'Read the prompts' },
      ],
      dynamicRegistration: true,
    });
    const notes = 'https://notes.example/api';
    await createApi(deps, operator, { id: 'notes', identifier: notes, scopes: [{ name: 'notes:read', description: '' }] });
    await createRole(deps, operator, { name: 'agent-user', grants: ['mcp:tools', 'mcp:prompts', 'notes:notes:read'] });
    const alice = await createUser(deps, operator, { username: 'alice', password: alicePassword });
    await setUserRoles(deps, operator, alice.id, ['agent-user']);

    const { as, client } = await discoverAndRegister(tessera.url, 'openid');
    expect(await deps.store.findClient(client.client_id)).toMatchObject({ registeredBy: 'dynamic', apis: ['mcp'], defaultApi: 'mcp' });

    // Code + PKCE naming the server as resource, at /authorize and at /token.
    const request = await authorizeUrl(as, client, 'openid tools prompts', api.resource);
    const b = browser(tessera.fetch);
    const consent = await b.login(await b.get(request.path));
    expect(consent.status).toBe(200);
    const page = await consent.clone().text();
    expect(page).toContain('Example MCP server');
    expect(page).toContain('Run the tools');
    const back = await b.consent(consent, 'allow');
    const params = oauth.validateAuthResponse(as, client, new URL(back.headers.get('location')!), request.state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, request.verifier, {
        ...insecure,
        additionalParameters: { resource: api.resource },
      }),
    );
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'tools prompts', refresh_token: expect.any(String), id_token: expect.any(String) });
    const claims = decodeJwt(tokens.access_token);
    expect(claims.aud).toBe(api.resource);
    expect(claims).toMatchObject({ iss: tessera.url, sub: alice.id, client_id: client.client_id, scope: 'tools prompts' });

    // The server's verifier (audience = the server) accepts it; one configured for another API refuses it.
    const called = await oauth.protectedResourceRequest(tokens.access_token, 'POST', new URL(api.resource), undefined, undefined, insecure);
    expect(called.status).toBe(200);
    expect(await called.json()).toEqual({ jsonrpc: '2.0', id: 1, result: { user: alice.id } });
    const notesVerifier = createVerifier({ issuer: tessera.url, audience: notes, now: () => deps.clock.now() });
    onCleanup(() => notesVerifier.close());
    await expect(notesVerifier.verify(tokens.access_token)).rejects.toMatchObject({ code: 'ERR_AUDIENCE_MISMATCH' });
    const issuerVerifier = createVerifier({ issuer: tessera.url, audience: tessera.url, now: () => deps.clock.now() });
    onCleanup(() => issuerVerifier.close());
    await expect(issuerVerifier.verify(tokens.access_token)).rejects.toMatchObject({ code: 'ERR_AUDIENCE_MISMATCH' });

    // A refresh for the same API keeps its audience; an API not open to registration is no target for this client.
    const refresh = (resource: string) =>
      oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, { ...insecure, additionalParameters: { resource } });
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await refresh(api.resource));
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ aud: api.resource, scope: 'tools prompts' });
    const refused = await refresh(notes);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_target', error_description: 'resource was not granted at this login' });

    // The only API open to registration is the client's default: a sign-in without resource gets a token for it too.
    const plain = await authorizeUrl(as, client, 'tools');
    // Alice is signed in and has consented to tools of this API: straight back to the client.
    const again = await b.get(plain.path);
    expect(again.status).toBe(303);
    const plainParams = oauth.validateAuthResponse(as, client, new URL(again.headers.get('location')!), plain.state);
    const plainTokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), plainParams, redirectUri, plain.verifier, insecure),
    );
    expect(decodeJwt(plainTokens.access_token)).toMatchObject({ aud: api.resource, scope: 'tools' });
  });

  it('refuses a dynamic client a resource not open to registration with invalid_target, at /authorize and at /token', async () => {
    const tessera = await testServer({ env: { REGISTRATION: 'open' }, clock: fixedClock(Math.floor(Date.now() / 1000)) });
    const { deps } = tessera;
    const operator = { name: 'cli' };
    const api = await mcpServer(tessera.url, () => deps.clock.now(), 'resource');
    // Registered as an API, but not opened to registration.
    await createApi(deps, operator, { id: 'mcp', identifier: api.resource, scopes: [{ name: 'tools', description: '' }] });
    await createUser(deps, operator, { username: 'alice', password: alicePassword, scopes: ['mcp:tools'] });
    const { as, client } = await discoverAndRegister(tessera.url, 'tools');
    expect(await deps.store.findClient(client.client_id)).toMatchObject({ apis: [], defaultApi: null });

    const request = await authorizeUrl(as, client, 'tools', api.resource);
    const answer = await browser(tessera.fetch).get(request.path);
    expect(answer.status).toBe(303);
    const location = new URL(answer.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(() => oauth.validateAuthResponse(as, client, location, request.state)).toThrow(
      expect.objectContaining({ error: 'invalid_target', error_description: 'a resource is unknown or not allowed for this client' }),
    );

    // Without resource it signs in as before: aud is Tessera itself, which the server (aud = its URL) refuses.
    const plain = await authorizeUrl(as, client, 'tools');
    const b = browser(tessera.fetch);
    const back = await b.consent(await b.login(await b.get(plain.path)), 'allow');
    const params = oauth.validateAuthResponse(as, client, new URL(back.headers.get('location')!), plain.state);
    const exchange = (extra: Record<string, string>) =>
      oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, plain.verifier, { ...insecure, additionalParameters: extra });
    const refused = await exchange({ resource: api.resource });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_target', error_description: 'resource was not granted at the authorization request' });
  });
});
