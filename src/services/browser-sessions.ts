import type { AuditStore, AuthorizationStore, UsersStore } from '../store/types.js';
import { formatAmr } from '../domain/amr.js';
import type { BrowserSession, User } from '../domain/types.js';
import { sha256 } from '../lib/hash.js';
import { recordAudit } from './audit.js';
import type { Actor, Uses } from './deps.js';

// The browser's login on the hosted pages (single sign-on across clients). The cookie holds a
// 256-bit secret; the store keeps only its hash, which is also the session's id.

export type LiveBrowserSession = { session: BrowserSession; user: User };

/**
 * Starts a session after the user entered a password; returns the cookie value, shown to nobody else.
 * `authTime` is when the password check began: a password change after it ends the session.
 * `provider`: the upstream provider the user signed in with, when not a password; `amr`: how they signed in (RFC 8176).
 */
export async function startBrowserSession(
  deps: Uses<'clock' | 'config' | 'ids', AuthorizationStore>,
  actor: Actor,
  user: User,
  authTime: number,
  provider: string | null,
  amr: readonly string[],
): Promise<{ cookie: string; session: BrowserSession }> {
  const cookie = deps.ids.secret();
  const now = deps.clock.now().getTime();
  const session: BrowserSession = {
    id: sha256(cookie),
    userId: user.id,
    createdAt: now,
    authTime,
    expiresAt: now + deps.config.loginSessionTtl * 1000,
    endedAt: null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    provider,
    amr: formatAmr(amr),
  };
  await deps.store.insertBrowserSession(session);
  return { cookie, session };
}

/**
 * The live session a cookie names, with its user; null when it is unknown, ended, expired, its user
 * disabled, or its password was typed before the user's password changed (sessions_valid_after).
 */
export async function currentBrowserSession(
  deps: Uses<'clock', AuthorizationStore & UsersStore>,
  cookie: string | undefined,
): Promise<LiveBrowserSession | null> {
  if (!cookie || cookie.length > 100) return null;
  const session = await deps.store.findBrowserSession(sha256(cookie));
  if (!session || session.endedAt !== null || deps.clock.now().getTime() >= session.expiresAt) return null;
  const user = await deps.store.findUserById(session.userId);
  if (!user || user.disabledAt !== null) return null;
  if (user.sessionsValidAfter !== null && session.authTime < user.sessionsValidAfter) return null;
  return { session, user };
}

/** Ends the session a cookie names, if it is live; returns it when this call ended it. */
export async function endBrowserSession(
  deps: Uses<'clock' | 'ids', AuditStore & AuthorizationStore & UsersStore>,
  actor: Actor,
  cookie: string | undefined,
): Promise<BrowserSession | null> {
  const live = await currentBrowserSession(deps, cookie);
  if (!live || !(await deps.store.endBrowserSession(live.session.id, deps.clock.now().getTime()))) return null;
  await recordAudit(deps, actor, { type: 'browser_session.ended', userId: live.user.id });
  return live.session;
}
