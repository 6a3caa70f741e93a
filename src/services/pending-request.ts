import { createLocalJWKSet, jwtVerify } from 'jose';
import { signingAlgs } from '../config/schema.js';
import type { AuthorizationRequest } from '../domain/authorize.js';
import { epochSeconds } from '../lib/clock.js';
import type { Uses } from './deps.js';

// While the user signs in or decides on consent, the validated authorization request rides in the
// page's form, signed with Tessera's active key so that the form cannot alter it. It is checked
// again against the client on the way back (the client may have changed meanwhile).

const typ = 'tessera-authz+jwt';
/** How long a login or consent page stays usable. */
export const pendingRequestTtl = 900;

/** `userId`: the user the consent page was shown to, so only that user's session can answer it. */
export type PendingRequest = { request: AuthorizationRequest; userId: string | null };

export async function sealPendingRequest(deps: Uses<'clock' | 'config' | 'keys'>, pending: PendingRequest): Promise<string> {
  const now = deps.clock.now();
  const iat = epochSeconds(now);
  return deps.keys.sign({ iss: deps.config.issuer, aud: `${deps.config.issuer}/authorize`, iat, exp: iat + pendingRequestTtl, ...pending }, now, { typ });
}

/** The request a form carried, or null when it is missing, altered, expired or not ours. */
export async function openPendingRequest(deps: Uses<'clock' | 'config' | 'keys'>, sealed: string | undefined): Promise<PendingRequest | null> {
  if (!sealed || sealed.length > 16_384) return null;
  const now = deps.clock.now();
  try {
    const { payload } = await jwtVerify(sealed, createLocalJWKSet(deps.keys.jwks(now)), {
      issuer: deps.config.issuer,
      audience: `${deps.config.issuer}/authorize`,
      typ,
      algorithms: [...signingAlgs],
      currentDate: now,
    });
    const { request, userId } = payload as unknown as PendingRequest;
    if (typeof request !== 'object' || request === null || (userId !== null && typeof userId !== 'string')) return null;
    return { request, userId };
  } catch {
    return null;
  }
}
