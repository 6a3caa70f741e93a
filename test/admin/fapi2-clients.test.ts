import { describe, expect, it } from 'vitest';
import { clientKey, jwksOf } from '../helpers/client-keys.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { basic, form } from '../helpers/server.js';
import { adminSetup } from './setup.js';

// Registering private_key_jwt clients and the FAPI 2.0 Security Profile (README, "FAPI 2.0").

const redirect = 'https://bank.example/cb';

describe('admin clients with keys and the fapi2 profile', () => {
  it('registers a fapi2 client: private_key_jwt, no secret, PAR and DPoP required', async () => {
    const { admin } = await adminSetup();
    const key = await clientKey('k1');
    const res = await admin('POST', '/admin/clients', {
      body: { id: 'bank', grants: ['authorization_code'], redirect_uris: [redirect], jwks: JSON.parse(jwksOf(key)), profile: 'fapi2' },
    });
    expect(res.status).toBe(201);
    await expectMatchesSpec(res.clone(), { method: 'POST', path: '/admin/clients' });
    const body = await res.json();
    expect(body.client_secret).toBeUndefined();
    expect(body.client).toMatchObject({
      public: false,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [key.publicJwk] },
      jwks_uri: null,
      require_pushed_authorization_requests: true,
      dpop_bound_access_tokens: true,
      profile: 'fapi2',
    });
  });

  it.each([
    [{ profile: 'fapi2' }, 'the fapi2 profile needs private_key_jwt: give the keys with jwks or jwks_uri'],
    [{ profile: 'fapi2', jwks_uri: 'https://bank.example/jwks', grants: ['authorization_code', 'password'] }, 'the fapi2 profile forbids the password grant'],
    [
      { profile: 'fapi2', jwks_uri: 'https://bank.example/jwks', require_pushed_authorization_requests: false },
      'the fapi2 profile requires pushed authorization requests',
    ],
    [{ profile: 'fapi1' }, 'profile must be fapi2 (or none)'],
    [{ jwks_uri: 'http://bank.example/jwks' }, 'jwks_uri must be an https URL (plain http only on loopback)'],
    [{ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, 'each key must be a public RSA, EC or OKP key (kty)'],
    [{ jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' }] } }, 'the JWKS holds a private key: give only the public keys'],
    [{ jwks: { keys: [] } }, 'the JWKS must be {"keys": [...]} with 1 to 20 keys'],
    [{ jwks: { keys: [{ kty: 'EC' }] }, jwks_uri: 'https://bank.example/jwks' }, 'give the keys inline (jwks) or by jwks_uri, not both'],
    [{ public: true, jwks_uri: 'https://bank.example/jwks' }, 'a public client has no credentials: it cannot have keys (jwks, jwks_uri)'],
  ])('refuses %j', async (settings, description) => {
    const { admin } = await adminSetup();
    const res = await admin('POST', '/admin/clients', { body: { id: 'bank', grants: ['authorization_code'], redirect_uris: [redirect], ...settings } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: description });
  });

  it('keeps a fapi2 client within the profile on update, and keys replace a secret at once', async () => {
    const { admin, fetch, serviceSecret } = await adminSetup();
    await admin('POST', '/admin/clients', {
      body: { id: 'bank', grants: ['authorization_code'], redirect_uris: [redirect], jwks_uri: 'https://bank.example/jwks', profile: 'fapi2' },
    });
    for (const [body, description] of [
      [{ grants: ['authorization_code', 'password'] }, 'the fapi2 profile forbids the password grant'],
      [{ require_pushed_authorization_requests: false }, 'the fapi2 profile requires pushed authorization requests'],
      [{ jwks_uri: null }, 'a client that authenticates with keys keeps them: give new keys rather than none'],
    ] as const) {
      const res = await admin('PATCH', '/admin/clients/bank', { body });
      expect(await res.json()).toEqual({ error: 'invalid_request', error_description: description });
    }
    const dropped = await admin('PATCH', '/admin/clients/bank', { body: { profile: null, require_pushed_authorization_requests: false } });
    expect((await dropped.json()).client).toMatchObject({ profile: null, require_pushed_authorization_requests: false, dpop_bound_access_tokens: true });

    const key = await clientKey('k1');
    const switched = await admin('PATCH', '/admin/clients/billing', { body: { jwks: JSON.parse(jwksOf(key)) } });
    expect((await switched.json()).client).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', public: false });
    const withSecret = await fetch('/token', {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) },
    });
    expect(withSecret.status).toBe(401);
  });
});
