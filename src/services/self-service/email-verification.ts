import type { Locale } from '../../domain/locale.js';
import type { MailLink } from '../../domain/mail.js';
import type { User } from '../../domain/types.js';
import { sha256 } from '../../lib/hash.js';
import { recordAudit } from '../audit.js';
import type { Actor, Uses } from '../deps.js';
import type { AccountsStore, AuditStore, UsersStore } from '../../store/types.js';
import { queueMail } from '../mail/queue.js';

/** Tokens are 43 base64url characters (256 bits); anything else is not one of ours and is not looked up. */
export const linkTokenShape = /^[A-Za-z0-9_-]{43}$/;

type LinkDeps = Uses<'clock', AccountsStore & UsersStore>;

/** Queues the verification mail for the user's address, when it has one that is not verified (and mail is on). */
export async function sendVerificationMail(deps: Uses<'config' | 'clock' | 'ids', AccountsStore>, user: User, locale: Locale): Promise<void> {
  if (user.email === null || user.emailVerified) return;
  await queueMail(deps, { kind: 'verify_email', user, locale });
}

/** A mailed link that can still be used now, with its user, or null (unknown, used, expired, another purpose, or an address the user no longer has). */
export async function openMailLink(deps: LinkDeps, token: string | undefined, purpose: MailLink['purpose']): Promise<{ link: MailLink; user: User } | null> {
  if (token === undefined || !linkTokenShape.test(token)) return null;
  const link = await deps.store.findMailLink(sha256(token));
  if (link === null || link.purpose !== purpose || link.usedAt !== null || link.expiresAt <= deps.clock.now().getTime()) return null;
  const user = await deps.store.findUserById(link.userId);
  if (user === null || user.disabledAt !== null || user.email !== link.address) return null;
  return { link, user };
}

export type VerifyOutcome = { kind: 'verified'; user: User } | { kind: 'invalid' };

/**
 * Confirms an address with the token of its mailed link: the link is used up, and the user's address is marked
 * verified only while it is still the one the link went to (events user.email_verified and user.updated, audit).
 */
export async function confirmEmail(
  deps: Uses<'clock' | 'ids', AccountsStore & AuditStore & UsersStore>,
  actor: Actor,
  token: string | undefined,
): Promise<VerifyOutcome> {
  const opened = await openMailLink(deps, token, 'verify_email');
  if (opened === null) return { kind: 'invalid' };
  const now = deps.clock.now().getTime();
  const link = await deps.store.consumeMailLink(opened.link.hash, 'verify_email', now);
  if (link === null) return { kind: 'invalid' };
  const userId = link.userId;
  const verified = await deps.store.markEmailVerified(userId, link.address, now, [
    { type: 'user.email_verified', data: { userId } },
    { type: 'user.updated', data: { userId, fields: ['email_verified'] } },
  ]);
  if (!verified) return { kind: 'invalid' };
  await recordAudit(deps, actor, { type: 'user.email_verified', userId, details: { via: 'link' } });
  return { kind: 'verified', user: { ...opened.user, emailVerified: true, updatedAt: now } };
}
