import { emailProblem } from '../../domain/email.js';
import type { Locale } from '../../domain/locale.js';
import { passwordRule, type PasswordProblem } from '../../domain/password.js';
import type { User } from '../../domain/types.js';
import { normalizeUsername } from '../../domain/username.js';
import { Conflict } from '../../errors/domain.js';
import type { AccountsStore, LimitsStore, UsersStore } from '../../store/types.js';
import type { Actor, Uses } from '../deps.js';
import { createUser, findUser } from '../users.js';
import { countRequest } from './limits.js';

/** Accounts an hour from one client IP. */
export const signupLimitPerIp = 10;

/**
 * Names a person may choose for themselves: lower-case ASCII letters, digits, `.`, `_`, `-`, at most 64, so no
 * name merely looks like another (a Cyrillic `а` in `аlice`). Operators may give any name.
 */
const selfChosenName = /^[a-z0-9._-]{1,64}$/;

export type SignupProblem = 'username_invalid' | 'username_taken' | 'email_invalid' | PasswordProblem;

export type SignupOutcome = { kind: 'created'; user: User } | { kind: 'refused'; field: 'username' | 'email' | 'password'; problem: SignupProblem };

/**
 * SIGNUP=open: anyone creates an account with a username, an e-mail address and a password that passes the
 * rules. The address starts unverified and is mailed a link (createUser); the user may sign in at once.
 * Limited per IP (TooManyRequests), counting every attempt that passes the checks above.
 */
export async function signUp(
  deps: Uses<'clock' | 'config' | 'hasher' | 'ids', AccountsStore & LimitsStore & UsersStore>,
  actor: Actor,
  input: { username: string; email: string; password: string; locale: Locale },
): Promise<SignupOutcome> {
  const username = normalizeUsername(input.username);
  if (!selfChosenName.test(username)) return { kind: 'refused', field: 'username', problem: 'username_invalid' };
  const email = input.email.trim();
  if (emailProblem(email) !== null) return { kind: 'refused', field: 'email', problem: 'email_invalid' };
  const weak = passwordRule(input.password);
  if (weak !== null) return { kind: 'refused', field: 'password', problem: weak };
  await countRequest(deps, [{ key: `signup-ip:${actor.ip ?? 'unknown'}`, limit: signupLimitPerIp }]);
  try {
    await createUser(deps, actor, { username, password: input.password, email, mailLocale: input.locale });
  } catch (error) {
    if (error instanceof Conflict) return { kind: 'refused', field: 'username', problem: 'username_taken' };
    throw error;
  }
  return { kind: 'created', user: await findUser(deps, { username }) };
}
