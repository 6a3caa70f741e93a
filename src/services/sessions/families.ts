import { refreshTokenExpiry } from '../../domain/refresh.js';
import type { Client, Family, RefreshToken, User } from '../../domain/types.js';
import { NotFound } from '../../errors/domain.js';
import type { Events } from '../../store/types.js';
import { revocationOf } from '../../domain/events.js';
import { excerpt } from '../../lib/excerpt.js';
import { sha256 } from '../../lib/hash.js';
import { recordAudit } from '../audit.js';
import type { Actor, Deps } from '../deps.js';
import { pageInput, revocationReasonInput, type PageInput } from '../inputs.js';
import { familyView } from '../views.js';

/** A new refresh token row for `family`, with its secret (which only the client will hold). */
export function mintRefreshToken(deps: Pick<Deps, 'ids' | 'config'>, family: Pick<Family, 'id' | 'expiresAt'>, now: number) {
  const secret = deps.ids.secret();
  const record: RefreshToken = {
    id: deps.ids.tokenId(),
    familyId: family.id,
    hash: sha256(secret),
    createdAt: now,
    expiresAt: refreshTokenExpiry(now, deps.config.refreshIdleTtl, family),
    usedAt: null,
    successorId: null,
    successorSealed: null,
  };
  return { secret, record };
}

/**
 * What starting a family came to: `stale` when the password changed or the user was disabled after
 * `authTime` (the login checked credentials that no longer hold). Each grant says so in its own words.
 */
export type StartOutcome = { kind: 'started'; family: Family; refreshToken: string } | { kind: 'stale' };

/**
 * Starts a family for a login and applies the client's max_sessions policy, atomically. `authTime` is
 * when the user's credentials were checked: if they no longer hold, no session starts.
 */
export async function startFamily(
  deps: Deps,
  actor: Actor,
  input: { user: User; client: Client; scope: string; audience: string; authTime: number; provider?: string | null; amr?: string | null },
): Promise<StartOutcome> {
  const now = deps.clock.now().getTime();
  const family: Family = {
    id: deps.ids.familyId(),
    userId: input.user.id,
    clientId: input.client.id,
    scope: input.scope,
    audience: input.audience,
    createdAt: now,
    authTime: input.authTime,
    expiresAt: now + deps.config.refreshFamilyTtl * 1000,
    lastUsedAt: now,
    revokedAt: null,
    revokeReason: null,
    userAgent: actor.userAgent ?? null,
    ip: actor.ip ?? null,
    provider: input.provider ?? null,
    amr: input.amr ?? null,
  };
  const { secret, record } = mintRefreshToken(deps, family, now);
  const session = { sessionId: family.id, userId: family.userId, clientId: family.clientId };
  const started = await deps.store.startFamily({ family, firstToken: record, authTime: input.authTime, maxSessions: input.client.maxSessions }, [
    { type: 'session.started', data: { ...session, provider: family.provider } },
  ]);
  if (!started) return { kind: 'stale' };
  for (const evicted of started.evicted) {
    const details = { reason: 'max_sessions' };
    await recordAudit(deps, actor, { type: 'family.revoked', userId: family.userId, clientId: family.clientId, familyId: evicted, details });
  }
  return { kind: 'started', family, refreshToken: secret };
}

/** Ends one family; returns false when it was already revoked. */
export async function revokeFamily(deps: Deps, actor: Actor, family: Family, reason: string): Promise<boolean> {
  const session = { sessionId: family.id, userId: family.userId, clientId: family.clientId };
  const detected: Events = reason === 'reuse_detected' ? [{ type: 'session.reuse_detected', data: session }] : [];
  const revoked = await deps.store.revokeFamily(family.id, reason, deps.clock.now().getTime(), detected);
  if (revoked) deps.events.publish([...detected, { type: 'session.revoked', data: { ...session, ...revocationOf(reason) } }]);
  if (revoked) {
    await recordAudit(deps, actor, {
      type: 'family.revoked',
      userId: family.userId,
      clientId: family.clientId,
      familyId: family.id,
      details: { reason },
    });
  }
  return revoked;
}

/** An operator ends one session; `reason` is what they typed (services/inputs.ts). */
export async function revokeFamilyById(deps: Deps, actor: Actor, id: string, reasonText?: string): Promise<{ revoked: boolean }> {
  const reason = revocationReasonInput(reasonText);
  const family = await deps.store.findFamily(id);
  if (!family) throw new NotFound(`no family "${excerpt(id)}"`);
  return { revoked: await revokeFamily(deps, actor, family, reason) };
}

/** Logs the user out everywhere: every session, and the browsers' single sign-on. */
export async function revokeUserFamilies(deps: Deps, actor: Actor, userId: string, reasonText?: string): Promise<{ revoked: string[] }> {
  const reason = revocationReasonInput(reasonText);
  const revoked = await deps.store.revokeUserFamilies(userId, reason, deps.clock.now().getTime());
  await deps.store.endUserBrowserSessions(userId, deps.clock.now().getTime());
  await recordAudit(deps, actor, { type: 'user.families_revoked', userId, details: { reason, families: revoked } });
  return { revoked };
}

export async function listUserFamilies(deps: Deps, userId: string, page: PageInput) {
  const now = deps.clock.now().getTime();
  const result = await deps.store.listFamilies({ userId, ...pageInput(page) });
  return { families: result.items.map((f) => familyView(f, now)), next_cursor: result.nextCursor };
}
