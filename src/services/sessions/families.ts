import { refreshTokenExpiry } from '../../domain/refresh.js';
import { isPublicClient, type BrowserSession, type Client, type Family, type RefreshToken, type ResourceGrants, type User } from '../../domain/types.js';
import { NotFound } from '../../errors/domain.js';
import type { Events, AuthorizationStore, SessionsStore } from '../../store/types.js';
import { revocationOf } from '../../domain/events.js';
import { excerpt } from '../../lib/excerpt.js';
import { sha256 } from '../../lib/hash.js';
import type { AuditEntry } from '../../domain/audit.js';
import { audited } from '../audit.js';
import type { Actor, Uses } from '../deps.js';
import { pageInput, revocationReasonInput, type PageInput } from '../inputs.js';
import { familyView } from '../views.js';

/** A new refresh token row for `family`, with its secret (which only the client will hold). */
export function mintRefreshToken(deps: Uses<'config' | 'ids'>, family: Pick<Family, 'id' | 'expiresAt'>, now: number) {
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
 * when the user's credentials were checked: if they no longer hold, no session starts. `browser`: the
 * browser session that approved the code, whose user agent and IP name the device (the token request
 * may come from the application's server); without one, the request's own.
 */
export async function startFamily(
  deps: Uses<'clock' | 'config' | 'ids', SessionsStore>,
  actor: Actor,
  input: {
    user: User;
    client: Client;
    scope: string;
    audience: string;
    authTime: number;
    provider?: string | null;
    amr?: string | null;
    dpopJkt?: string | null;
    browser?: BrowserSession | null;
    grants?: ResourceGrants | null;
  },
  login?: AuditEntry,
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
    userAgent: (input.browser ? input.browser.userAgent : actor.userAgent) ?? null,
    ip: (input.browser ? input.browser.ip : actor.ip) ?? null,
    provider: input.provider ?? null,
    // RFC 9449 §5: a public client's refresh tokens are bound to its DPoP key; a confidential one's to its credentials.
    dpopJkt: isPublicClient(input.client) ? (input.dpopJkt ?? null) : null,
    browserSessionId: input.browser?.id ?? null,
    grants: input.grants ?? null,
    amr: input.amr ?? null,
  };
  const { secret, record } = mintRefreshToken(deps, family, now);
  const session = { sessionId: family.id, userId: family.userId, clientId: family.clientId };
  // Each session max_sessions ends gets a family.revoked record; then the login's own, which names the new family.
  const audit = audited(deps, actor, login ? [{ ...login, familyId: family.id }] : [], { eachEnded: true });
  const started = await deps.store.startFamily(
    { family, firstToken: record, authTime: input.authTime, maxSessions: input.client.maxSessions },
    [{ type: 'session.started', data: { ...session, provider: family.provider } }],
    audit,
  );
  if (!started) return { kind: 'stale' };
  return { kind: 'started', family, refreshToken: secret };
}

/**
 * Ends one family, with a family.revoked audit record; returns false when it was already revoked. `also`: audit
 * records of the same change, written whether or not this call was the one that revoked it.
 */
export async function revokeFamily(
  deps: Uses<'clock' | 'events' | 'ids', SessionsStore>,
  actor: Actor,
  family: Family,
  reason: string,
  also: AuditEntry[] = [],
): Promise<boolean> {
  const session = { sessionId: family.id, userId: family.userId, clientId: family.clientId };
  const detected: Events = reason === 'reuse_detected' ? [{ type: 'session.reuse_detected', data: session }] : [];
  const audit = audited(deps, actor, also, { eachEnded: true });
  const revoked = await deps.store.revokeFamily(family.id, reason, deps.clock.now().getTime(), detected, audit);
  if (revoked) deps.events.publish([...detected, { type: 'session.revoked', data: { ...session, ...revocationOf(reason) } }]);
  return revoked;
}

/** An operator ends one session; `reason` is what they typed (services/inputs.ts). */
export async function revokeFamilyById(
  deps: Uses<'clock' | 'events' | 'ids', SessionsStore>,
  actor: Actor,
  id: string,
  reasonText?: string,
): Promise<{ revoked: boolean }> {
  const reason = revocationReasonInput(reasonText);
  const family = await deps.store.findFamily(id);
  if (!family) throw new NotFound(`no family "${excerpt(id)}"`);
  return { revoked: await revokeFamily(deps, actor, family, reason) };
}

/** Logs the user out everywhere: every session, and the browsers' single sign-on. */
export async function revokeUserFamilies(
  deps: Uses<'clock' | 'ids', AuthorizationStore & SessionsStore>,
  actor: Actor,
  userId: string,
  reasonText?: string,
): Promise<{ revoked: string[] }> {
  const reason = revocationReasonInput(reasonText);
  const audit = audited(deps, actor, [{ type: 'user.families_revoked', userId, details: { reason }, ended: 'ids' }]);
  const revoked = await deps.store.revokeUserFamilies(userId, reason, deps.clock.now().getTime(), [], audit);
  await deps.store.endUserBrowserSessions(userId, deps.clock.now().getTime());
  return { revoked };
}

export async function listUserFamilies(deps: Uses<'clock', SessionsStore>, userId: string, page: PageInput) {
  const now = deps.clock.now().getTime();
  const result = await deps.store.listFamilies({ userId, ...pageInput(page) });
  return { families: result.items.map((f) => familyView(f, now)), next_cursor: result.nextCursor };
}
