import type { Client, User } from '../domain/types.js';
import { normalizeUsername } from '../domain/username.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { maxPasswordLength } from './users.js';

/**
 * The password check of the hosted login form: the user, or null for a wrong user or password, with
 * the same argon2 cost either way (an unknown user is checked against a dummy hash), exactly like the
 * password grant.
 */
export async function checkPassword(deps: Deps, actor: Actor, input: { username: string; password: string; client: Client }): Promise<User | null> {
  if (input.password.length > maxPasswordLength) return null;
  const user = await deps.store.findUserByUsername(normalizeUsername(input.username));
  const matches = await deps.hasher.verify(user?.passwordHash ?? deps.dummyPasswordHash, input.password);
  if (user && matches && user.disabledAt === null) return user;
  await recordAudit(deps, actor, {
    type: 'login.failed',
    userId: user?.id ?? null,
    clientId: input.client.id,
    details: { reason: !user ? 'unknown_user' : !matches ? 'wrong_password' : 'user_disabled', via: 'login_page' },
  });
  return null;
}
