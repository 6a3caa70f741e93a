// The checks of a DPoP proof (RFC 9449 §4.3) whose signature jose has verified with its embedded key: pure decisions.

/** The proof algorithms accepted (metadata `dpop_signing_alg_values_supported`, the DPoP challenge's `algs`). */
export const dpopAlgorithms = ['ES256', 'EdDSA', 'PS256', 'RS256'] as const;

/** How far a proof's `iat` may lie from the server's clock, either way (RFC 9449 §11.1). */
export const dpopIatWindowSeconds = 60;

/** Longest `jti` accepted; RFC 9449 §4.2 asks for at least 96 bits of randomness, a few dozen characters. */
const maxJtiLength = 256;

/** JWK members of private or symmetric keys (RFC 7518 §6): a proof's `jwk` must carry none (RFC 9449 §4.3 item 7). */
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export const hasPrivateMembers = (jwk: Record<string, unknown>): boolean => privateMembers.some((m) => m in jwk);

/**
 * RFC 9449 §4.3 item 9: `htu` compared without its query and fragment, after the syntax-based normalisation of
 * RFC 3986 §6.2.2 (case of scheme and host, default port, dot segments), which WHATWG URL parsing performs.
 */
export function normalizeHtu(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.search = '';
  url.hash = '';
  return url.href;
}

/** The claims of a proof as decoded, before anything about them is known. */
export type ProofClaims = Record<string, unknown>;

/** What the request says the proof must match; `now` in epoch seconds, `ath` when an access token comes with it. */
export type ProofExpectations = { method: string; url: string; now: number; ath?: string };

/** What is wrong with a verified proof's claims for this request, or null when nothing is (the nonce and jti replay aside). */
export function proofClaimsProblem(claims: ProofClaims, expected: ProofExpectations): string | null {
  const { jti, htm, htu, iat, ath } = claims;
  if (typeof jti !== 'string' || jti === '' || jti.length > maxJtiLength) return `the proof needs a jti of 1 to ${maxJtiLength} characters`;
  if (typeof htm !== 'string') return 'the proof needs an htm claim';
  if (htm !== expected.method) return `the proof's htm does not match the request's method ${expected.method}`;
  if (typeof htu !== 'string') return 'the proof needs an htu claim';
  if (normalizeHtu(htu) === null || normalizeHtu(htu) !== normalizeHtu(expected.url)) return "the proof's htu does not match the request's URL";
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'the proof needs a numeric iat claim';
  if (Math.abs(iat - expected.now) > dpopIatWindowSeconds) return `the proof's iat is more than ${dpopIatWindowSeconds} seconds from the server's time`;
  if (expected.ath !== undefined) {
    if (typeof ath !== 'string') return 'the proof needs an ath claim: the hash of the access token it comes with';
    if (ath !== expected.ath) return "the proof's ath does not match the access token";
  }
  return null;
}
