import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SigningAlg } from '../config/schema.js';
import type { SigningKeyRecord } from '../domain/types.js';
import { sealPrivateJwk } from './encryption.js';

/** RSA keys (RS256, PS256) are 2048 bits, the least RFC 7518 §3.3 and §3.5 allow (README, "Signing keys"); one algorithm per key. */
const generateOptions: Record<SigningAlg, { modulusLength?: number; crv?: string }> = {
  RS256: { modulusLength: 2048 },
  PS256: { modulusLength: 2048 },
  ES256: {},
  EdDSA: { crv: 'Ed25519' },
};

export type KeyPairJwks = { publicJwk: JWK; privateJwk: JWK };

/**
 * Where the key material of a new signing key comes from, given its algorithm and the seq it is planned for.
 * Production generates a fresh pair each time; tests hand out committed fixture pairs (one per seq), since an
 * RSA key costs half a second.
 */
export type KeyPairSource = (alg: SigningAlg, seq: number) => Promise<KeyPairJwks>;

/** A fresh key pair, as JWKs. */
export const freshKeyPair: KeyPairSource = async (alg) => {
  const { publicKey, privateKey } = await generateKeyPair(alg, { ...generateOptions[alg], extractable: true });
  return { publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
};

/** A new key pair as a store record; `kid` is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(
  alg: SigningAlg,
  plan: { seq: number; activatesAt: number; createdAt: number },
  keyEncryptionKey: Uint8Array | null,
  keyPairs: KeyPairSource = freshKeyPair,
): Promise<SigningKeyRecord> {
  const { publicJwk, privateJwk } = await keyPairs(alg, plan.seq);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const published: JWK = { ...publicJwk, kid, alg, use: 'sig' };
  const privateJson = JSON.stringify({ ...privateJwk, kid, alg });
  return {
    kid,
    alg,
    seq: plan.seq,
    publicJwk: JSON.stringify(published),
    privateJwk: keyEncryptionKey ? sealPrivateJwk(keyEncryptionKey, kid, privateJson) : privateJson,
    createdAt: plan.createdAt,
    activatesAt: plan.activatesAt,
  };
}
