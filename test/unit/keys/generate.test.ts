import { describe, expect, it } from 'vitest';
import { openPrivateJwk } from '../../../src/keys/encryption.js';
import { freshKeyPair, generateSigningKey, type KeyPairSource } from '../../../src/keys/generate.js';

const kek = new Uint8Array(32).fill(7);
const plan = { seq: 1, activatesAt: 100, createdAt: 100 };

describe('generateSigningKey', () => {
  it('seals the private key, bound to its kid, when a key-encryption key is given', async () => {
    const key = await generateSigningKey('ES256', plan, kek);
    expect(key.privateJwk).toMatch(/^v1\./);
    const jwk = JSON.parse(openPrivateJwk(key, kek));
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: key.kid, alg: 'ES256', d: expect.any(String) });
    expect(key.privateJwk).not.toContain(jwk.d);

    const other = await generateSigningKey('ES256', plan, kek);
    expect(() => openPrivateJwk({ ...other, privateJwk: key.privateJwk }, kek)).toThrow(expect.objectContaining({ code: 'key_encryption_key_wrong' }));
  });

  it('keeps the private key in clear without one, and publishes only the public half', async () => {
    const key = await generateSigningKey('EdDSA', plan, null);
    expect(JSON.parse(openPrivateJwk(key, null))).toMatchObject({ kty: 'OKP', crv: 'Ed25519', d: expect.any(String) });
    expect(JSON.parse(key.publicJwk)).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: key.kid, alg: 'EdDSA', use: 'sig' });
  });

  it('takes the key material from the given source, asking for the planned seq', async () => {
    const pair = await freshKeyPair('EdDSA', 1);
    const asked: [string, number][] = [];
    const source: KeyPairSource = async (alg, seq) => {
      asked.push([alg, seq]);
      return pair;
    };
    const key = await generateSigningKey('EdDSA', { ...plan, seq: 4 }, null, source);
    expect(asked).toEqual([['EdDSA', 4]]);
    expect(JSON.parse(key.publicJwk)).toMatchObject({ x: pair.publicJwk.x });
    expect(JSON.parse(openPrivateJwk(key, null))).toMatchObject({ d: pair.privateJwk.d, kid: key.kid });
  });
});
