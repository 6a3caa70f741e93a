import type { ClientsStore, RevocationFeedStore, SessionsStore, UsersStore } from '../../store/types.js';
import type { JWTPayload } from 'jose';
import type { Client, Family } from '../../domain/types.js';
import { claimAudiences, claimScopes } from '../../domain/claims.js';
import { InsufficientScope, InvalidToken } from '../../errors/oauth.js';
import { TokenRejected } from '../../errors/token-rejected.js';
import type { Uses } from '../deps.js';

/** One of our access tokens that is good now, with the client it was issued to and, for a login, its family. */
export type LiveToken = { claims: JWTPayload & { sub: string; client_id: string }; client: Client; family: Family | null };

/** Why it is not: `invalid` (not one of ours), `expired`, or `revoked` (its client or its session has ended, or it was revoked itself). */
export type TokenProblem = 'invalid' | 'expired' | 'revoked';

/**
 * "Is this access token still good", the one check behind every server-side use of an access token
 * (admin API, introspection, revocation, userinfo): signature, typ, issuer and expiry; its client still
 * exists and is enabled; for a token from a login (`sid`), its family is live and its user enabled; for one
 * without (client_credentials), it was not revoked itself.
 */
export async function checkAccessToken(
  deps: Uses<'clock' | 'keys', ClientsStore & RevocationFeedStore & SessionsStore & UsersStore>,
  token: string,
): Promise<LiveToken | TokenProblem> {
  let claims: JWTPayload;
  try {
    claims = await deps.keys.verify(token, deps.clock.now());
  } catch (error) {
    if (error instanceof TokenRejected) return error.reason;
    throw error;
  }
  const { sub, client_id: clientId, sid } = claims;
  if (typeof sub !== 'string' || typeof clientId !== 'string' || (sid !== undefined && typeof sid !== 'string')) return 'invalid';
  const client = await deps.store.findClient(clientId);
  if (!client || client.disabledAt !== null || !issuedToThisClient(claims.iat ?? 0, client)) return 'revoked';
  if (sid === undefined) {
    // Without a session, the token itself may have been revoked at /revoke.
    if (typeof claims.jti === 'string' && (await deps.store.isAccessTokenRevoked(claims.jti))) return 'revoked';
    return { claims: { ...claims, sub, client_id: clientId }, client, family: null };
  }
  const family = await deps.store.findFamily(sid);
  // A token exchanged by another client (RFC 8693, `act`) belongs to the same family as the login's own.
  if (!family || family.revokedAt !== null || (family.clientId !== clientId && claims.act === undefined)) return 'revoked';
  const user = await deps.store.findUserById(family.userId);
  if (!user || user.disabledAt !== null) return 'revoked';
  return { claims: { ...claims, sub, client_id: clientId }, client, family };
}

/**
 * Whether a token issued at `iat` (whole seconds) can belong to the client as it is now: not issued before
 * its last disable (the revocation feed says the same: `iat <= revoked_at` is refused), nor before it was
 * created (a client deleted and created again under the same id is another client).
 */
function issuedToThisClient(iat: number, client: Client): boolean {
  if (client.tokensRevokedAt !== null && iat <= Math.floor(client.tokensRevokedAt / 1000)) return false;
  return iat * 1000 + 999 >= client.createdAt;
}

export const isLive = (verdict: LiveToken | TokenProblem): verdict is LiveToken => typeof verdict === 'object';

/** Three base64url parts: worth verifying as a JWT (an opaque refresh token never looks like this). */
export const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * For the resources Tessera serves itself (the admin API, the account API): a good token must be meant for Tessera
 * (its audience the issuer, never a registered API's) and carry `scope`; refusals answer in the token's own scheme.
 */
export function requireOwnScope(live: LiveToken, issuer: string, scope: string, scheme: 'Bearer' | 'DPoP'): void {
  if (!claimAudiences(live.claims).includes(issuer)) throw new InvalidToken('the access token is meant for another audience', scheme);
  if (!claimScopes(live.claims).includes(scope)) throw new InsufficientScope(scope, { scheme });
}
