import { recentlySignedIn } from '../../domain/account.js';
import type { User } from '../../domain/types.js';
import { InvalidGrant, TooManyRequests } from '../../errors/oauth.js';
import type { LiveBrowserSession } from '../browser-sessions.js';
import { endBrowserSession, startBrowserSession } from '../browser-sessions.js';
import type { AuditStore, AuthorizationStore, LimitsStore, UsersStore } from '../../store/types.js';
import type { Actor, Uses } from '../deps.js';
import { authenticateUser } from '../login.js';
import type { SignInBrowser } from '../sign-in/complete.js';

/** Why a password on the account page did not count: `failed` (one message for every reason) or `limited` (seconds to wait). */
export type PasswordRefusal = { kind: 'failed' } | { kind: 'limited'; retryAfter: number };

/** The password check of the login form (services/login.ts: the same limits, the same cost whoever the user); no client sent the user here. */
async function checkPassword(
  deps: Uses<'clock' | 'config' | 'dummyPasswordHash' | 'hasher' | 'ids', AuditStore & LimitsStore & UsersStore>,
  actor: Actor,
  username: string,
  password: string,
): Promise<{ user: User; authTime: number } | PasswordRefusal> {
  try {
    return await authenticateUser(deps, actor, { username, password, clientId: null, ip: actor.ip ?? null });
  } catch (error) {
    if (error instanceof TooManyRequests) return { kind: 'limited', retryAfter: error.retryAfterSeconds };
    if (error instanceof InvalidGrant) return { kind: 'failed' };
    throw error;
  }
}

/**
 * Signs in to the account page with a password: the browser's previous session ends and a new one
 * starts, as after the hosted login of an authorization request.
 */
export async function signInToAccount(
  deps: Uses<'clock' | 'config' | 'dummyPasswordHash' | 'hasher' | 'ids', AuditStore & AuthorizationStore & LimitsStore & UsersStore>,
  actor: Actor,
  input: { username: string; password: string; browser: SignInBrowser },
): Promise<{ kind: 'signed_in' } | PasswordRefusal> {
  const checked = await checkPassword(deps, actor, input.username, input.password);
  if ('kind' in checked) return checked;
  await endBrowserSession(deps, actor, input.browser.sessionCookie);
  const { cookie } = await startBrowserSession(deps, actor, checked.user, checked.authTime, null, ['pwd']);
  input.browser.setSessionCookie(cookie);
  return { kind: 'signed_in' };
}

/** Whether this browser's sign-in is recent enough for a sensitive change (domain/account.ts). */
export const isRecent = (deps: Uses<'clock'>, live: LiveBrowserSession): boolean => recentlySignedIn(live.session.authTime, deps.clock.now().getTime());

/** The password asked again before a sensitive change: a good one renews this browser session's sign-in time. */
export async function reauthenticate(
  deps: Uses<'clock' | 'config' | 'dummyPasswordHash' | 'hasher' | 'ids', AuditStore & AuthorizationStore & LimitsStore & UsersStore>,
  actor: Actor,
  live: LiveBrowserSession,
  password: string,
): Promise<{ kind: 'renewed' } | PasswordRefusal> {
  const checked = await checkPassword(deps, actor, live.user.username, password);
  if ('kind' in checked) return checked;
  if (checked.user.id !== live.user.id || !(await deps.store.renewBrowserSession(live.session.id, checked.authTime))) return { kind: 'failed' };
  return { kind: 'renewed' };
}
