import { SignJWT, importJWK, jwtVerify, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import type { SigningAlg } from '../../../src/config/schema.js';
import { createKeyRing } from '../../../src/keys/key-ring.js';
import { sqliteMemoryStore, testConfig } from '../../helpers/deps.js';
import { fixtureKeyPairs } from '../../helpers/keys.js';

// The key ring signs with its own compact-JWS writer over node:crypto (faster than WebCrypto on a busy core).
// jose is the reference: for the deterministic algorithms (RS256 is PKCS#1 v1.5, EdDSA is Ed25519) the same
// header, claims and key must give the same bytes; ES256 signatures are randomised, so jose verifies them.
const claims = { iss: 'https://issuer.example', sub: 'usr_1', aud: 'api', iat: 1_700_000_000, exp: 1_700_000_600, jti: 'j-1', scope: 'a b', name: 'Zoë 김' };
const now = new Date(1_700_000_000_000);

async function ringFor(alg: SigningAlg) {
  const ring = createKeyRing(await sqliteMemoryStore(), testConfig({ SIGNING_ALG: alg }), { keyPairs: fixtureKeyPairs });
  await ring.refresh(now);
  const active = ring.states(now).active!;
  const privateJwk = (await fixtureKeyPairs(alg, active.seq)).privateJwk;
  return { ring, kid: active.kid, privateKey: await importJWK(privateJwk as JWK, alg), publicKey: await importJWK(JSON.parse(active.publicJwk) as JWK, alg) };
}

describe('the key ring signs JWS as jose does', () => {
  it.each(['RS256', 'EdDSA'] as const)('%s: byte for byte the token jose writes for the same header, claims and key', async (alg) => {
    const { ring, kid, privateKey } = await ringFor(alg);
    for (const typ of ['at+jwt', 'JWT']) {
      const ours = await ring.sign(claims, now, { typ });
      const theirs = await new SignJWT(claims).setProtectedHeader({ alg, typ, kid }).sign(privateKey);
      expect(ours).toBe(theirs);
    }
  });

  it('ES256: a signature jose verifies, in the raw r||s form (64 bytes), with the header the ring sets', async () => {
    const { ring, kid, publicKey } = await ringFor('ES256');
    const token = await ring.sign(claims, now);
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { currentDate: now, typ: 'at+jwt' });
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'at+jwt', kid });
    expect(payload).toEqual(claims);
    expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(64);
  });

  it('PS256: an RSASSA-PSS signature jose verifies, with the header the ring sets', async () => {
    const { ring, kid, publicKey } = await ringFor('PS256');
    const token = await ring.sign(claims, now);
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { currentDate: now, typ: 'at+jwt', algorithms: ['PS256'] });
    expect(protectedHeader).toEqual({ alg: 'PS256', typ: 'at+jwt', kid });
    expect(payload).toEqual(claims);
    // PSS is randomised (a fresh salt each time), unlike PKCS#1 v1.5.
    expect(await ring.sign(claims, now)).not.toBe(token);
  });
});
