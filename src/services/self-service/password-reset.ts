import { emailKey } from '../../domain/email.js';
import type { Locale } from '../../domain/locale.js';
import { passwordRule, type PasswordProblem } from '../../domain/password.js';
import type { User } from '../../domain/types.js';
import { normalizeUsername } from '../../domain/username.js';
import { sha256 } from '../../lib/hash.js';
import { recordAudit } from '../audit.js';
import type { AccountsStore, AuditStore, AuthorizationStore, LimitsStore, UpstreamStore, UsersStore } from '../../store/types.js';
import type { Actor, Uses } from '../deps.js';
import { queueMail } from '../mail/queue.js';
import { setPassword } from '../users.js';
import { openMailLink } from './email-verification.js';
import { countRequest } from './limits.js';

/** Reset requests an hour for one username or address, and from one client IP. */
export const resetLimitPerAccount = 5;
export const resetLimitPerIp = 30;

/** The most a username or address can be; longer input matches no one, and is not looked up. */
const maxIdentifierLength = 256;

/**
 * "Forgot your password?": a username or an e-mail address. Whether or not it names an account, the request does
 * the same work (both lookups, one queued mail, one audit event) and the caller shows the same page, so neither
 * the answer nor its time tells whether the account exists. Only a user whose address is verified is mailed a link
 * (the sender drops the rest). Limited per username or address and per IP (TooManyRequests).
 */
export async function requestPasswordReset(
  deps: Uses<'clock' | 'config' | 'ids', AccountsStore & AuditStore & LimitsStore & UpstreamStore & UsersStore>,
  actor: Actor,
  input: { identifier: string; locale: Locale },
): Promise<void> {
  const identifier = input.identifier.trim().slice(0, maxIdentifierLength + 1);
  await countRequest(deps, [
    { key: `reset-account:${sha256(emailKey(identifier.toLowerCase()))}`, limit: resetLimitPerAccount },
    { key: `reset-ip:${actor.ip ?? 'unknown'}`, limit: resetLimitPerIp },
  ]);
  const user = await matchingUser(deps, identifier);
  await queueMail(deps, { kind: 'password_reset', user, locale: input.locale });
  await recordAudit(deps, actor, { type: 'password_reset.requested', userId: user?.id ?? null, details: { matched: user !== null } });
}

/** The user the identifier names with a verified address, by username or by address; both are looked up whichever it is. */
async function matchingUser(deps: Uses<never, UpstreamStore & UsersStore>, identifier: string): Promise<User | null> {
  const valid = identifier.length > 0 && identifier.length <= maxIdentifierLength;
  const byName = valid ? await deps.store.findUserByUsername(normalizeUsername(identifier)) : null;
  const byEmail = valid ? await deps.store.findUsersByVerifiedEmail(identifier) : [];
  const user = byName ?? (byEmail.length === 1 ? byEmail[0]! : null);
  return user?.emailVerified && user.email !== null && user.disabledAt === null ? user : null;
}

export type ResetOutcome = { kind: 'done'; user: User } | { kind: 'invalid' } | { kind: 'weak'; problem: PasswordProblem };

/**
 * Sets the new password from a reset link: the link must still be good (unused, unexpired, the user's verified
 * address), the password must pass the rules (a refused one leaves the link usable). Then the link is used up and
 * the password set the way every password change is (setPassword: every session ends, on the revocation feed), the
 * browser sessions end, and the user is mailed a notice.
 */
export async function completePasswordReset(
  deps: Uses<'clock' | 'config' | 'hasher' | 'ids', AccountsStore & AuditStore & AuthorizationStore & UsersStore>,
  actor: Actor,
  input: { token: string | undefined; password: string; locale: Locale },
): Promise<ResetOutcome> {
  const opened = await openMailLink(deps, input.token, 'password_reset');
  if (opened === null || !opened.user.emailVerified) return { kind: 'invalid' };
  const problem = passwordRule(input.password);
  if (problem !== null) return { kind: 'weak', problem };
  const now = deps.clock.now().getTime();
  if ((await deps.store.consumeMailLink(opened.link.hash, 'password_reset', now)) === null) return { kind: 'invalid' };
  const { user } = opened;
  const { revokedFamilies } = await setPassword(deps, actor, user.id, input.password);
  const browserSessions = await deps.store.endUserBrowserSessions(user.id, now);
  await recordAudit(deps, actor, {
    type: 'password_reset.completed',
    userId: user.id,
    details: { revoked_families: revokedFamilies, browser_sessions: browserSessions },
  });
  await queueMail(deps, { kind: 'password_changed', user, locale: input.locale });
  return { kind: 'done', user };
}
