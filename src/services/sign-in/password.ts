import type { ApisStore, AuditStore, AuthorizationStore, FactorsStore, LimitsStore, UpstreamStore, UsersStore } from '../../store/types.js';
import { InvalidGrant, TooManyRequests } from '../../errors/oauth.js';
import type { AuthorizeOutcome } from '../authorize.js';
import type { Actor, Uses } from '../deps.js';
import { authenticateUser } from '../login.js';
import { completeSignIn, type SignInBrowser } from './complete.js';
import { loginStep } from './continue.js';
import type { PendingSignIn } from './resume.js';

/** The one message for every failed sign-in: it never says whether the user exists. */
const loginFailed = { key: 'loginFailed' } as const;
const tooManyAttempts = { key: 'tooManyAttempts' } as const;

/**
 * The hosted login form's password. The check is the password grant's (services/login.ts: one argon2
 * verification whoever the user, failed-attempt limits per username and per IP). A good password
 * completes the sign-in; a bad one shows the login page again, with the username as typed.
 */
export async function signInWithPassword(
  deps: Uses<
    'clock' | 'config' | 'dummyPasswordHash' | 'hasher' | 'ids' | 'keys',
    ApisStore & AuditStore & AuthorizationStore & FactorsStore & LimitsStore & UpstreamStore & UsersStore
  >,
  actor: Actor,
  input: { pending: PendingSignIn; username: string; password: string; browser: SignInBrowser },
): Promise<AuthorizeOutcome> {
  const { pending, username, password } = input;
  let login;
  try {
    login = await authenticateUser(deps, actor, { username, password, clientId: pending.client.id, ip: actor.ip ?? null });
  } catch (error) {
    const again = { username: username.slice(0, 256) };
    if (error instanceof TooManyRequests)
      return loginStep(deps, pending, { ...again, error: { message: tooManyAttempts, retryAfter: error.retryAfterSeconds } });
    if (error instanceof InvalidGrant) return loginStep(deps, pending, { ...again, error: { message: loginFailed } });
    throw error;
  }
  return completeSignIn(deps, actor, { pending, proof: { user: login.user, authTime: login.authTime, amr: ['pwd'] }, browser: input.browser });
}
