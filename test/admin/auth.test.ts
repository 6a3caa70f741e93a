import { describe, expect, it } from 'vitest';
import { freshKeyPair } from '../../src/keys/generate.js';
import { makeDeps } from '../helpers/deps.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { adminSetup } from './setup.js';

// Every operator route, with a request that succeeds once the caller is an admin.
const routes: [method: string, path: string, body?: unknown][] = [
  ['POST', '/admin/users', { username: 'bob', password: 'a long enough password' }],
  ['PUT', '/admin/users/usr_1/password', { password: 'another long password' }],
  ['POST', '/admin/users/usr_1/disable'],
  ['GET', '/admin/users/usr_1/families'],
  ['DELETE', '/admin/users/usr_1/families'],
  ['DELETE', '/admin/families/fam_1'],
  ['POST', '/admin/clients', { id: 'new-app', public: true, grants: ['password'] }],
  ['GET', '/admin/clients'],
  ['DELETE', '/admin/clients/web-app'],
  ['GET', '/admin/keys'],
  ['POST', '/admin/keys/rotate', { immediate: false }],
  ['GET', '/admin/audit'],
];

describe('admin API authentication', () => {
  it.each(routes)('%s %s answers 401 with Bearer and DPoP challenges without a token, and changes nothing', async (method, path, body) => {
    const { admin, deps } = await adminSetup();
    const before = await deps.store.listAuditEvents({ limit: 100 });
    const res = await admin(method, path, { body, token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tessera", DPoP algs="ES256 EdDSA PS256 RS256"');
    await expectMatchesSpec(res, { method, path });
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'an access token is required (Bearer, or DPoP with its proof)' });
    expect(await deps.store.listAuditEvents({ limit: 100 })).toEqual(before);
  });

  it.each(routes)('%s %s answers 403 insufficient_scope to a valid token without the admin scope', async (method, path, body) => {
    const { admin, serviceToken } = await adminSetup();
    const res = await admin(method, path, { body, token: await serviceToken('read') });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tessera", error="insufficient_scope", scope="admin"');
    await expectMatchesSpec(res, { method, path });
    expect(await res.json()).toEqual({ error: 'insufficient_scope', error_description: 'this resource needs the "admin" scope' });
  });

  it.each(routes)('%s %s succeeds with an admin token', async (method, path, body) => {
    const { admin, login } = await adminSetup();
    await login();
    const res = await admin(method, path, { body });
    expect([200, 201]).toContain(res.status);
    await expectMatchesSpec(res, { method, path });
  });

  it('refuses garbage, a malformed header and a token from another Tessera with 401 invalid_token', async () => {
    const { admin, url } = await adminSetup();
    // The same issuer URL, but its own signing key: the signature does not verify here.
    const other = await makeDeps({ env: { ISSUER: url }, keyPairs: freshKeyPair });
    const foreign = await other.keys.sign(
      { iss: url, sub: 'billing', aud: url, scope: 'admin', jti: 'x', iat: 1_700_000_000, exp: 1_700_000_600 },
      other.clock.now(),
    );
    for (const authorization of ['Bearer not-a-jwt', `Bearer ${foreign}`]) {
      const res = await admin('GET', '/admin/clients', { token: authorization.slice(7) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="tessera", error="invalid_token"/);
      expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'the access token is not valid' });
    }
  });

  it('refuses an expired admin token', async () => {
    const { admin, deps } = await adminSetup();
    deps.clock.advance(601);
    const res = await admin('GET', '/admin/clients');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'the access token has expired' });
  });

  it('refuses a token of another issuer, and one meant for another audience', async () => {
    const { admin, deps, url } = await adminSetup();
    const claims = { sub: 'billing', client_id: 'billing', scope: 'admin', jti: 'j', iat: 1_700_000_000, exp: 1_700_000_600 };
    const wrongIssuer = await deps.keys.sign({ ...claims, iss: 'https://elsewhere.example', aud: url }, deps.clock.now());
    const wrongAudience = await deps.keys.sign({ ...claims, iss: url, aud: 'https://billing.example' }, deps.clock.now());
    expect((await (await admin('GET', '/admin/keys', { token: wrongIssuer })).json()).error).toBe('invalid_token');
    const res = await admin('GET', '/admin/keys', { token: wrongAudience });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'the access token is meant for another audience' });
  });

  it('refuses a non-Bearer Authorization header', async () => {
    const { fetch } = await adminSetup();
    const res = await fetch('/admin/clients', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await res.json()).toEqual({
      error: 'invalid_token',
      error_description: 'the Authorization header must be "Bearer <access token>" or "DPoP <access token>"',
    });
  });
});
