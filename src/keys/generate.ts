import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SigningAlg } from '../config/schema.js';
import type { SigningKeyRecord } from '../domain/types.js';
import { seal } from '../lib/seal.js';

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
    privateJwk: keyEncryptionKey ? seal(keyEncryptionKey, privateJson, privateKeyContext(kid)) : privateJson,
    createdAt: plan.createdAt,
    activatesAt: plan.activatesAt,
  };
}

/** Additional data binding a sealed private key to its row. */
export const privateKeyContext = (kid: string): string => `tessera signing key ${kid}`;
