import { base64url, calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import { DpopProofInvalid } from './errors.js';

/** The proof algorithms accepted, as Tessera accepts them (and names them in the DPoP challenge's `algs`). */
export const dpopAlgorithms = ['ES256', 'EdDSA', 'PS256', 'RS256'] as const;

/** What a DPoP proof must match: the request's method and URL (as the client addressed it) and the access token with it. */
export type DpopRequest = { proof: string | undefined; method: string; url: string };

export type DpopOptions = {
  /** How far a proof's `iat` may lie from this service's clock, either way; also how long a proof's jti is remembered. Default 60 s. */
  iatWindowSeconds?: number;
};

/** RFC 9449 §4.2 `ath`, with WebCrypto so the package runs wherever jose does. */
const tokenHash = async (token: string) => base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))));

const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** RFC 9449 §4.3 item 9: compared without query and fragment, after URL normalisation. */
function normalizeHtu(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    url.search = '';
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

/**
 * Checks DPoP proofs (RFC 9449 §4.3, §7.1) and remembers each one's jti until its iat window has passed, in memory:
 * the cache holds at most the proofs of one window. Several instances of a service each keep their own.
 */
export function dpopChecker(options: DpopOptions & { now: () => Date }) {
  const window = options.iatWindowSeconds ?? 60;
  if (!Number.isFinite(window) || window <= 0 || window > 600) throw new TypeError('dpop.iatWindowSeconds must be from 1 to 600');
  // Insertion order is expiry order (every entry lives `window` past its iat, near now), so pruning stops at the first live one.
  const seen = new Map<string, number>();
  const prune = (nowMs: number) => {
    for (const [key, expires] of seen) {
      if (expires > nowMs) break;
      seen.delete(key);
    }
  };

  /** The thumbprint of the proof's key, once the proof is good for this request and `accessToken`; else DpopProofInvalid. */
  async function check(request: DpopRequest, accessToken: string): Promise<string> {
    const { proof } = request;
    if (proof === undefined || proof === '') throw new DpopProofInvalid('a DPoP access token needs a DPoP proof');
    if (proof.length > 8192 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(proof)) throw new DpopProofInvalid('the DPoP header must hold exactly one proof JWT');
    const now = options.now();
    let verified: Awaited<ReturnType<typeof jwtVerify>>;
    try {
      verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: [...dpopAlgorithms], currentDate: now });
    } catch {
      throw new DpopProofInvalid('the DPoP proof is not a valid dpop+jwt signed with its jwk');
    }
    const { payload, protectedHeader } = verified;
    const jwk = protectedHeader.jwk as JWK;
    if (privateMembers.some((m) => m in jwk)) throw new DpopProofInvalid("the DPoP proof's jwk must be a public key");
    const { jti, htm, htu, iat, ath } = payload as Record<string, unknown>;
    if (typeof jti !== 'string' || jti === '' || jti.length > 256) throw new DpopProofInvalid('the proof needs a jti');
    if (htm !== request.method) throw new DpopProofInvalid("the proof's htm does not match the request's method");
    const expected = normalizeHtu(request.url);
    if (expected === null || normalizeHtu(htu) !== expected) throw new DpopProofInvalid("the proof's htu does not match the request's URL");
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (typeof iat !== 'number' || Math.abs(iat - nowSeconds) > window) throw new DpopProofInvalid("the proof's iat is outside the accepted window");
    if (ath !== (await tokenHash(accessToken))) throw new DpopProofInvalid("the proof's ath does not match the access token");

    const jkt = await calculateJwkThumbprint(jwk, 'sha256');
    prune(now.getTime());
    const key = `${jkt} ${jti}`;
    if (seen.has(key)) throw new DpopProofInvalid('the DPoP proof was used before (its jti is not new)');
    seen.set(key, (iat + window + 1) * 1000);
    return jkt;
  }

  return { check, size: () => seen.size };
}

export type DpopChecker = ReturnType<typeof dpopChecker>;
