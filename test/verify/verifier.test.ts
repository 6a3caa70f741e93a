import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { openPrivateJwk } from '../../src/keys/encryption.js';
import { revokeFamilyById } from '../../src/services/sessions/families.js';
import { createVerifier, type VerifierOptions } from '../../packages/verify/src/index.js';
import { loginAlice, seed } from '../helpers/fixtures.js';
import { onCleanup } from '../helpers/deps.js';
import { testServer, type TestServer } from '../helpers/server.js';

async function setup() {
  const server = await testServer();
  await seed(server.deps);
  const { access_token: token } = await loginAlice(server);
  return { server, token, claims: decodeJwt(token) as Record<string, unknown> & { sid: string } };
}

function verifierFor(server: TestServer, options: Partial<VerifierOptions> = {}) {
  const verifier = createVerifier({ issuer: server.url, audience: server.url, now: () => server.deps.clock.now(), ...options });
  onCleanup(() => verifier.close());
  return verifier;
}

/** Signs claims with the service's own active private key, for tokens the service would never issue. */
async function signWithServiceKey(server: TestServer, claims: Record<string, unknown>, header: Record<string, unknown>) {
  const active = server.deps.keys.states(server.deps.clock.now()).active!;
  const key = await importJWK(JSON.parse(openPrivateJwk(active, null)) as JWK, active.alg);
  return new SignJWT(claims).setProtectedHeader({ alg: active.alg, kid: active.kid, ...header }).sign(key);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('createVerifier().verify', () => {
  it('returns the claims of a valid token, fetching the keys from the JWKS', async () => {
    const { server, token, claims } = await setup();
    expect(await verifierFor(server).verify(token)).toEqual(claims);
    expect(claims).toMatchObject({ iss: server.url, client_id: 'web-app', scope: 'read write', sid: 'fam_1' });
  });

  it.each([
    ['a tampered payload', 'ERR_SIGNATURE_INVALID'],
    ['garbage', 'ERR_TOKEN_MALFORMED'],
  ])('refuses %s with %s', async (kind, code) => {
    const { server, token, claims } = await setup();
    const [h, , s] = token.split('.');
    const bad = kind === 'garbage' ? 'not.a.jwt' : `${h}.${b64({ ...claims, scope: 'admin' })}.${s}`;
    await expect(verifierFor(server).verify(bad)).rejects.toMatchObject({ code });
  });

  it('refuses an expired token, allowing only the configured clock tolerance', async () => {
    const { server, token } = await setup();
    const verifier = verifierFor(server, { clockTolerance: 5 });
    server.deps.clock.advance(600 + 4);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    server.deps.clock.advance(2);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  });

  it('refuses another issuer and another audience', async () => {
    const { server, token } = await setup();
    const jwksUri = `${server.url}/.well-known/jwks.json`;
    await expect(verifierFor(server, { issuer: 'https://elsewhere.example', jwksUri }).verify(token)).rejects.toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
    });
    await expect(verifierFor(server, { audience: 'https://billing.example' }).verify(token)).rejects.toMatchObject({
      code: 'ERR_AUDIENCE_MISMATCH',
    });
    // Exactly: not even a trailing slash is forgiven (the JWKS is still found).
    await expect(verifierFor(server, { issuer: `${server.url}/` }).verify(token)).rejects.toMatchObject({ code: 'ERR_ISSUER_MISMATCH' });
  });

  it('refuses alg none and an HS256 token keyed with the public key', async () => {
    const { server, token, claims } = await setup();
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    const none = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`;
    await expect(verifierFor(server).verify(none)).rejects.toMatchObject({ code: 'ERR_ALGORITHM_NOT_ALLOWED' });

    const jwks = await (await server.fetch('/.well-known/jwks.json')).json();
    const publicPem = createPublicKey({ key: jwks.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: header.kid }).sign(Buffer.from(publicPem));
    await expect(verifierFor(server).verify(hs)).rejects.toMatchObject({ code: 'ERR_ALGORITHM_NOT_ALLOWED' });
  });

  it('refuses a token signed by a key the JWKS does not publish', async () => {
    const { server, claims } = await setup();
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'unknown-kid' }).sign(privateKey);
    await expect(verifierFor(server).verify(forged)).rejects.toMatchObject({ code: 'ERR_KEY_NOT_FOUND' });
  });

  it('refuses a token that is not typed at+jwt, such as an ID token signed by the same key', async () => {
    const { server, claims } = await setup();
    const idToken = await signWithServiceKey(server, claims, { typ: 'JWT' });
    await expect(verifierFor(server).verify(idToken)).rejects.toMatchObject({ code: 'ERR_TYPE_INVALID' });
  });

  it('verifies a PS256 token (SIGNING_ALG=PS256), as jose does with the published key', async () => {
    const server = await testServer({ env: { SIGNING_ALG: 'PS256' } });
    await seed(server.deps);
    const { access_token: token } = await loginAlice(server);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'PS256', typ: 'at+jwt' });
    const claims = await verifierFor(server).verify(token);
    expect(claims).toMatchObject({ iss: server.url, client_id: 'web-app', sid: 'fam_1' });
    const { keys } = await (await server.fetch('/.well-known/jwks.json')).json();
    expect(keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'PS256', use: 'sig' })]);
    const { payload } = await jwtVerify(token, await importJWK(keys[0], 'PS256'), { currentDate: server.deps.clock.now(), issuer: server.url });
    expect(payload).toEqual(claims);
    await expect(verifierFor(server, { algorithms: ['RS256'] }).verify(token)).rejects.toMatchObject({ code: 'ERR_ALGORITHM_NOT_ALLOWED' });
  });

  it('accepts only the algorithms it is configured for', async () => {
    const { server, token } = await setup();
    await expect(verifierFor(server, { algorithms: ['ES256'] }).verify(token)).rejects.toMatchObject({ code: 'ERR_ALGORITHM_NOT_ALLOWED' });
    expect(() => createVerifier({ issuer: server.url, audience: server.url, algorithms: ['HS256' as never] })).toThrow(TypeError);
  });

  it('says the keys are unavailable when the JWKS cannot be fetched', async () => {
    const { server, token } = await setup();
    const verifier = verifierFor(server, { jwksUri: `${server.url}/no-such-jwks` });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });
  });

  it('refuses a revoked session within seconds when it follows the revocation feed', async () => {
    const { server, token, claims } = await setup();
    const verifier = verifierFor(server, { revocations: true });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sid: claims.sid });

    await revokeFamilyById(server.deps, { name: 'cli' }, claims.sid, 'admin');
    const revokedAt = Date.now();
    let code: string | undefined;
    while (Date.now() - revokedAt < 5000) {
      code = await verifier.verify(token).then(
        () => undefined,
        (error: { code: string }) => error.code,
      );
      if (code) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(code).toBe('ERR_TOKEN_REVOKED');
    expect(Date.now() - revokedAt).toBeLessThan(5000);
  });
});

describe('createVerifier JWKS cache', () => {
  it('fetches the JWKS once, refetches for an unknown kid, and not again within the cooldown', async () => {
    const { server, token } = await setup();
    const jwksFetches: string[] = [];
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/.well-known/jwks.json')) jwksFetches.push(String(input));
      return fetch(input, init);
    };
    const verifier = verifierFor(server, { fetch: counting, jwksCooldownMs: 60_000 });
    const eager = verifierFor(server, { fetch: counting, jwksCooldownMs: 0 });
    await verifier.verify(token);
    await verifier.verify(token);
    await eager.verify(token);
    expect(jwksFetches).toHaveLength(2);

    // An emergency rotation: tokens now carry a kid the cached JWKS does not have.
    await server.deps.keys.rotate(server.deps.clock.now(), { immediate: true });
    const { access_token: rotated } = await loginAlice(server);
    // Within the cooldown an unknown kid does not hammer the JWKS endpoint…
    await expect(verifier.verify(rotated)).rejects.toMatchObject({ code: 'ERR_KEY_NOT_FOUND' });
    await expect(verifier.verify(rotated)).rejects.toMatchObject({ code: 'ERR_KEY_NOT_FOUND' });
    expect(jwksFetches).toHaveLength(2);

    // …and once it has passed (here: a verifier without one), the unknown kid triggers one refetch and verifies.
    await expect(eager.verify(rotated)).resolves.toMatchObject({ client_id: 'web-app' });
    await eager.verify(rotated);
    expect(jwksFetches).toHaveLength(3);
  });
});

describe('createVerifier during a Tessera outage', () => {
  it('keeps verifying with the keys it has when the JWKS cannot be refetched, and retries once per cooldown', async () => {
    const { server, token, claims } = await setup();
    let down = false;
    let jwksFetches = 0;
    const network: typeof fetch = (input, init) => {
      if (String(input).endsWith('/.well-known/jwks.json')) jwksFetches += 1;
      return down ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    };
    // A cache lifetime of 0: every verification wants a fresh JWKS.
    const verifier = verifierFor(server, { fetch: network, jwksCacheMaxAgeMs: 0, jwksCooldownMs: 1000 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sid: claims.sid });

    down = true;
    const before = jwksFetches;
    await expect(verifier.verify(token)).resolves.toMatchObject({ sid: claims.sid });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sid: claims.sid });
    expect(jwksFetches - before).toBe(1); // one failed refetch, then the cooldown
    // A kid it has never seen may be a new key it cannot fetch: unavailable, not a bad token.
    const { privateKey } = await generateKeyPair('RS256');
    const unknownKid = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'new-kid' }).sign(privateKey);
    await expect(verifier.verify(unknownKid)).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });

    // Back up, and past the cooldown: it fetches again.
    down = false;
    server.deps.clock.advance(2);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sid: claims.sid });
    expect(jwksFetches - before).toBe(2);
  });

  it('refuses with ERR_JWKS_UNAVAILABLE when it has never had the keys', async () => {
    const { server, token } = await setup();
    const verifier = verifierFor(server, { fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });
  });
});
