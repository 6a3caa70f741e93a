import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/services/apis.js';
import { createClient } from '../../src/services/clients.js';
import { createRole, setUserRoles } from '../../src/services/roles.js';
import { createUser } from '../../src/services/users.js';
import { alicePassword } from '../helpers/fixtures.js';
import { browser, hiddenFields, pkce, redirectParams } from '../helpers/authorize.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form, testServer } from '../helpers/server.js';

const operator = { name: 'cli' };
const orders = 'https://orders.example/api';
const billing = 'https://billing.example/api';
const spaRedirect = 'https://spa.example/callback';
const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

/** Two APIs, a role over them, a SPA and a first-party app that may ask for both, services that exchange tokens, alice (a shopper) and bob. */
async function setup() {
  const server = await testServer();
  const { deps } = server;
  await createApi(deps, operator, {
    id: 'orders',
    identifier: orders,
    name: 'Orders',
    scopes: [
      { name: 'orders:read', description: 'See your orders' },
      { name: 'orders:write', description: 'Place and cancel orders' },
    ],
    tokenTtl: 300,
  });
  await createApi(deps, operator, {
    id: 'billing',
    identifier: billing,
    scopes: [
      { name: 'billing:read', description: 'See your invoices' },
      { name: 'billing:write', description: 'Pay invoices' },
    ],
  });
  await createRole(deps, operator, { name: 'shopper', grants: ['orders:orders:read', 'orders:orders:write', 'billing:billing:read'] });
  const both = { apis: ['orders', 'billing'] };
  await createClient(deps, operator, {
    id: 'spa',
    public: true,
    grants: ['authorization_code'],
    scopes: ['read'],
    redirectUris: [spaRedirect],
    ...both,
    defaultApi: 'orders',
  });
  await createClient(deps, operator, { id: 'web-app', public: true, grants: ['password'], scopes: ['read'], ...both });
  const ordersService = await createClient(deps, operator, { id: 'orders-service', grants: ['client_credentials', exchangeGrant], ...both });
  const billingService = await createClient(deps, operator, { id: 'billing-service', allowTokenExchange: true, apis: ['billing'] });
  const plain = await createClient(deps, operator, { id: 'plain-service', grants: ['client_credentials'], ...both });
  const introspector = await createClient(deps, operator, { id: 'introspector', scopes: ['introspect'] });
  const alice = await createUser(deps, operator, { username: 'alice', password: alicePassword });
  await createUser(deps, operator, { username: 'bob', password: alicePassword });
  await setUserRoles(deps, operator, alice.id, ['shopper']);
  const secrets = {
    'orders-service': ordersService.secret!,
    'billing-service': billingService.secret!,
    'plain-service': plain.secret!,
    introspector: introspector.secret!,
  };
  const token = (fields: Record<string, string>, client?: keyof typeof secrets) =>
    server.fetch('/token', {
      ...form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(client ? { authorization: basic(client, secrets[client]) } : {}) },
    });
  const exchange = (client: keyof typeof secrets, subject: string, fields: Record<string, string> = {}) =>
    token({ grant_type: exchangeGrant, subject_token: subject, subject_token_type: accessTokenType, ...fields }, client);
  const password = async (fields: Record<string, string> = {}) => {
    const res = await token({ grant_type: 'password', client_id: 'web-app', username: 'alice', password: alicePassword, ...fields });
    expect(res.status).toBe(200);
    return res.json();
  };
  return { ...server, alice, token, exchange, password, secrets };
}

/** A browser sign-in of alice at the SPA asking for `resources`, up to the code. */
async function signIn(s: Awaited<ReturnType<typeof setup>>, resources: string[], scope = 'openid orders:read orders:write billing:read') {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: spaRedirect,
    scope,
    state: 's',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  for (const r of resources) query.append('resource', r);
  const b = browser(s.fetch);
  const page = await b.get(`/authorize?${query}`);
  const back = redirectParams(await b.login(page));
  return { code: back.code!, verifier, back };
}

describe('APIs as resources (RFC 8707)', () => {
  it('gives a password login a token for the API named by resource: its aud, only its scopes, its lifetime', async () => {
    const s = await setup();
    const body = await s.password({ resource: orders, scope: 'orders:read' });
    expect(body).toMatchObject({ scope: 'orders:read', expires_in: 300 });
    expect(decodeJwt(body.access_token)).toMatchObject({ aud: orders, scope: 'orders:read' });
    // Without resource, a client with no default API keeps its own audience (the issuer) and scopes.
    const own = await s.password();
    expect(decodeJwt(own.access_token)).toMatchObject({ aud: s.url, scope: 'read', exp: expect.any(Number) });
    expect(own.expires_in).toBe(600);
  });

  it('refuses a resource the client may not ask for with invalid_target, and a second resource in one token request', async () => {
    const s = await setup();
    const res = await s.token({
      grant_type: 'password',
      client_id: 'web-app',
      username: 'alice',
      password: alicePassword,
      resource: 'https://elsewhere.example',
    });
    expect(res.status).toBe(400);
    await expectMatchesSpec(res, { method: 'post', path: '/token' });
    expect(await res.json()).toEqual({
      error: 'invalid_target',
      error_description: 'resource "https://elsewhere.example" is unknown or not allowed for this client',
    });
    const two = await s.fetch('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=password&client_id=web-app&username=alice&password=${encodeURIComponent(alicePassword)}&resource=${encodeURIComponent(orders)}&resource=${encodeURIComponent(billing)}`,
    });
    expect(await two.json()).toEqual({ error: 'invalid_target', error_description: 'one resource per token request' });
  });

  it("grants API scopes only through a role or the user's own list", async () => {
    const s = await setup();
    const bob = await s.password({ username: 'bob', resource: orders });
    expect(bob.scope).toBe('');
    const res = await s.token({
      grant_type: 'password',
      client_id: 'web-app',
      username: 'alice',
      password: alicePassword,
      resource: billing,
      scope: 'billing:write',
    });
    expect(await res.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('lets a browser sign-in ask for two APIs; the code and each refresh give a token for any of them, never one not granted', async () => {
    const s = await setup();
    const { code, verifier } = await signIn(s, [orders, billing]);
    const exchanged = await s.token({
      grant_type: 'authorization_code',
      client_id: 'spa',
      code,
      code_verifier: verifier,
      redirect_uri: spaRedirect,
      resource: billing,
    });
    expect(exchanged.status).toBe(200);
    const first = await exchanged.json();
    expect(first).toMatchObject({ scope: 'billing:read', expires_in: 600, id_token: expect.any(String) });
    expect(decodeJwt(first.access_token)).toMatchObject({ aud: billing, scope: 'billing:read', sid: expect.any(String) });

    const refreshed = await (await s.token({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: first.refresh_token, resource: orders })).json();
    expect(refreshed).toMatchObject({ scope: 'orders:read orders:write', expires_in: 300 });
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ aud: orders, sid: decodeJwt(first.access_token).sid });

    const own = await s.token({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: refreshed.refresh_token, resource: 'https://elsewhere.example' });
    expect(await own.json()).toEqual({ error: 'invalid_target', error_description: 'resource was not granted at this login' });
  });

  it('answers /authorize with error=invalid_target for a resource the client may not ask for', async () => {
    const s = await setup();
    const { challenge } = pkce();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'spa',
      redirect_uri: spaRedirect,
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    query.append('resource', orders);
    query.append('resource', 'https://elsewhere.example');
    expect(redirectParams(await s.fetch(`/authorize?${query}`, { redirect: 'manual' }))).toMatchObject({ error: 'invalid_target', state: 's', iss: s.url });
  });
});

describe('token exchange (RFC 8693)', () => {
  async function aliceAtOrders(s: Awaited<ReturnType<typeof setup>>) {
    const { code, verifier } = await signIn(s, [orders, billing]);
    const res = await s.token({ grant_type: 'authorization_code', client_id: 'spa', code, code_verifier: verifier, redirect_uri: spaRedirect });
    return res.json();
  }

  it('gives a service a narrower token for another API with act naming it, in the same family; nested act when exchanged again', async () => {
    const s = await setup();
    const login = await aliceAtOrders(s);
    const subject = decodeJwt(login.access_token);
    expect(subject).toMatchObject({ aud: orders, scope: 'orders:read orders:write' });

    const res = await s.exchange('orders-service', login.access_token, { resource: billing, scope: 'billing:read' });
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'post', path: '/token' });
    const body = await res.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      issued_token_type: accessTokenType,
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'billing:read',
    });
    expect(decodeJwt(body.access_token)).toMatchObject({
      sub: s.alice.id,
      aud: billing,
      client_id: 'orders-service',
      scope: 'billing:read',
      sid: subject.sid,
      act: { sub: 'orders-service' },
    });

    const again = await (await s.exchange('billing-service', body.access_token, { audience: 'billing' })).json();
    expect(decodeJwt(again.access_token)).toMatchObject({
      aud: billing,
      scope: 'billing:read',
      act: { sub: 'billing-service', act: { sub: 'orders-service' } },
    });

    // Narrower for the same API.
    const narrower = await (await s.exchange('orders-service', login.access_token, { resource: orders, scope: 'orders:read' })).json();
    expect(decodeJwt(narrower.access_token)).toMatchObject({ aud: orders, scope: 'orders:read', act: { sub: 'orders-service' } });
  });

  it('refuses broader scopes, a client not allowed it, a resource it may not ask for, and a subject token from another issuer', async () => {
    const s = await setup();
    const login = await aliceAtOrders(s);
    const broader = await s.exchange('orders-service', login.access_token, { resource: billing, scope: 'billing:read billing:write' });
    expect(broader.status).toBe(400);
    expect(await broader.json()).toEqual({ error: 'invalid_scope', error_description: 'requested scope exceeds what is allowed: billing:write' });

    const notAllowed = await s.exchange('plain-service', login.access_token, { resource: billing });
    expect(await notAllowed.json()).toEqual({ error: 'unauthorized_client', error_description: `this client may not use the ${exchangeGrant} grant` });

    const target = await s.exchange('billing-service', login.access_token, { resource: orders });
    expect(await target.json()).toEqual({ error: 'invalid_target', error_description: `resource "${orders}" is unknown or not allowed for this client` });

    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ client_id: 'spa', scope: 'orders:read', sid: decodeJwt(login.access_token).sid })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'elsewhere' })
      .setIssuer('https://evil.example')
      .setSubject(s.alice.id)
      .setAudience(orders)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const other = await s.exchange('orders-service', foreign, { resource: billing });
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({ error: 'invalid_request', error_description: 'subject_token is not an access token issued here' });

    const wrongType = await s.token(
      { grant_type: exchangeGrant, subject_token: login.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' },
      'orders-service',
    );
    expect(await wrongType.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('ends the exchanged token with the login: introspection answers inactive and the feed lists the family', async () => {
    const s = await setup();
    const login = await aliceAtOrders(s);
    const exchanged = await (await s.exchange('orders-service', login.access_token, { resource: billing })).json();
    const introspect = async (token: string) =>
      (
        await s.fetch('/introspect', {
          ...form({ token }),
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('introspector', s.secrets.introspector) },
        })
      ).json();
    expect(await introspect(exchanged.access_token)).toMatchObject({ active: true, aud: billing, act: { sub: 'orders-service' } });

    expect((await s.fetch('/revoke', form({ token: login.refresh_token, client_id: 'spa' }))).status).toBe(200);
    expect(await introspect(exchanged.access_token)).toEqual({ active: false });
    const feed = await (await s.fetch('/revocations')).json();
    expect(feed.revocations).toEqual(expect.arrayContaining([expect.objectContaining({ sid: decodeJwt(exchanged.access_token).sid })]));
    // A revoked login's token can no longer be exchanged either.
    expect(await (await s.exchange('orders-service', login.access_token, { resource: billing })).json()).toEqual({
      error: 'invalid_request',
      error_description: 'subject_token is revoked',
    });
  });
});

describe('hostile input to resource and token exchange', () => {
  it('never answers 500, answers in the RFC shape, and issues nothing', async () => {
    const s = await setup();
    const login = await s.password({ resource: orders });
    const nul = '\u0000';
    const cases: Record<string, string>[] = [
      { grant_type: exchangeGrant, subject_token: nul, subject_token_type: accessTokenType },
      { grant_type: exchangeGrant, subject_token: login.access_token, subject_token_type: nul, resource: nul },
      { grant_type: exchangeGrant, subject_token: login.access_token, subject_token_type: accessTokenType, resource: `${orders}#frag`, audience: nul },
      { grant_type: exchangeGrant, subject_token: 'a.b.c', subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' },
      {
        grant_type: exchangeGrant,
        subject_token: `${'e'.repeat(30)}.${Buffer.from('{"iss":5}').toString('base64url')}.x`,
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      },
      { grant_type: exchangeGrant, subject_token: login.access_token, subject_token_type: accessTokenType, scope: nul, actor_token: 'x' },
      { grant_type: exchangeGrant, subject_token: login.access_token, subject_token_type: accessTokenType, requested_token_type: nul },
      { grant_type: 'client_credentials', resource: 'r'.repeat(5000) },
      { grant_type: 'client_credentials', resource: nul, audience: nul },
    ];
    for (const fields of cases) {
      const res = await s.token(fields, 'orders-service');
      expect(res.status, JSON.stringify(fields).slice(0, 120)).toBe(400);
      expect(await res.json()).toEqual({
        error: expect.stringMatching(/^(invalid_request|invalid_target|invalid_scope|invalid_grant)$/),
        error_description: expect.any(String),
      });
    }
    for (const resource of [nul, `${s.url}/x y`, 'r'.repeat(3000)]) {
      const res = await s.token({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token: login.refresh_token, resource });
      expect(await res.json()).toMatchObject({ error: 'invalid_target' });
    }
    for (const resource of [nul, 'not a uri', `${orders}#x`, 'r'.repeat(3000)]) {
      const { challenge } = pkce();
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: 'spa',
        redirect_uri: spaRedirect,
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource,
      });
      const res = await s.fetch(`/authorize?${query}`, { redirect: 'manual' });
      expect(redirectParams(res).error).toBe('invalid_target');
    }
    // The refresh token was not used up by the refused refresh.
    expect((await s.token({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token: login.refresh_token })).status).toBe(200);
  });
});

describe('the consent page', () => {
  it("lists each API's scopes with their descriptions, in Korean when asked", async () => {
    const s = await setup();
    await createClient(s.deps, operator, {
      id: 'partner',
      grants: ['authorization_code'],
      redirectUris: ['https://partner.example/cb'],
      thirdParty: true,
      apis: ['orders'],
    });
    const { challenge } = pkce();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'partner',
      redirect_uri: 'https://partner.example/cb',
      scope: 'orders:read',
      resource: orders,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const b = browser((path, init) => {
      const headers = new Headers(init?.headers);
      headers.set('accept-language', 'ko');
      return s.fetch(path, { ...init, headers });
    });
    const consent = await b.login(await b.get(`/authorize?${query}`));
    const html = await consent.text();
    expect(html).toContain('Orders에서');
    expect(html).toContain('orders:read');
    expect(html).toContain('See your orders');
    expect(html).not.toContain('Place and cancel orders');
    expect(hiddenFields(html)).toHaveProperty('request');
  });
});
