import { canUnlinkIdentity } from '../../domain/account.js';
import { InvalidInput } from '../../errors/domain.js';
import { startBrowserSession, type LiveBrowserSession } from '../browser-sessions.js';
import type { SignInBrowser } from '../sign-in/complete.js';
import type { AccountsStore, AuditStore, AuthorizationStore, LimitsStore, UpstreamStore, UsersStore } from '../../store/types.js';
import type { Actor, Uses } from '../deps.js';
import { unlinkIdentity } from '../upstream/providers.js';
import { passwordProblem, setPassword, updateUser } from '../users.js';
import { isRecent, type PasswordRefusal } from './sign-in.js';
import { authenticateUser } from '../login.js';
import { InvalidGrant, TooManyRequests } from '../../errors/oauth.js';

// What the user changes of their own account: the e-mail address, the password, the linked identities.

/** A change the account page refused: the sign-in is too old (ask the password again), or the input is wrong. */
export type AccountRefusal = { kind: 'reauth' } | { kind: 'invalid'; problem: string } | PasswordRefusal;

/**
 * Changes the user's e-mail address: stored unverified (services/users.ts updateUser), which starts a
 * verification. Needs a recent sign-in.
 */
export async function changeOwnEmail(
  deps: Uses<'clock' | 'config' | 'ids', AccountsStore & UsersStore>,
  actor: Actor,
  live: LiveBrowserSession,
  email: string,
): Promise<{ kind: 'changed' } | AccountRefusal> {
  if (!isRecent(deps, live)) return { kind: 'reauth' };
  try {
    await updateUser(deps, actor, live.user.id, { email: email.trim() === '' ? null : email });
  } catch (error) {
    if (error instanceof InvalidInput) return { kind: 'invalid', problem: error.message };
    throw error;
  }
  return { kind: 'changed' };
}

/**
 * Changes the user's password, the current one required: every session and browser sign-in of the
 * user ends (as any password change does), and this browser gets a new sign-in at once. Needs a recent sign-in.
 */
export async function changeOwnPassword(
  deps: Uses<'clock' | 'config' | 'dummyPasswordHash' | 'hasher' | 'ids', AuditStore & AuthorizationStore & LimitsStore & UsersStore>,
  actor: Actor,
  live: LiveBrowserSession,
  input: { current: string; next: string; browser: SignInBrowser },
): Promise<{ kind: 'changed'; revokedFamilies: number } | AccountRefusal> {
  if (!isRecent(deps, live)) return { kind: 'reauth' };
  try {
    await authenticateUser(deps, actor, { username: live.user.username, password: input.current, clientId: null, ip: actor.ip ?? null });
  } catch (error) {
    if (error instanceof TooManyRequests) return { kind: 'limited', retryAfter: error.retryAfterSeconds };
    if (error instanceof InvalidGrant) return { kind: 'failed' };
    throw error;
  }
  const problem = passwordProblem(input.next);
  if (problem) return { kind: 'invalid', problem };
  const { revokedFamilies } = await setPassword(deps, actor, live.user.id, input.next);
  const now = deps.clock.now().getTime();
  await deps.store.endUserBrowserSessions(live.user.id, now);
  const user = (await deps.store.findUserById(live.user.id)) ?? live.user;
  const { cookie } = await startBrowserSession(deps, actor, user, now, null, ['pwd']);
  input.browser.setSessionCookie(cookie);
  return { kind: 'changed', revokedFamilies };
}

/** The user's linked identities, with their provider's name. */
export async function listAccountIdentities(deps: Uses<never, UpstreamStore>, userId: string) {
  const names = new Map((await deps.store.listProviders()).map((p) => [p.id, p.name]));
  return (await deps.store.listIdentities(userId)).map((i) => ({
    provider_id: i.providerId,
    provider_name: names.get(i.providerId) ?? i.providerId,
    email: i.email,
    linked_at: new Date(i.linkedAt).toISOString(),
  }));
}

/** Unlinks one of the user's identities, unless it is the last way in (no password, no other identity). */
export async function unlinkOwnIdentity(
  deps: Uses<'clock' | 'ids', AuditStore & UpstreamStore>,
  actor: Actor,
  live: LiveBrowserSession,
  providerId: string,
): Promise<'unlinked' | 'last_way_in' | 'not_found'> {
  const identities = await deps.store.listIdentities(live.user.id);
  if (!identities.some((i) => i.providerId === providerId)) return 'not_found';
  if (!canUnlinkIdentity(live.user, identities.length)) return 'last_way_in';
  await unlinkIdentity(deps, actor, live.user.id, providerId);
  return 'unlinked';
}
