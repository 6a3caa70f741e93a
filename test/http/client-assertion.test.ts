import { base64url, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { createUser } from '../../src/services/users.js';
import { alicePassword } from '../helpers/fixtures.js';
import { assertion, assertionFields, clientKey, jwksOf, jwksServer, jwtBearer } from '../helpers/client-keys.js';
import { basic, form, testServer } from '../helpers/server.js';

// private_key_jwt (RFC 7523 §2.2): a client proves itself with a JWT signed by one of its registered keys.

const operator = { name: 'cli' };

async function setup(keys: { jwks?: string; jwksUri?: string } = {}) {
  const server = await testServer();
  const key = await clientKey('k1');
  await createClient(server.deps, operator, { id: 'bank', grants: ['client_credentials'], scopes: ['read', 'introspect'], jwks: jwksOf(key), ...keys });
  const now = () => server.deps.clock.now();
  const token = (fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const init = form({ grant_type: 'client_credentials', ...fields });
    return server.fetch('/token', { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
  };
  return { server, key, now, token };
}

const refused = (description: string) => ({ error: 'invalid_client', error_description: description });

describe('private_key_jwt at /token', () => {
  it('authenticates a client by an assertion whose aud is the issuer or the token endpoint, with no secret issued', async () => {
    const { server, key, now, token } = await setup();
    for (const aud of [server.url, `${server.url}/token`]) {
      const res = await token(assertionFields(await assertion(key, 'bank', aud, now())));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ token_type: 'Bearer', scope: 'read introspect' });
    }
    const view = (await server.deps.store.findClient('bank'))!;
    expect(view.secretHash).toBeNull();
  });

  it('refuses an assertion used a second time (its jti), also after the first answer', async () => {
    const { server, key, now, token } = await setup();
    const once = await assertion(key, 'bank', server.url, now());
    expect((await token(assertionFields(once))).status).toBe(200);
    const again = await token(assertionFields(once));
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual(refused('the client assertion was used already (jti)'));
  });

  it.each([
    ['signed by another key', { kid: 'k1', other: true }, {}, "the client assertion was refused: it is not signed by one of the client's keys"],
    ['for another audience', {}, { aud: 'https://elsewhere.example' }, 'the client assertion was refused: its aud claim is not valid here'],
    ['expired', {}, { exp: 1_700_000_000 - 60 }, 'the client assertion was refused: it has expired'],
    ['with sub other than iss', {}, { sub: 'bank', iss: 'someone-else' }, 'the client assertion was refused: its iss claim is not valid here'],
    ['living longer than 300 s', {}, { exp: 1_700_000_000 + 3600 }, 'the client assertion must expire within 300 seconds'],
    ['without a jti', {}, { jti: undefined }, 'the client assertion was refused: its jti claim is not valid here'],
  ])('refuses an assertion %s', async (_what, how, claims, description) => {
    const { server, now, token, key } = await setup();
    const signer = 'other' in how ? await clientKey('k1') : key;
    const res = await token(assertionFields(await assertion(signer, 'bank', server.url, now(), claims)));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(refused(description));
  });

  it('refuses alg none and an HMAC keyed with anything, whatever the claims', async () => {
    const { server, now, token } = await setup();
    const iat = Math.floor(now().getTime() / 1000);
    const claims = { iss: 'bank', sub: 'bank', aud: server.url, iat, exp: iat + 60, jti: 'x' };
    const none = `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify(claims))}.`;
    const hs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode('a shared secret of 32 bytes......'));
    for (const forged of [none, hs256]) {
      const res = await token(assertionFields(forged));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(refused('the client assertion must be signed with one of RS256, PS256, ES256, EdDSA'));
    }
  });

  it('takes no other way in for a client with keys, and no assertion from a client without', async () => {
    const { server, key, now, token } = await setup();
    const secretOnly = await createClient(server.deps, operator, { id: 'reports', grants: ['client_credentials'] });
    const bare = await token({ client_id: 'bank' });
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual(refused('this client must authenticate with private_key_jwt (a client assertion)'));
    const viaBasic = await token({}, { authorization: basic('bank', 'guessed') });
    expect(viaBasic.status).toBe(401);
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic/);
    const foreign = await token(assertionFields(await assertion(key, 'reports', server.url, now())));
    expect(await foreign.json()).toEqual(refused('this client has no keys registered: it cannot use a client assertion'));
    expect((await token({}, { authorization: basic('reports', secretOnly.secret!) })).status).toBe(200);
  });

  it('answers malformed assertion parameters with invalid_request or invalid_client, never more', async () => {
    const { server, key, now, token } = await setup();
    const good = await assertion(key, 'bank', server.url, now());
    const cases: [Record<string, string>, number, Record<string, string>][] = [
      [
        { client_assertion_type: 'urn:other', client_assertion: good },
        400,
        { error: 'invalid_request', error_description: `client_assertion_type must be ${jwtBearer}` },
      ],
      [{ client_assertion_type: jwtBearer }, 400, { error: 'invalid_request', error_description: 'client_assertion is required with client_assertion_type' }],
      [{ ...assertionFields('not-a-jwt') }, 401, refused('the client assertion is not a JWT naming the client in sub')],
      [{ ...assertionFields(good), client_id: 'other' }, 401, refused('client_id does not match the client assertion')],
      [
        { ...assertionFields(good), client_secret: 'x', client_id: 'bank' },
        400,
        { error: 'invalid_request', error_description: 'use one client authentication method, not two' },
      ],
    ];
    for (const [fields, status, body] of cases) {
      const res = await token(fields);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual(body);
    }
  });

  it('authenticates at /introspect and /revoke too, with the endpoint URL as aud', async () => {
    const { server, key, now, token } = await setup();
    const issued = await (await token(assertionFields(await assertion(key, 'bank', server.url, now())))).json();
    const introspect = await server.fetch(
      '/introspect',
      form({ token: issued.access_token, ...assertionFields(await assertion(key, 'bank', `${server.url}/introspect`, now())) }),
    );
    expect(introspect.status).toBe(200);
    expect(await introspect.json()).toMatchObject({ active: true, client_id: 'bank' });
    const revoke = await server.fetch('/revoke', form({ token: issued.access_token, ...assertionFields(await assertion(key, 'bank', server.url, now())) }));
    expect(revoke.status).toBe(200);
  });
});

describe('private_key_jwt at /refresh', () => {
  it('rotates a refresh token for a first-party client that authenticates with an assertion, and not without one', async () => {
    const { server, key, now } = await setup();
    await createClient(server.deps, operator, { id: 'app', grants: ['password'], scopes: ['read'], jwks: jwksOf(key) });
    await createUser(server.deps, operator, { username: 'alice', password: alicePassword });
    const signed = async () => assertionFields(await assertion(key, 'app', server.url, now()));
    const login = await server.fetch('/token', form({ grant_type: 'password', username: 'alice', password: alicePassword, ...(await signed()) }));
    expect(login.status).toBe(200);
    const { refresh_token } = await login.json();
    const bare = await server.fetch('/refresh', form({ refresh_token }));
    expect(await bare.json()).toEqual(refused('this client must authenticate with private_key_jwt (a client assertion)'));
    const rotated = await server.fetch('/refresh', form({ refresh_token, ...(await signed()) }));
    expect(rotated.status).toBe(200);
    expect((await rotated.json()).refresh_token).not.toBe(refresh_token);
  });
});

describe('private_key_jwt with keys fetched from a jwks_uri', () => {
  it('fetches the keys once, refetches on an unknown kid after the cooldown, and uses rotated keys', async () => {
    const first = await clientKey('k1');
    const second = await clientKey('k2', 'PS256');
    const jwks = await jwksServer(jwksOf(first));
    const { server, now, token } = await setup({ jwks: undefined, jwksUri: jwks.url });
    expect((await token(assertionFields(await assertion(first, 'bank', server.url, now())))).status).toBe(200);
    expect((await token(assertionFields(await assertion(first, 'bank', server.url, now())))).status).toBe(200);
    expect(jwks.requests()).toBe(1);

    jwks.serve(jwksOf(second));
    // Within the cooldown an unknown kid does not refetch: a forged kid cannot make Tessera hammer the client's server.
    const early = await token(assertionFields(await assertion(second, 'bank', server.url, now())));
    expect(early.status).toBe(401);
    expect(jwks.requests()).toBe(1);
    server.deps.clock.advance(10);
    expect((await token(assertionFields(await assertion(second, 'bank', server.url, now())))).status).toBe(200);
    expect(jwks.requests()).toBe(2);
    const retired = await token(assertionFields(await assertion(first, 'bank', server.url, now())));
    expect(await retired.json()).toEqual(refused("the client assertion was refused: it is not signed by one of the client's keys"));
  });

  it.each([
    ['not JSON', 'not json'],
    ['a private key', JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' }] })],
    ['over 64 KiB', JSON.stringify({ keys: [], padding: 'x'.repeat(70_000) })],
  ])('refuses the client while its jwks_uri answers %s', async (_what, body) => {
    const key = await clientKey('k1');
    const jwks = await jwksServer(body);
    const { server, now, token } = await setup({ jwks: undefined, jwksUri: jwks.url });
    const res = await token(assertionFields(await assertion(key, 'bank', server.url, now())));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(refused("the client's keys could not be fetched from its jwks_uri"));
  });
});
