import { formatScope, isValidScopeToken } from '../domain/scope.js';
import type { User } from '../domain/types.js';
import { normalizeUsername, usernameProblem } from '../domain/username.js';
import { InvalidRequest } from '../errors/oauth.js';
import { Conflict } from '../errors/store.js';
import { excerpt } from '../lib/excerpt.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { userView, type UserView } from './views.js';

export const minPasswordLength = 8;
/** Bounds the work one login can ask of argon2. */
export const maxPasswordLength = 1024;

export function passwordProblem(password: string): string | null {
  if (password.length < minPasswordLength) return `password must be at least ${minPasswordLength} characters`;
  if (password.length > maxPasswordLength) return `password must be at most ${maxPasswordLength} characters`;
  return null;
}

export async function createUser(
  deps: Deps,
  actor: Actor,
  input: { username: string; password: string; scopes?: string[] | null },
): Promise<UserView> {
  const username = normalizeUsername(input.username);
  const problem = usernameProblem(username) ?? passwordProblem(input.password);
  if (problem) throw new InvalidRequest(problem);
  const scopes = input.scopes ? [...new Set(input.scopes)] : null;
  const badScope = scopes?.find((s) => !isValidScopeToken(s));
  if (badScope !== undefined) throw new InvalidRequest(`invalid scope "${excerpt(badScope)}"`);

  const user: User = {
    id: deps.ids.userId(),
    username,
    passwordHash: await deps.hasher.hash(input.password),
    scopes,
    createdAt: deps.clock.now().getTime(),
    disabledAt: null,
    sessionsValidAfter: null,
  };
  try {
    await deps.store.insertUser(user);
  } catch (error) {
    if (error instanceof Conflict) throw new InvalidRequest(`user "${excerpt(username)}" already exists`, 409);
    throw error;
  }
  await recordAudit(deps, actor, { type: 'user.created', userId: user.id, details: { username, scope: scopes && formatScope(scopes) } });
  return userView(user);
}

export async function findUser(deps: Deps, ref: { id: string } | { username: string }): Promise<User> {
  const user = 'id' in ref ? await deps.store.findUserById(ref.id) : await deps.store.findUserByUsername(normalizeUsername(ref.username));
  if (!user) throw new InvalidRequest(`no user "${excerpt('id' in ref ? ref.id : ref.username)}"`, 404);
  return user;
}

/**
 * Sets a new password and ends every session of the user, including one whose login checked the
 * old password and has not committed yet (README, "Sessions").
 */
export async function setPassword(deps: Deps, actor: Actor, userId: string, password: string): Promise<{ revokedFamilies: number }> {
  const problem = passwordProblem(password);
  if (problem) throw new InvalidRequest(problem);
  const user = await findUser(deps, { id: userId });
  const revoked = (await deps.store.changePassword(user.id, await deps.hasher.hash(password), deps.clock.now().getTime())) ?? [];
  await recordAudit(deps, actor, { type: 'user.password_changed', userId: user.id, details: { revoked_families: revoked.length } });
  return { revokedFamilies: revoked.length };
}

/** Disables the user: no more logins or refreshes, and every session ends now. Disabling twice changes nothing. */
export async function disableUser(deps: Deps, actor: Actor, userId: string): Promise<{ revokedFamilies: number }> {
  const user = await findUser(deps, { id: userId });
  const revoked = await deps.store.disableUser(user.id, deps.clock.now().getTime());
  if (revoked === null) return { revokedFamilies: 0 };
  await recordAudit(deps, actor, { type: 'user.disabled', userId: user.id, details: { revoked_families: revoked.length } });
  return { revokedFamilies: revoked.length };
}
