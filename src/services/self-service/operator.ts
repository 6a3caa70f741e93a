import { Conflict, InvalidInput } from '../../errors/domain.js';
import { recordAudit } from '../audit.js';
import type { AccountsStore, AuditStore, UsersStore } from '../../store/types.js';
import type { Actor, Uses } from '../deps.js';
import { deliverDueMails } from '../mail/deliver.js';
import { mailEnabled, queueMail, userLocale } from '../mail/queue.js';
import { mailTransport } from '../mail/transport.js';
import { findUser } from '../users.js';

/** What the operator is told: the mail is queued (`mail_id`; the audit event of its sending names it too). */
export type OperatorMail = { user_id: string; email: string; mail_id: string };

const mailOff = 'mail is off (SMTP_URL is not set), so no link can be sent';

/**
 * `users verify-email` / POST /admin/users/{id}/verify-email: mails the user a verification link for their address,
 * so the user proves it is theirs. (An operator who has checked the address some other way marks it verified with
 * `users update --email-verified`; this is the way that needs no trust in the operator's check.)
 */
export async function requestEmailVerification(
  deps: Uses<'clock' | 'config' | 'ids', AccountsStore & AuditStore & UsersStore>,
  actor: Actor,
  userId: string,
): Promise<OperatorMail> {
  const user = await findUser(deps, { id: userId });
  if (!mailEnabled(deps)) throw new Conflict(`${mailOff}; to mark the address verified yourself, set email_verified`);
  if (user.email === null) throw new InvalidInput('the user has no e-mail address');
  if (user.emailVerified) throw new Conflict('the address is verified already');
  const mailId = (await queueMail(deps, { kind: 'verify_email', user, locale: userLocale(user) }))!;
  await recordAudit(deps, actor, { type: 'email_verification.requested', userId: user.id, details: { mail: mailId } });
  return { user_id: user.id, email: user.email, mail_id: mailId };
}

/** `users send-reset` / POST /admin/users/{id}/password-reset: mails the user a reset link, to their verified address only. */
export async function requestPasswordResetFor(
  deps: Uses<'clock' | 'config' | 'ids', AccountsStore & AuditStore & UsersStore>,
  actor: Actor,
  userId: string,
): Promise<OperatorMail> {
  const user = await findUser(deps, { id: userId });
  if (!mailEnabled(deps)) throw new Conflict(mailOff);
  if (user.email === null || !user.emailVerified)
    throw new InvalidInput('the user has no verified e-mail address: an unverified address never recovers an account');
  if (user.disabledAt !== null) throw new Conflict('the user is disabled');
  const mailId = (await queueMail(deps, { kind: 'password_reset', user, locale: userLocale(user) }))!;
  await recordAudit(deps, actor, { type: 'password_reset.requested', userId: user.id, details: { matched: true, mail: mailId } });
  return { user_id: user.id, email: user.email, mail_id: mailId };
}

/**
 * The CLI sends the mail it queued at once rather than leave it to a running server (which sends it from the same
 * queue if this attempt fails, with the retries). Whether it went.
 */
export async function sendQueuedMailNow(
  deps: Uses<'clock' | 'config' | 'ids' | 'log', AccountsStore & AuditStore & UsersStore>,
  mailId: string,
): Promise<boolean> {
  const transport = mailTransport(deps.config, deps.log);
  if (transport === null) return false;
  await deliverDueMails(deps, `cli-${deps.ids.jti()}`, transport);
  return (await deps.store.findMail(mailId))?.outcome === 'sent';
}
