import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';

// DPoP proofs (RFC 9449 §4) for the load generator: made synchronously with node:crypto, so that signing one costs the
// generator a few tens of microseconds and never a round trip through the thread pool (jose's SignJWT would).

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** A client's ES256 DPoP key: its public JWK, its RFC 7638 thumbprint (what a bound family stores) and its proofs. */
export type ProofSigner = {
  jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
  jkt: string;
  /** A proof for a request `htm` `htu` (without query) at `iat` (epoch seconds); `jti` must be new for each proof. */
  proof(htm: string, htu: string, iat: number, jti?: string): string;
};

/** A fresh P-256 key (given `privateKey`, that one) and its proof signer. */
export function proofSigner(privateKey: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey): ProofSigner {
  const { kty, crv, x, y } = privateKey.export({ format: 'jwk' });
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y) throw new Error('a DPoP proof signer needs a P-256 key');
  const jwk = { kty, crv, x, y } as const;
  // RFC 7638 §3.2: the required members of an EC key, in lexicographic order, no white space.
  const jkt = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  // The protected header is the same in every proof (RFC 9449 §4.2: typ, alg and the public key).
  const header = base64url(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk }));
  return {
    jwk,
    jkt,
    proof(htm, htu, iat, jti = randomUUID()) {
      const input = `${header}.${base64url(JSON.stringify({ jti, htm, htu, iat }))}`;
      // JWS ES256 (RFC 7518 §3.4) is the raw r || s, not DER.
      const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    },
  };
}

/**
 * What one proof costs this process, measured alone: proofs signed back to back for `seconds` (at least 200), with a
 * new jti and the current iat each, as the load makes them. Returns microseconds of CPU time per proof (the
 * process's, which holds still when other work shares the core, unlike the wall clock).
 */
export function proofCostMicros(seconds: number, htu = 'http://127.0.0.1/token'): number {
  const signer = proofSigner();
  const before = process.cpuUsage();
  const until = performance.now() + seconds * 1000;
  let n = 0;
  while (n < 200 || performance.now() < until) {
    signer.proof('POST', htu, Math.floor(Date.now() / 1000));
    n++;
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}
