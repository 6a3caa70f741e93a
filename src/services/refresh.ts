import { classifyPresentedToken, type PresentedTokenState } from '../domain/refresh.js';
import { formatScope, parseScope } from '../domain/scope.js';
import { isPublicClient, type Client, type Family, type RefreshToken } from '../domain/types.js';
import { InvalidClient, InvalidGrant } from '../errors/oauth.js';
import { sha256 } from '../lib/hash.js';
import { deriveKey, seal, unseal } from '../lib/seal.js';
import { grantScope, issueAccessToken, type TokenResponse } from './access-token.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { mintRefreshToken, revokeFamily } from './families.js';
import { issueIdToken } from './id-token.js';

// The successor is kept sealed under a key only the presented token's holder can derive.
const successorKey = (presented: string) => deriveKey(presented, 'tessera refresh successor v1');
const successorContext = (token: RefreshToken) => `successor of ${token.id}`;

export type TokenFamily = { token: RefreshToken; family: Family; userActive: boolean };

export type RefreshResult = { response: TokenResponse & { refresh_token: string }; family: Family };

const invalid = () => new InvalidGrant('refresh token is invalid');

/** Finds the family a presented refresh token belongs to, or null for an unknown token. */
export async function findTokenFamily(deps: Deps, presented: string): Promise<TokenFamily | null> {
  return deps.store.findRefreshTokenWithFamily(sha256(presented));
}

/** What a presented refresh token would mean if exchanged now; reads only. */
export async function presentedTokenState(deps: Deps, token: RefreshToken, family: Family): Promise<PresentedTokenState> {
  const successor = token.successorId ? await deps.store.findRefreshToken(token.successorId) : null;
  return classifyPresentedToken({ token, family, successor, now: deps.clock.now().getTime(), grace: deps.config.refreshReuseGrace * 1000 });
}

/**
 * The client a /refresh request without client credentials speaks for: the token's own client,
 * which must be public (a confidential client always authenticates). `found`: the presented token's findTokenFamily.
 */
export async function clientOfToken(deps: Deps, found: TokenFamily | null): Promise<Client> {
  const client = found && (await deps.store.findClient(found.family.clientId));
  if (!client) throw invalid();
  if (!isPublicClient(client)) throw new InvalidClient('this client must authenticate with its secret');
  return client;
}

/**
 * Exchanges a refresh token (README, "Refresh tokens, for client authors"): rotates it once; within the grace window a
 * retry gets the same successor; any other second use revokes the family. `found`: the presented token's
 * findTokenFamily when the caller read it already.
 */
export async function rotate(
  deps: Deps,
  actor: Actor,
  input: { presented: string; client: Client; scope?: string; found?: TokenFamily | null },
): Promise<RefreshResult> {
  const found = input.found !== undefined ? input.found : await findTokenFamily(deps, input.presented);
  // Another client's token is refused without touching it: presenting it is not a use.
  if (!found || found.family.clientId !== input.client.id) throw invalid();
  let { family, token } = found;
  // Checked before anything changes: a bad scope must not consume the token.
  const scope = formatScope(grantScope(input.scope, parseScope(family.scope)));
  if (!found.userActive) throw invalid();

  for (;;) {
    const now = deps.clock.now().getTime();
    switch ((await presentedTokenState(deps, token, family)).kind) {
      case 'revoked':
        throw new InvalidGrant('refresh token has been revoked');
      case 'expired':
        throw new InvalidGrant('refresh token has expired');
      case 'reuse':
        await revokeFamily(deps, actor, family, 'reuse_detected');
        // A used refresh token came back: it was copied, so the session is revoked. Operators watch for these.
        deps.log.warn(
          { family_id: family.id, user_id: family.userId, client_id: family.clientId, ip: actor.ip ?? null },
          'refresh token reuse detected; session revoked',
        );
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
        if (secret === null) throw invalid();
        await deps.store.touchFamily(family.id, now);
        return { response: await respond(deps, family, scope, secret), family };
      }
      case 'unused': {
        const next = mintRefreshToken(deps, family, now);
        const rotated = await deps.store.rotateRefreshToken({
          tokenId: token.id,
          usedAt: now,
          successor: next.record,
          successorSealed: seal(successorKey(input.presented), next.secret, successorContext(token)),
        });
        if (rotated) return { response: await respond(deps, family, scope, next.secret), family };
        // A concurrent exchange won; decide again on what it wrote (it is used now, so this loops at most once more).
        const [again, againFamily] = [await deps.store.findRefreshToken(token.id), await deps.store.findFamily(family.id)];
        if (!again || !againFamily || again.usedAt === null) throw invalid();
        [token, family] = [again, againFamily];
      }
    }
  }
}

/** The answer to an exchange; a session signed in with `openid` gets a fresh id_token too (OpenID Connect Core §12.2). */
async function respond(deps: Deps, family: Family, scope: string, refreshToken: string) {
  const { accessToken, expiresIn } = await issueAccessToken(deps, {
    subject: family.userId,
    clientId: family.clientId,
    scope,
    audience: family.audience,
    sid: family.id,
  });
  const scopes = parseScope(scope);
  const user = scopes.includes('openid') ? await deps.store.findUserById(family.userId) : null;
  const idToken =
    user && (await issueIdToken(deps, { user, scopes, clientId: family.clientId, nonce: null, authTime: family.authTime, sid: family.id, accessToken }));
  return {
    access_token: accessToken,
    token_type: 'Bearer' as const,
    expires_in: expiresIn,
    refresh_token: refreshToken,
    scope,
    ...(idToken ? { id_token: idToken } : {}),
  };
}
