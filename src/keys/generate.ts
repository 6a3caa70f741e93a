import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SigningAlg } from '../config/schema.js';
import type { SigningKeyRecord } from '../domain/types.js';
import { sealPrivateJwk } from './encryption.js';

/** RS256 keys are 2048 bits (the contract's minimum); one algorithm per key. */
const generateOptions: Record<SigningAlg, { modulusLength?: number; crv?: string }> = {
  RS256: { modulusLength: 2048 },
  ES256: {},
  EdDSA: { crv: 'Ed25519' },
};

/** A fresh key pair as a store record; `kid` is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(
  alg: SigningAlg,
  plan: { seq: number; activatesAt: number; createdAt: number },
  keyEncryptionKey: Uint8Array | null,
): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { ...generateOptions[alg], extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const published: JWK = { ...publicJwk, kid, alg, use: 'sig' };
  const privateJson = JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg });
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
