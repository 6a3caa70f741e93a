import { classifyPresentedToken } from '../domain/refresh.js';
import { formatScope, parseScope } from '../domain/scope.js';
import type { Client, Family, RefreshToken } from '../domain/types.js';
import { InvalidGrant } from '../errors/oauth.js';
import { epochSeconds } from '../lib/clock.js';
import { sha256 } from '../lib/hash.js';
import { deriveKey, seal, unseal } from '../lib/seal.js';
import { grantScope, issueAccessToken, type TokenResponse } from './access-token.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { mintRefreshToken, revokeFamily } from './families.js';

// The successor is kept sealed under a key only the presented token's holder can derive.
const successorKey = (presented: string) => deriveKey(presented, 'tessera refresh successor v1');
const successorContext = (token: RefreshToken) => `successor of ${token.id}`;

export type RefreshResult = { response: TokenResponse & { refresh_token: string }; family: Family };

/** Finds the family a presented refresh token belongs to, or null for an unknown token. */
export async function findTokenFamily(deps: Deps, presented: string): Promise<{ token: RefreshToken; family: Family } | null> {
  const token = await deps.store.findRefreshTokenByHash(sha256(presented));
  const family = token && (await deps.store.findFamily(token.familyId));
  return token && family ? { token, family } : null;
}

/**
 * Exchanges a refresh token (contract section 4): rotates it once; within the grace window a
 * retry gets the same successor; any other second use revokes the family.
 */
export async function rotate(
  deps: Deps,
  actor: Actor,
  input: { presented: string; client: Client; scope?: string },
): Promise<RefreshResult> {
  const found = await findTokenFamily(deps, input.presented);
  if (!found || found.family.clientId !== input.client.id) throw new InvalidGrant('refresh token is invalid');
  let { family } = found;
  // Checked before anything changes: a bad scope must not consume the token.
  const scope = formatScope(grantScope(input.scope, parseScope(family.scope)));
  const user = await deps.store.findUserById(family.userId);
  if (!user || user.disabledAt !== null) throw new InvalidGrant('refresh token is invalid');

  let token = found.token;
  for (;;) {
    const now = epochSeconds(deps.clock.now());
    const successor = token.successorId ? await deps.store.findRefreshToken(token.successorId) : null;
    const state = classifyPresentedToken({ token, family, successor, now, grace: deps.config.refreshReuseGrace });

    switch (state.kind) {
      case 'revoked':
        throw new InvalidGrant('refresh token has been revoked');
      case 'expired':
        throw new InvalidGrant('refresh token has expired');
      case 'reuse':
        await revokeFamily(deps, actor, family, 'reuse_detected');
        await recordAudit(deps, actor, {
          type: 'refresh.reuse_detected',
          userId: family.userId,
          clientId: family.clientId,
          familyId: family.id,
          details: { token_id: token.id },
        });
        throw new InvalidGrant('refresh token was already used; the session has been revoked');
      case 'retry': {
        const secret = unseal(successorKey(input.presented), token.successorSealed ?? '', successorContext(token));
        if (secret === null) throw new InvalidGrant('refresh token is invalid');
        return { response: await respond(deps, family, scope, secret, now), family };
      }
      case 'unused': {
        const next = mintRefreshToken(deps, family, now);
        const rotated = await deps.store.rotateRefreshToken({
          tokenId: token.id,
          usedAt: now,
          successor: next.record,
          successorSealed: seal(successorKey(input.presented), next.secret, successorContext(token)),
        });
        if (!rotated) {
          // A concurrent exchange won; decide again on what it wrote.
          token = (await deps.store.findRefreshToken(token.id)) ?? token;
          family = (await deps.store.findFamily(family.id)) ?? family;
          continue;
        }
        return { response: await respond(deps, family, scope, next.secret, now), family };
      }
    }
  }
}

async function respond(deps: Deps, family: Family, scope: string, refreshToken: string, now: number) {
  await deps.store.touchFamily(family.id, now);
  const { accessToken, expiresIn } = await issueAccessToken(deps, {
    subject: family.userId,
    clientId: family.clientId,
    scope,
    audience: family.audience,
    sid: family.id,
  });
  return { access_token: accessToken, token_type: 'Bearer' as const, expires_in: expiresIn, refresh_token: refreshToken, scope };
}
