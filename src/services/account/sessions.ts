import type { Family } from '../../domain/types.js';
import { deviceOf } from '../../lib/user-agent.js';
import type { LiveBrowserSession } from '../browser-sessions.js';
import type { AuditStore, AuthorizationStore, ClientsStore, SessionsStore } from '../../store/types.js';
import type { Actor, Uses } from '../deps.js';
import { recordAudit } from '../audit.js';
import { revokeFamily } from '../sessions/families.js';

// The user's own sessions, as the account page and GET|DELETE /account/sessions show and end them.

/** At most this many live sessions are listed: far more than a person has devices. */
export const accountSessionsLimit = 200;

export type AccountSession = {
  id: string;
  client_id: string;
  client_name: string;
  created_at: string;
  last_used_at: string;
  device: ReturnType<typeof deviceOf>;
  user_agent: string | null;
  ip: string | null;
  provider: string | null;
  /** Started from a sign-in in the browser asking. */
  this_browser: boolean;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Every live family of the user, newest first; `browserSessionId`: the asking browser's session, to mark "this browser". */
export async function listAccountSessions(
  deps: Uses<'clock', ClientsStore & SessionsStore>,
  userId: string,
  browserSessionId: string | null,
): Promise<AccountSession[]> {
  const families = await deps.store.listLiveFamilies(userId, deps.clock.now().getTime(), accountSessionsLimit);
  const names = new Map<string, string>();
  for (const id of new Set(families.map((f) => f.clientId))) names.set(id, (await deps.store.findClient(id))?.name ?? id);
  return families.map((f) => ({
    id: f.id,
    client_id: f.clientId,
    client_name: names.get(f.clientId) ?? f.clientId,
    created_at: iso(f.createdAt),
    last_used_at: iso(f.lastUsedAt),
    device: deviceOf(f.userAgent),
    user_agent: f.userAgent,
    ip: f.ip,
    provider: f.provider,
    this_browser: browserSessionId !== null && f.browserSessionId === browserSessionId,
  }));
}

/**
 * Ends one of the user's own live sessions (reason `user_signed_out`) and the browser sign-in it came
 * from, unless that is the asking browser's: "sign out my lost phone" signs the phone's browser out too.
 * False when the user has no such live session: another user's id is unknown here, as a wrong one is.
 */
export async function endAccountSession(
  deps: Uses<'clock' | 'events' | 'ids', AuthorizationStore & SessionsStore>,
  actor: Actor,
  userId: string,
  familyId: string,
  asking: string | null,
): Promise<boolean> {
  const family = familyId.length > 200 ? null : await deps.store.findFamily(familyId);
  if (!family || family.userId !== userId || !isLive(deps, family)) return false;
  if (!(await revokeFamily(deps, actor, family, 'user_signed_out'))) return false;
  if (family.browserSessionId !== null && family.browserSessionId !== asking)
    await deps.store.endBrowserSession(family.browserSessionId, deps.clock.now().getTime());
  return true;
}

/** Ends every live session of the user but those of this browser, and the browser sign-ins they came from; returns how many ended. */
export async function endOtherSessions(
  deps: Uses<'clock' | 'events' | 'ids', AuditStore & AuthorizationStore & SessionsStore>,
  actor: Actor,
  live: LiveBrowserSession,
): Promise<number> {
  const now = deps.clock.now().getTime();
  const before = await deps.store.listLiveFamilies(live.user.id, now, accountSessionsLimit);
  const revoked = new Set(await deps.store.revokeOtherFamilies(live.user.id, live.session.id, 'user_signed_out', now));
  const ended = before.filter((f) => revoked.has(f.id));
  deps.events.publish(
    ended.map((f) => ({ type: 'session.revoked', data: { sessionId: f.id, userId: f.userId, clientId: f.clientId, reason: 'user_signed_out' } })),
  );
  for (const f of ended) if (f.browserSessionId !== null) await deps.store.endBrowserSession(f.browserSessionId, now);
  await recordAudit(deps, actor, { type: 'user.families_revoked', userId: live.user.id, details: { reason: 'user_signed_out', families: [...revoked] } });
  return revoked.size;
}

const isLive = (deps: Uses<'clock'>, f: Family) => f.revokedAt === null && f.expiresAt > deps.clock.now().getTime();
