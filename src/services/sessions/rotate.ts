import type { ApisStore, SessionsStore, UsersStore } from '../../store/types.js';
import { classifyPresentedToken, type PresentedTokenState } from '../../domain/refresh.js';
import { familyGrants } from '../../domain/apis.js';
import { formatScope, parseScope } from '../../domain/scope.js';
import { InvalidTarget } from '../../errors/oauth.js';
import { resourceNamed, resourcesOf, tokenTtl } from '../resources.js';
import type { Client, Family, RefreshToken } from '../../domain/types.js';
import { sha256 } from '../../lib/hash.js';
import { deriveKey, seal, unseal } from '../../lib/seal.js';
import { grantScope, issueAccessToken, tokenResponse, type TokenResponse } from './access-token.js';
import type { Actor, Uses } from '../deps.js';
import { mintRefreshToken, revokeFamily } from './families.js';
import { issueIdToken } from '../id-token.js';

// The successor is kept sealed under a key only the presented token's holder can derive.
const successorKey = (presented: string) => deriveKey(presented, 'tessera refresh successor v1');
const successorContext = (token: RefreshToken) => `successor of ${token.id}`;

export type TokenFamily = { token: RefreshToken; family: Family; userActive: boolean };

/** A refresh token as presented (`secret`), with what the store holds for it: null when it is not one of ours. */
export type PresentedRefreshToken = { secret: string; found: TokenFamily | null };

/**
 * What an exchange came to: the rotated answer, or why the token is refused (`reused`: a used token came
 * back, and its family is now revoked). Each grant says so in its own words.
 */
export type RotateOutcome =
  | { kind: 'rotated'; response: TokenResponse; family: Family }
  | { kind: 'refused'; reason: 'invalid' | 'revoked' | 'expired' | 'reused' }
  /** The family is bound to a DPoP key (RFC 9449 §5) and the request brought no proof by it; nothing changed. */
  | { kind: 'unproven' };

/** Finds the family a presented refresh token belongs to, or null for an unknown token. */
export async function findTokenFamily(deps: Uses<never, SessionsStore>, presented: string): Promise<TokenFamily | null> {
  return deps.store.findRefreshTokenWithFamily(sha256(presented));
}

/** Reads a presented refresh token once, for everything that follows (its client, the exchange). */
export async function readRefreshToken(deps: Uses<never, SessionsStore>, secret: string): Promise<PresentedRefreshToken> {
  return { secret, found: await findTokenFamily(deps, secret) };
}

/** What a presented refresh token would mean if exchanged now; reads only. */
export async function presentedTokenState(deps: Uses<'clock' | 'config', SessionsStore>, token: RefreshToken, family: Family): Promise<PresentedTokenState> {
  const successor = token.successorId ? await deps.store.findRefreshToken(token.successorId) : null;
  return classifyPresentedToken({ token, family, successor, now: deps.clock.now().getTime(), grace: deps.config.refreshReuseGrace * 1000 });
}

/**
 * Exchanges a refresh token (README, "Refresh tokens, for client authors"): rotates it once; within the grace window a
 * retry gets the same successor; any other second use revokes the family.
 */
export async function rotate(
  deps: Uses<'clock' | 'config' | 'events' | 'ids' | 'keys' | 'log', ApisStore & SessionsStore & UsersStore>,
  actor: Actor,
  input: { presented: PresentedRefreshToken; client: Client; scope?: string; resource?: string; dpopJkt?: string | null },
): Promise<RotateOutcome> {
  const { secret, found } = input.presented;
  const refused = (reason: 'invalid' | 'revoked' | 'expired' | 'reused') => ({ kind: 'refused', reason }) as const;
  // Another client's token is refused without touching it: presenting it is not a use.
  if (!found || found.family.clientId !== input.client.id) return refused('invalid');
  let { family, token } = found;
  const jkt = input.dpopJkt ?? null;
  // Checked before anything changes: a thief holding the token but not the key must not even consume it.
  if (family.dpopJkt !== null && family.dpopJkt !== jkt) return { kind: 'unproven' };
  // Checked before anything changes: a bad scope or resource must not consume the token.
  const target = await refreshTarget(deps, input.client, family, input.resource);
  const scope = formatScope(grantScope(input.scope, target.allowed));
  if (!found.userActive) return refused('invalid');

  for (;;) {
    const now = deps.clock.now().getTime();
    switch ((await presentedTokenState(deps, token, family)).kind) {
      case 'revoked':
        return refused('revoked');
      case 'expired':
        return refused('expired');
      case 'reuse':
        await revokeFamily(deps, actor, family, 'reuse_detected', [
          { type: 'refresh.reuse_detected', userId: family.userId, clientId: family.clientId, familyId: family.id, details: { token_id: token.id } },
        ]);
        // A used refresh token came back: it was copied, so the session is revoked. Operators watch for these.
        deps.log.warn(
          { family_id: family.id, user_id: family.userId, client_id: family.clientId, ip: actor.ip ?? null },
          'refresh token reuse detected; session revoked',
        );
        return refused('reused');
      case 'retry': {
        const successor = unseal(successorKey(secret), token.successorSealed ?? '', successorContext(token));
        if (successor === null) return refused('invalid');
        await deps.store.touchFamily(family.id, now);
        return { kind: 'rotated', response: await respond(deps, family, target, scope, successor, jkt), family };
      }
      case 'unused': {
        const next = mintRefreshToken(deps, family, now);
        const rotated = await deps.store.rotateRefreshToken({
          tokenId: token.id,
          usedAt: now,
          successor: next.record,
          successorSealed: seal(successorKey(secret), next.secret, successorContext(token)),
        });
        if (rotated) return { kind: 'rotated', response: await respond(deps, family, target, scope, next.secret, jkt), family };
        // A concurrent exchange won; decide again on what it wrote (it is used now, so this loops at most once more).
        const [again, againFamily] = [await deps.store.findRefreshToken(token.id), await deps.store.findFamily(family.id)];
        if (!again || !againFamily || again.usedAt === null) return refused('invalid');
        [token, family] = [again, againFamily];
      }
    }
  }
}

type RefreshTarget = { audience: string; allowed: string[]; ttl: number; loginHadOpenid: boolean };

/**
 * Which resource the new access token is for: `resource` when given (any granted at the login, RFC 8707 §2.2,
 * and still the client's), else the login's first one, which keeps working as before APIs.
 */
async function refreshTarget(deps: Uses<'config', ApisStore>, client: Client, family: Family, resource: string | undefined): Promise<RefreshTarget> {
  const grants = familyGrants(family);
  const audience = resource ?? family.audience;
  const allowed = grants[audience];
  if (allowed === undefined) throw new InvalidTarget('resource was not granted at this login');
  const current = resourceNamed(await resourcesOf(deps, client), audience);
  if (!current && resource !== undefined) throw new InvalidTarget('resource is no longer allowed for this client');
  return { audience, allowed, ttl: tokenTtl(deps, current), loginHadOpenid: Object.values(grants).some((s) => s.includes('openid')) };
}

/** The answer to an exchange; a session signed in with `openid` gets a fresh id_token too (OpenID Connect Core §12.2). */
async function respond(
  deps: Uses<'clock' | 'config' | 'ids' | 'keys', UsersStore>,
  family: Family,
  target: RefreshTarget,
  scope: string,
  refreshToken: string,
  jkt: string | null,
) {
  const { accessToken, expiresIn } = await issueAccessToken(deps, {
    jkt,
    subject: family.userId,
    clientId: family.clientId,
    scope,
    audience: target.audience,
    sid: family.id,
    ttl: target.ttl,
    login: family,
  });
  const scopes = parseScope(scope);
  // An access token for an API carries only its scopes; the login's `openid` still earns the id_token.
  const wantsIdToken = scopes.includes('openid') || (!target.allowed.includes('openid') && target.loginHadOpenid);
  const user = wantsIdToken ? await deps.store.findUserById(family.userId) : null;
  const idToken = user
    ? await issueIdToken(deps, {
        user,
        scopes,
        clientId: family.clientId,
        nonce: null,
        authTime: family.authTime,
        amr: family.amr,
        sid: family.id,
        accessToken,
      })
    : undefined;
  return tokenResponse({ accessToken, expiresIn, scope, refreshToken, idToken, jkt });
}
