import type { ClientsStore, RevocationFeedStore, SessionsStore, UsersStore } from '../store/types.js';
import type { Client, Family } from '../domain/types.js';
import type { Actor, Uses } from './deps.js';
import { revokeFamily } from './sessions/families.js';
import { findTokenFamily } from './sessions/rotate.js';
import { checkAccessToken, isLive, looksLikeJwt, type LiveToken } from './sessions/check.js';

/** What a presented token can end: its family, or, for an access token without one (client_credentials), itself. */
type Target = { family: Family } | { token: LiveToken };

/**
 * RFC 7009: a refresh token of `client` revokes its family; so does an access token of `client`
 * that carries a `sid`. An access token of `client` without a `sid` is revoked itself: it goes on
 * the revocation feed by its `jti` until it expires. Anything else (unknown, expired, another
 * client's) changes nothing, and the caller answers 200 all the same (§2.2), so nothing here tells
 * the cases apart.
 */
export async function revokeToken(
  deps: Uses<'clock' | 'events' | 'ids' | 'keys', ClientsStore & RevocationFeedStore & SessionsStore & UsersStore>,
  actor: Actor,
  input: { token: string; client: Client; hint?: string },
): Promise<void> {
  // The hint orders the look-ups only (§2.1): an access token is tried first when it says so.
  const lookups = input.hint === 'access_token' ? [accessTokenTarget, refreshTokenTarget] : [refreshTokenTarget, accessTokenTarget];
  for (const lookup of lookups) {
    const target = await lookup(deps, input.token);
    if (!target) continue;
    if ('family' in target) {
      if (target.family.clientId === input.client.id) await revokeFamily(deps, actor, target.family, 'logout');
    } else if (target.token.client.id === input.client.id) {
      await revokeAccessToken(deps, target.token);
    }
    return;
  }
}

/**
 * Logout in cookie mode: the refresh cookie names the family. When the request also named a
 * client, the family must be that client's. Unknown cookies change nothing.
 */
export async function revokeCookieFamily(
  deps: Uses<'clock' | 'events' | 'ids', ClientsStore & SessionsStore>,
  actor: Actor,
  input: { presented: string; client: Client | null },
): Promise<void> {
  const family = await refreshTokenFamily(deps, input.presented);
  if (!family || (input.client !== null && family.clientId !== input.client.id)) return;
  const owner = await deps.store.findClient(family.clientId);
  // Without client credentials it is the user, holding the cookie, who logs out.
  const who = input.client ? actor : { ...actor, name: `user:${family.userId}` };
  if (owner?.refreshCookie) await revokeFamily(deps, who, family, 'logout');
}

async function refreshTokenFamily(deps: Uses<never, SessionsStore>, token: string): Promise<Family | null> {
  return looksLikeJwt(token) ? null : ((await findTokenFamily(deps, token))?.family ?? null);
}

async function refreshTokenTarget(deps: Uses<never, SessionsStore>, token: string): Promise<Target | null> {
  const family = await refreshTokenFamily(deps, token);
  return family ? { family } : null;
}

async function accessTokenTarget(
  deps: Uses<'clock' | 'keys', ClientsStore & RevocationFeedStore & SessionsStore & UsersStore>,
  token: string,
): Promise<Target | null> {
  if (!looksLikeJwt(token)) return null;
  // A token that is not good now (bad signature, expired, its session or client already ended) has nothing left to revoke.
  const verdict = await checkAccessToken(deps, token);
  if (!isLive(verdict)) return null;
  return verdict.family ? { family: verdict.family } : { token: verdict };
}

async function revokeAccessToken(deps: Uses<'clock', RevocationFeedStore>, { claims, client }: LiveToken): Promise<void> {
  // Every access token Tessera signs has a jti and an exp; one without either is not ours to record.
  if (typeof claims.jti !== 'string' || typeof claims.exp !== 'number') return;
  await deps.store.revokeAccessToken({ jti: claims.jti, clientId: client.id, revokedAt: deps.clock.now().getTime(), expiresAt: claims.exp * 1000 });
}
