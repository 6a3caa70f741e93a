import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { assertionAlgs } from '../domain/client-keys.js';
import type { Client } from '../domain/types.js';
import { InvalidClient } from '../errors/oauth.js';
import { epochSeconds } from '../lib/clock.js';
import { ClientKeysUnavailable, clientKeyResolver } from './client-jwks.js';
import type { PushedRequestsStore } from '../store/types.js';
import type { Uses } from './deps.js';

// private_key_jwt (RFC 7523 §2.2 and §3, OpenID Connect Core §9): the client proves itself with a JWT it signed.

export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The longest an assertion may live from now: long enough for clock skew and a slow network, short enough to matter. */
export const maxAssertionLifetimeSeconds = 300;
const clockToleranceSeconds = 5;
const maxAssertionLength = 16_384;

const refuse = (description: string) => new InvalidClient(description);

/** The client an assertion names (its `sub`, RFC 7523 §3), read before its signature is checked to find the keys; null when unreadable. */
export function assertionClientId(assertion: string): string | null {
  if (assertion.length > maxAssertionLength) return null;
  try {
    const { sub } = decodeJwt(assertion);
    return typeof sub === 'string' && sub !== '' ? sub : null;
  } catch {
    return null;
  }
}

/**
 * Checks the assertion against the client's keys: an asymmetric algorithm, `iss` = `sub` = the client, `aud` the
 * issuer (or the token endpoint, or the endpoint called), an `exp` within a few minutes, and a `jti` never used
 * before by this client. Throws invalid_client otherwise.
 */
export async function verifyClientAssertion(
  deps: Uses<'clock' | 'config' | 'log', PushedRequestsStore>,
  client: Client,
  assertion: string,
  endpoint: string,
): Promise<void> {
  const { issuer } = deps.config;
  const now = deps.clock.now();
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(assertion).alg;
  } catch {
    throw refuse('the client assertion is not a JWT');
  }
  if (!(assertionAlgs as readonly unknown[]).includes(alg)) throw refuse(`the client assertion must be signed with one of ${assertionAlgs.join(', ')}`);

  let keys: Awaited<ReturnType<typeof clientKeyResolver>>;
  try {
    keys = await clientKeyResolver(deps, client);
  } catch (error) {
    if (error instanceof ClientKeysUnavailable) throw refuse("the client's keys could not be fetched from its jwks_uri");
    throw error;
  }
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      issuer: client.id,
      subject: client.id,
      audience: [issuer, `${issuer}/token`, endpoint],
      algorithms: [...assertionAlgs],
      currentDate: now,
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['exp', 'jti'],
    }));
  } catch (error) {
    if (error instanceof ClientKeysUnavailable) throw refuse("the client's keys could not be fetched from its jwks_uri");
    throw refuse(`the client assertion was refused: ${describe(error)}`);
  }
  const exp = payload.exp!;
  if (exp - epochSeconds(now) > maxAssertionLifetimeSeconds) throw refuse(`the client assertion must expire within ${maxAssertionLifetimeSeconds} seconds`);
  const jti = payload.jti!;
  if (typeof jti !== 'string' || jti === '' || jti.length > 256) throw refuse('the client assertion needs a jti of at most 256 characters');
  // Kept until the assertion expires (plus the tolerance): after that it is refused by its exp anyway.
  const fresh = await deps.store.useClientAssertionJti(client.id, jti, (exp + clockToleranceSeconds) * 1000);
  if (!fresh) throw refuse('the client assertion was used already (jti)');
}

/** What went wrong, in words that name the claim and never echo the token. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const claim = (error as { claim?: unknown }).claim;
  if (code === 'ERR_JWT_EXPIRED') return 'it has expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && typeof claim === 'string') return `its ${claim} claim is not valid here`;
  if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return "it is not signed by one of the client's keys";
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return 'its algorithm is not allowed';
  return 'it is not a valid signed JWT';
}
