import { emailProblem } from '../domain/email.js';
import { passwordProblemMessages, passwordRule } from '../domain/password.js';
import { formatScope, isValidScopeToken } from '../domain/scope.js';
import { profileFieldProblem, profileWireNames, type Profile } from '../domain/profile.js';
import type { User } from '../domain/types.js';
import type { AccountsStore, UserChanges, AuditStore, UpstreamStore, UsersStore } from '../store/types.js';
import { normalizeUsername, usernameProblem } from '../domain/username.js';
import { Conflict, InvalidInput, NotFound } from '../errors/domain.js';
import { excerpt } from '../lib/excerpt.js';
import { audited, recordAudit } from './audit.js';
import type { Actor, Uses } from './deps.js';
import type { Locale } from '../domain/locale.js';
import { sendVerificationMail } from './self-service/email-verification.js';
import { userLocale } from './mail/queue.js';
import { pageInput, type PageInput } from './inputs.js';
import { userView, type UserView } from './views.js';

/** Bounds the work one login can ask of argon2; longer than any password that can be set (domain/password.ts). */
export const maxLoginPasswordLength = 1024;

/** Why a new password is refused, in the operator's words, or null (the rules: domain/password.ts). */
export function passwordProblem(password: string): string | null {
  const problem = passwordRule(password);
  return problem === null ? null : passwordProblemMessages[problem];
}

export async function createUser(
  deps: Uses<'clock' | 'config' | 'hasher' | 'ids', UsersStore & AccountsStore>,
  actor: Actor,
  input: {
    username: string;
    password: string;
    scopes?: string[] | null;
    email?: string | null;
    emailVerified?: boolean;
    /** The language of the verification mail an unverified address gets (the page's; else English). */
    mailLocale?: Locale;
  },
): Promise<UserView> {
  const username = normalizeUsername(input.username);
  const problem = usernameProblem(username) ?? passwordProblem(input.password);
  if (problem) throw new InvalidInput(problem);
  const scopes = input.scopes ? [...new Set(input.scopes)] : null;
  const badScope = scopes?.find((s) => !isValidScopeToken(s));
  if (badScope !== undefined) throw new InvalidInput(`invalid scope "${excerpt(badScope)}"`);
  const email = input.email?.trim() || null;
  const emailRule = email === null ? null : emailProblem(email);
  if (emailRule) throw new InvalidInput(emailRule);
  if (input.emailVerified && email === null) throw new InvalidInput('email verified needs an email');

  const user: User = {
    id: deps.ids.userId(),
    username,
    passwordHash: await deps.hasher.hash(input.password),
    scopes,
    email,
    emailVerified: input.emailVerified ?? false,
    name: null,
    givenName: null,
    familyName: null,
    picture: null,
    locale: null,
    createdAt: deps.clock.now().getTime(),
    updatedAt: null,
    disabledAt: null,
    sessionsValidAfter: null,
    passwordSet: true,
  };
  try {
    const entry = { type: 'user.created', userId: user.id, details: { username, scope: scopes && formatScope(scopes) } } as const;
    await deps.store.insertUser(user, [{ type: 'user.created', data: { userId: user.id, username } }], audited(deps, actor, [entry]));
  } catch (error) {
    if (error instanceof Conflict) throw new Conflict(`user "${excerpt(username)}" already exists`);
    throw error;
  }
  await sendVerificationMail(deps, user, input.mailLocale ?? 'en');
  return userView(user);
}

/** What `tessera users update` and `PATCH /admin/users/{id}` may change; null clears a field, undefined leaves it. */
export type UserUpdate = Partial<Record<keyof Profile | 'email', string | null>> & { emailVerified?: boolean };

/**
 * Changes a user's profile claims or address (OpenID Connect Core §5.1). A new address counts as
 * unverified unless the operator says it is verified, and is sent a verification mail (in `mailLocale`,
 * else the user's locale claim, else English). Each change sets `updated_at`, which clients
 * see, and writes an audit event naming the fields; a request that changes nothing writes nothing.
 */
export async function updateUser(
  deps: Uses<'clock' | 'config' | 'ids', UsersStore & AccountsStore>,
  actor: Actor,
  userId: string,
  input: UserUpdate,
  options: { mailLocale?: Locale } = {},
): Promise<UserView> {
  const user = await findUser(deps, { id: userId });
  const { email: rawEmail, emailVerified, ...profile } = input;
  const changes: Omit<UserChanges, 'updatedAt'> = {};
  for (const [field, value] of Object.entries(profile) as [keyof Profile, string | null | undefined][]) {
    if (value === undefined) continue;
    const problem = profileFieldProblem(field, value);
    if (problem) throw new InvalidInput(problem);
    changes[field] = value;
  }
  if (rawEmail !== undefined) {
    const email = rawEmail?.trim() || null;
    const problem = email === null ? null : emailProblem(email);
    if (problem) throw new InvalidInput(problem);
    if (email !== user.email) Object.assign(changes, { email, emailVerified: false });
  }
  if (emailVerified !== undefined) {
    if (emailVerified && (changes.email === undefined ? user.email : changes.email) === null) throw new InvalidInput('email verified needs an email');
    changes.emailVerified = emailVerified;
  }
  const changed = (Object.keys(changes) as (keyof typeof changes)[]).filter((k) => changes[k] !== user[k]);
  if (changed.length === 0) return userView(user);

  const fields = changed.map((f) => (f === 'email' ? 'email' : f === 'emailVerified' ? 'email_verified' : profileWireNames[f]));
  const updated = await deps.store.updateUser(
    user.id,
    { ...changes, updatedAt: deps.clock.now().getTime() },
    [{ type: 'user.updated', data: { userId: user.id, fields } }],
    audited(deps, actor, [{ type: 'user.updated', userId: user.id, details: { fields } }]),
  );
  if (!updated) throw noUser(userId);
  if (changed.includes('email')) await sendVerificationMail(deps, updated, options.mailLocale ?? userLocale(updated));
  return userView(updated);
}

const noUser = (ref: string) => new NotFound(`no user "${excerpt(ref)}"`);

export async function findUser(deps: Uses<never, UsersStore>, ref: { id: string } | { username: string }): Promise<User> {
  const user = 'id' in ref ? await deps.store.findUserById(ref.id) : await deps.store.findUserByUsername(normalizeUsername(ref.username));
  if (!user) throw noUser('id' in ref ? ref.id : ref.username);
  return user;
}

/**
 * Sets a new password and ends every session of the user, including one whose login checked the
 * old password and has not committed yet (README, "Sessions").
 */
export async function setPassword(
  deps: Uses<'clock' | 'hasher' | 'ids', UsersStore>,
  actor: Actor,
  userId: string,
  password: string,
): Promise<{ revokedFamilies: number }> {
  const problem = passwordProblem(password);
  if (problem) throw new InvalidInput(problem);
  const user = await findUser(deps, { id: userId });
  const changed = [{ type: 'user.password_changed' as const, data: { userId: user.id } }];
  const audit = audited(deps, actor, [{ type: 'user.password_changed', userId: user.id, ended: 'count' }]);
  const revoked = (await deps.store.changePassword(user.id, await deps.hasher.hash(password), deps.clock.now().getTime(), changed, audit)) ?? [];
  return { revokedFamilies: revoked.length };
}

/** Disables the user: no more logins or refreshes, and every session ends now. Disabling twice changes nothing. */
export async function disableUser(deps: Uses<'clock' | 'ids', UsersStore>, actor: Actor, userId: string): Promise<{ revokedFamilies: number }> {
  const user = await findUser(deps, { id: userId });
  const audit = audited(deps, actor, [{ type: 'user.disabled', userId: user.id, ended: 'count' }]);
  const revoked = await deps.store.disableUser(user.id, deps.clock.now().getTime(), [], audit);
  if (revoked === null) return { revokedFamilies: 0 };
  return { revokedFamilies: revoked.length };
}

/** Lets a disabled user log in again. Sessions the disable ended stay ended. Enabling twice changes nothing. */
export async function enableUser(deps: Uses<'clock' | 'ids', AuditStore & UsersStore>, actor: Actor, userId: string): Promise<{ enabled: boolean }> {
  const user = await findUser(deps, { id: userId });
  const enabled = await deps.store.enableUser(user.id);
  if (enabled) await recordAudit(deps, actor, { type: 'user.enabled', userId: user.id });
  return { enabled };
}

/**
 * Deletes the user and ends its sessions; the username is free again. The audit log keeps the
 * user's id (and the username in this event) until AUDIT_RETENTION.
 */
export async function deleteUser(
  deps: Uses<'clock' | 'ids', UpstreamStore & UsersStore>,
  actor: Actor,
  userId: string,
): Promise<{ revokedFamilies: number; unlinkedIdentities: number }> {
  const user = await findUser(deps, { id: userId });
  // The user's upstream identities go with it.
  const unlinkedIdentities = (await deps.store.listIdentities(user.id)).length;
  const deleted = [{ type: 'user.deleted' as const, data: { userId: user.id, username: user.username } }];
  const audit = audited(deps, actor, [{ type: 'user.deleted', userId: user.id, details: { username: user.username }, ended: 'count' }]);
  const revoked = await deps.store.deleteUser(user.id, deps.clock.now().getTime(), deleted, audit);
  if (revoked === null) throw noUser(userId);
  return { revokedFamilies: revoked.length, unlinkedIdentities };
}

/** Users newest first, or with `username` the one user of that name (none when there is none). */
export async function listUsers(deps: Uses<never, UsersStore>, query: { username?: string } & PageInput) {
  const page = pageInput(query);
  if (query.username !== undefined) {
    const user = await deps.store.findUserByUsername(normalizeUsername(query.username));
    return { users: user ? [userView(user)] : [], next_cursor: null };
  }
  const result = await deps.store.listUsers(page);
  return { users: result.items.map(userView), next_cursor: result.nextCursor };
}
