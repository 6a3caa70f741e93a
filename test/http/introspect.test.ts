import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { disableUser } from '../../src/services/users.js';
import { loginAlice, seededServer } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';

const operator = { name: 'cli' };

async function setup() {
  const server = await seededServer();
  const login = () => loginAlice(server);
  const asBilling = (fields: Record<string, string>, id = 'billing', secret = server.serviceSecret) =>
    server.fetch('/introspect', {
      ...form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) },
    });
  const introspect = async (token: string, hint?: string) => {
    const res = await asBilling({ token, ...(hint ? { token_type_hint: hint } : {}) });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    await expectMatchesSpec(res, { method: 'post', path: '/introspect' });
    return res.json();
  };
  return { ...server, login, asBilling, introspect };
}

describe('POST /introspect', () => {
  it('describes an active access token of a login', async () => {
    const s = await setup();
    const { access_token } = await s.login();
    expect(await s.introspect(access_token)).toEqual({
      active: true,
      token_type: 'access_token',
      scope: 'read write',
      client_id: 'web-app',
      sub: s.alice.id,
      aud: s.url,
      iss: s.url,
      exp: 1_700_000_600,
      iat: 1_700_000_000,
      jti: 'jti_1',
      sid: 'fam_1',
    });
  });

  it('describes an active refresh token', async () => {
    const s = await setup();
    const { refresh_token } = await s.login();
    expect(await s.introspect(refresh_token, 'refresh_token')).toEqual({
      active: true,
      token_type: 'refresh_token',
      scope: 'read write',
      client_id: 'web-app',
      sub: s.alice.id,
      exp: 1_700_000_000 + 1_209_600,
      iat: 1_700_000_000,
      sid: 'fam_1',
    });
  });

  it('describes a client_credentials token, which has no sid', async () => {
    const s = await setup();
    const res = await s.fetch('/token', {
      ...form({ grant_type: 'client_credentials', scope: 'read' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', s.serviceSecret) },
    });
    const body = await s.introspect((await res.json()).access_token);
    expect(body).toMatchObject({ active: true, token_type: 'access_token', sub: 'billing', client_id: 'billing', scope: 'read' });
    expect(body.sid).toBeUndefined();
  });

  it('answers {"active":false} for the access and refresh tokens of a revoked family', async () => {
    const s = await setup();
    const { access_token, refresh_token } = await s.login();
    const successor = (await (await s.fetch('/refresh', form({ refresh_token }))).json()).refresh_token;
    s.deps.clock.advance(11);
    // Reuse after the grace window revokes the family.
    expect((await s.fetch('/refresh', form({ refresh_token }))).status).toBe(400);
    for (const token of [access_token, refresh_token, successor]) expect(await s.introspect(token)).toEqual({ active: false });
  });

  it('keeps a rotated refresh token active during the grace window only', async () => {
    const s = await setup();
    const { refresh_token } = await s.login();
    await s.fetch('/refresh', form({ refresh_token }));
    s.deps.clock.advance(10);
    expect((await s.introspect(refresh_token)).active).toBe(true);
    s.deps.clock.advance(1);
    expect(await s.introspect(refresh_token)).toEqual({ active: false });
    // Introspection is not an exchange: the family is alive.
    expect((await s.deps.store.findFamily('fam_1'))?.revokedAt).toBeNull();
  });

  it('answers {"active":false} for expired, forged, garbage and unknown tokens, and for a disabled user', async () => {
    const s = await setup();
    const { access_token, refresh_token } = await s.login();
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ client_id: 'web-app', scope: 'read', sid: 'fam_1' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'forged' })
      .setIssuer(s.url)
      .setSubject(s.alice.id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .setJti('x')
      .sign(privateKey);
    for (const token of [forged, 'garbage', 'a.b.c', 'x'.repeat(3000)]) expect(await s.introspect(token)).toEqual({ active: false });

    await disableUser(s.deps, operator, s.alice.id);
    expect(await s.introspect(refresh_token)).toEqual({ active: false });
    expect(await s.introspect(access_token)).toEqual({ active: false });

    const later = await setup();
    const tokens = await later.login();
    later.deps.clock.advance(600);
    expect(await later.introspect(tokens.access_token)).toEqual({ active: false });
  });

  it('is only for confidential clients with the introspect scope: others get 403 insufficient_scope', async () => {
    const s = await setup();
    const { access_token } = await s.login();
    const plain = await createClient(s.deps, operator, { id: 'reports', grants: ['client_credentials'], scopes: ['read'] });
    const expected = {
      error: 'insufficient_scope',
      error_description: 'introspection needs a confidential client with the "introspect" scope',
    };

    const confidential = await s.asBilling({ token: access_token }, 'reports', plain.secret!);
    expect(confidential.status).toBe(403);
    expect(confidential.headers.get('www-authenticate')).toBeNull();
    await expectMatchesSpec(confidential, { method: 'post', path: '/introspect' });
    expect(await confidential.json()).toEqual(expected);

    const publicClient = await s.fetch('/introspect', form({ token: access_token, client_id: 'web-app' }));
    expect(publicClient.status).toBe(403);
    expect(await publicClient.json()).toEqual(expected);

    const wrongSecret = await s.asBilling({ token: access_token }, 'billing', 'wrong');
    expect(wrongSecret.status).toBe(401);
    const anonymous = await s.fetch('/introspect', form({ token: access_token }));
    expect(anonymous.status).toBe(401);
  });

  it('requires the token parameter', async () => {
    const s = await setup();
    const res = await s.asBilling({});
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'token is required' });
  });
});
