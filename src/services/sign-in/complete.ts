import type { ApisStore, AuditStore, AuthorizationStore, UpstreamStore, UsersStore } from '../../store/types.js';
import type { User } from '../../domain/types.js';
import type { AuthorizeOutcome } from '../authorize.js';
import { endBrowserSession, startBrowserSession } from '../browser-sessions.js';
import type { Actor, Uses } from '../deps.js';
import { continueSignIn } from './continue.js';
import type { PendingSignIn } from './resume.js';

/** The browser a sign-in happens in, as its route gives it: the session cookie it sent, and how to set a new one. */
export type SignInBrowser = { sessionCookie: string | undefined; setSessionCookie(value: string): void };

/**
 * The person has proved who they are (a password, an upstream provider; a step still to come, such as a
 * second factor, calls this once it is passed, so no session starts before): the browser's previous
 * session ends (another user, or prompt=login), a new one starts, and the request carries on (consent,
 * or the code). `authTime`: when the proof began; `provider`: the upstream provider, when not a password.
 */
export async function completeSignIn(
  deps: Uses<'clock' | 'config' | 'ids' | 'keys', ApisStore & AuditStore & AuthorizationStore & UpstreamStore & UsersStore>,
  actor: Actor,
  input: { pending: PendingSignIn; user: User; authTime: number; provider?: string; browser: SignInBrowser },
): Promise<AuthorizeOutcome> {
  const { pending, user, browser } = input;
  await endBrowserSession(deps, actor, browser.sessionCookie);
  const { cookie, session } = await startBrowserSession(deps, actor, user, input.authTime, input.provider ?? null);
  browser.setSessionCookie(cookie);
  return continueSignIn(deps, actor, { pending, live: { session, user }, done: ['login'] });
}
