import { createHash } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import type { User } from '../domain/types.js';
import { loginClaims } from '../domain/claims.js';
import { userClaims, type UserClaims } from '../domain/user-claims.js';
import { epochSeconds } from '../lib/clock.js';
import type { Uses } from './deps.js';

/**
 * OpenID Connect Core §2 claims of an id_token, and the claims about the user its scopes grant (§5.4),
 * so a client that reads only the id_token knows the name and address too.
 */
export type IdTokenClaims = {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  auth_time?: number;
  nonce?: string;
  sid: string;
  at_hash: string;
  amr?: string[];
  acr?: string;
} & UserClaims;

/**
 * OpenID Connect Core §3.1.3.6: the left half of the hash of the access token, with the hash of the
 * signing algorithm: SHA-256 for RS256 and ES256, SHA-512 for EdDSA (Ed25519).
 */
export function accessTokenHash(accessToken: string, alg: string): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : `sha${alg.slice(2)}`)
    .update(accessToken, 'ascii')
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * An id_token for a login through the authorization code flow, or for a refresh of one (OpenID Connect
 * Core §12.2: same `sub` and `sid`, no `nonce`), signed with the active key like the access token beside
 * it. `authTime` is null when the sign-in's time is not known (a family from before it was kept).
 */
export async function issueIdToken(
  deps: Uses<'clock' | 'config' | 'keys'>,
  input: {
    user: User;
    scopes: readonly string[];
    clientId: string;
    nonce: string | null;
    authTime: number | null;
    amr: string | null;
    sid: string;
    accessToken: string;
  },
): Promise<string> {
  const now = deps.clock.now();
  const iat = epochSeconds(now);
  const claims: IdTokenClaims = {
    iss: deps.config.issuer,
    sub: input.user.id,
    aud: input.clientId,
    exp: iat + deps.config.accessTokenTtl,
    iat,
    ...(input.authTime === null ? {} : { auth_time: Math.floor(input.authTime / 1000) }),
    ...loginClaims({ authTime: input.authTime, amr: input.amr }),
    ...(input.nonce === null ? {} : { nonce: input.nonce }),
    sid: input.sid,
    at_hash: accessTokenHash(input.accessToken, decodeProtectedHeader(input.accessToken).alg!),
    ...userClaims(input.user, input.scopes),
  };
  return deps.keys.sign(claims, now, { typ: 'JWT' });
}
