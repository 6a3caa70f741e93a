import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export type ProofOptions = {
  htm?: string;
  htu?: string;
  /** Epoch seconds. */
  iat?: number;
  jti?: string;
  /** The access token the proof comes with: its hash becomes `ath`. */
  accessToken?: string;
  nonce?: string;
  /** Replaces or adds protected header members (typ, jwk). */
  header?: Record<string, unknown>;
  /** Replaces or adds claims (undefined leaves one out). */
  claims?: Record<string, unknown>;
};

/** A client's DPoP key (RFC 9449 §4): its public JWK, thumbprint, and proofs signed with it. */
export async function dpopKey(alg: 'ES256' | 'EdDSA' | 'PS256' | 'RS256' = 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = await exportJWK(publicKey);
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  return {
    jwk,
    jkt,
    privateKey,
    /** A proof for `htm` `htu` at `iat` (set it from the server's clock). */
    async proof(options: ProofOptions & { htm: string; htu: string; iat: number }): Promise<string> {
      const claims: Record<string, unknown> = {
        jti: options.jti ?? randomUUID(),
        htm: options.htm,
        htu: options.htu,
        iat: options.iat,
        ...(options.accessToken ? { ath: createHash('sha256').update(options.accessToken).digest('base64url') } : {}),
        ...(options.nonce ? { nonce: options.nonce } : {}),
        ...options.claims,
      };
      for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
      return new SignJWT(claims).setProtectedHeader({ alg, typ: 'dpop+jwt', jwk, ...options.header }).sign(privateKey);
    },
  };
}

export type DpopKey = Awaited<ReturnType<typeof dpopKey>>;
