import { calculateJwkThumbprint, EmbeddedJWK, errors, jwtVerify, type JWK } from 'jose';
import { dpopAlgorithms, dpopIatWindowSeconds, hasPrivateMembers, proofClaimsProblem } from '../domain/dpop.js';
import { InvalidDpopProof, UseDpopNonce, type DpopErrorSite } from '../errors/oauth.js';
import { epochSeconds } from '../lib/clock.js';
import { sha256 } from '../lib/hash.js';
import type { DpopProofsStore } from '../store/types.js';
import type { Uses } from './deps.js';
import { currentDpopNonce, isValidDpopNonce } from './dpop-nonce.js';

/** A request's DPoP header (undefined without one), with the method and the URL (at Tessera's issuer) it was sent to. */
export type ProofRequest = { proof: string | undefined; method: string; url: string };

/** Longest proof read: a proof with an RSA key of 4096 bits is under 2 kB. */
const maxProofLength = 8192;
const compactJws = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** RFC 9449 §4.2 `ath`: the access token's SHA-256, base64url. */
export const accessTokenHash = (accessToken: string): string => sha256(accessToken);

type ProofDeps = Uses<'config' | 'keys' | 'clock', DpopProofsStore>;

/**
 * Checks the request's DPoP proof (RFC 9449 §4.3) and returns the thumbprint of its key (RFC 7638), or null when the
 * request carries none. `accessToken`: the token the proof comes with at a protected resource (its `ath`). A bad
 * proof throws invalid_dpop_proof (use_dpop_nonce without the server's nonce), shaped for `site`; a good one is
 * recorded, so it is accepted once on every instance.
 */
export async function verifyDpopProof(deps: ProofDeps, request: ProofRequest, site: DpopErrorSite, accessToken?: string): Promise<string | null> {
  const { proof } = request;
  if (proof === undefined) return null;
  const refuse = (why: string) => new InvalidDpopProof(why, site);
  // Several DPoP headers arrive joined by commas, which a compact JWS never holds.
  if (proof.length > maxProofLength || !compactJws.test(proof)) throw refuse('the DPoP header must hold exactly one proof JWT');

  let verified: Awaited<ReturnType<typeof jwtVerify>>;
  try {
    verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: [...dpopAlgorithms], currentDate: deps.clock.now() });
  } catch (error) {
    throw refuse(`the DPoP proof is not valid: ${proofFailure(error)}`);
  }
  const { payload, protectedHeader } = verified;
  const jwk = protectedHeader.jwk as JWK;
  if (hasPrivateMembers(jwk)) throw refuse("the DPoP proof's jwk must be a public key");

  const now = epochSeconds(deps.clock.now());
  const expected = { method: request.method, url: request.url, now, ...(accessToken !== undefined ? { ath: accessTokenHash(accessToken) } : {}) };
  const problem = proofClaimsProblem(payload, expected);
  if (problem) throw refuse(problem);
  if (deps.config.dpopNonce && !(await isValidDpopNonce(deps, payload.nonce))) throw new UseDpopNonce(await currentDpopNonce(deps), site);

  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  // Kept until the iat check would refuse the proof anyway.
  const expiresAt = ((payload.iat as number) + dpopIatWindowSeconds + 1) * 1000;
  if (!(await deps.store.recordDpopProof(sha256(`${jkt} ${payload.jti as string}`), expiresAt)))
    throw refuse('the DPoP proof was used before (its jti is not new)');
  return jkt;
}

/** What jose found wrong, in its own fixed words (never the input). */
function proofFailure(error: unknown): string {
  if (error instanceof errors.JOSEAlgNotAllowed) return `its alg must be one of ${dpopAlgorithms.join(', ')}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify with its jwk';
  if (error instanceof errors.JOSEError) return error.message;
  return 'it cannot be read';
}
