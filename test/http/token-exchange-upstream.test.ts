import { decodeJwt, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/services/apis.js';
import { createClient } from '../../src/services/clients.js';
import { createRole, setUserRoles } from '../../src/services/roles.js';
import { createUser } from '../../src/services/users.js';
import { alicePassword } from '../helpers/fixtures.js';
import { basic, form, testServer } from '../helpers/server.js';
import { addTestProvider, fakeUpstream, otherKey, upstreamClient, upstreamKey } from '../helpers/upstream.js';

const operator = { name: 'cli' };
const billing = 'https://billing.example/api';
const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const idTokenType = 'urn:ietf:params:oauth:token-type:id_token';

/** A provider whose id_tokens may be exchanged, alice linked to its account `up-alice`, and a service allowed to exchange. */
async function setup({ allow = true } = {}) {
  const server = await testServer();
  const { deps } = server;
  const upstream = await fakeUpstream();
  await addTestProvider(deps, upstream.issuer, { allowTokenExchange: allow });
  await createApi(deps, operator, {
    id: 'billing',
    identifier: billing,
    scopes: [
      { name: 'billing:read', description: '' },
      { name: 'billing:write', description: '' },
    ],
  });
  await createRole(deps, operator, { name: 'payer', grants: ['billing:billing:read'] });
  const alice = await createUser(deps, operator, { username: 'alice', password: alicePassword });
  await setUserRoles(deps, operator, alice.id, ['payer']);
  await deps.store.insertIdentity({ providerId: 'idp', subject: 'up-alice', userId: alice.id, email: null, emailVerified: false, linkedAt: 0 });
  const { secret } = await createClient(deps, operator, { id: 'orders-service', allowTokenExchange: true, apis: ['billing'] });
  const idToken = async (claims: Record<string, unknown> = {}, key = upstreamKey) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: upstream.issuer, aud: upstreamClient.id, sub: 'up-alice', iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .sign(await importJWK(key.privateJwk, 'RS256'));
  };
  const exchange = (subject: string, fields: Record<string, string> = {}) =>
    server.fetch('/token', {
      ...form({ grant_type: exchangeGrant, subject_token: subject, subject_token_type: idTokenType, resource: billing, ...fields }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('orders-service', secret!) },
    });
  return { ...server, alice, idToken, exchange };
}

describe('token exchange of an upstream id_token (RFC 8693)', () => {
  it("maps a provider's verified id_token to its linked user, with the user's scopes of the target API and act", async () => {
    const s = await setup();
    const res = await s.exchange(await s.idToken());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', scope: 'billing:read' });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ sub: s.alice.id, aud: billing, client_id: 'orders-service', act: { sub: 'orders-service' } });
    expect(claims.sid).toBeUndefined();
    expect(await (await s.exchange(await s.idToken(), { scope: 'billing:write' })).json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses an id_token signed with another key, meant for another client, of an unlinked account, or from a provider that does not allow it', async () => {
    const s = await setup();
    const refused = async (token: string) => {
      const res = await s.exchange(token);
      expect(res.status).toBe(400);
      return (await res.json()).error_description;
    };
    expect(await refused(await s.idToken({}, otherKey))).toBe('subject_token is not a valid id_token of provider idp');
    expect(await refused(await s.idToken({ aud: 'someone-else' }))).toBe('subject_token is not a valid id_token of provider idp');
    expect(await refused(await s.idToken({ sub: 'up-stranger' }))).toBe('subject_token names an identity at idp that is linked to no user');
    expect(await refused(await s.idToken({ iss: 'https://evil.example' }))).toBe('subject_token comes from an issuer whose id_tokens may not be exchanged');

    const closed = await setup({ allow: false });
    const res = await closed.exchange(await closed.idToken());
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'subject_token comes from an issuer whose id_tokens may not be exchanged',
    });
  });
});
