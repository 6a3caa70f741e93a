import { mailRetryDelayMs, maxMailAttempts, type MailLinkPurpose, type QueuedMail } from '../../domain/mail.js';
import type { User } from '../../domain/types.js';
import { sha256 } from '../../lib/hash.js';
import type { AccountsStore, AuditStore, UsersStore } from '../../store/types.js';
import { recordAudit } from '../audit.js';
import type { Uses } from '../deps.js';
import { composeMail } from './compose.js';
import type { MailTransport } from './transport.js';

/** How long an instance holds a mail while it sends it; longer than an SMTP exchange may take (transport.ts). */
export const mailLeaseMs = 60_000;

type DeliverDeps = Uses<'config' | 'clock' | 'ids' | 'log', AccountsStore & UsersStore & AuditStore>;

/** The page a mailed link opens, in the language of the mail. */
const linkPaths: Record<MailLinkPurpose, string> = { verify_email: '/verify-email', password_reset: '/password-reset' };

/**
 * Sends every mail that is due, one at a time; a failed one waits (exponential backoff) and is tried again, and is
 * given up after maxMailAttempts with an audit event. A link mail gets its link now: a fresh 256-bit token whose
 * hash alone is stored, so the token exists only in this process's memory and the mail. Log lines name the mail
 * and the error, never the link. Returns how many mails it handled.
 */
export async function deliverDueMails(deps: DeliverDeps, owner: string, transport: MailTransport): Promise<number> {
  let handled = 0;
  for (;;) {
    const mail = await deps.store.claimMail(owner, deps.clock.now().getTime(), mailLeaseMs);
    if (mail === null) return handled;
    handled++;
    await deliverOne(deps, owner, transport, mail);
  }
}

async function deliverOne(deps: DeliverDeps, owner: string, transport: MailTransport, mail: QueuedMail): Promise<void> {
  const user = mail.userId === null ? null : await deps.store.findUserById(mail.userId);
  const attempts = mail.attempts + 1;
  if (user === null || mail.address === null || !stillWanted(mail, user)) {
    await deps.store.finishMail(mail.id, owner, { doneAt: deps.clock.now().getTime(), outcome: 'dropped', attempts: mail.attempts });
    return;
  }
  try {
    const link = mail.kind === 'password_changed' ? `${deps.config.issuer}/password-reset?ui_locales=${mail.locale}` : await newLink(deps, mail, user);
    const validSeconds = mail.kind === 'verify_email' ? deps.config.emailVerifyTtl : deps.config.passwordResetTtl;
    const facts = { brand: deps.config.loginTitle, username: user.username, address: mail.address, link, validSeconds, at: new Date(mail.createdAt) };
    await transport.send(composeMail(mail.kind, mail.locale, facts));
  } catch (error) {
    await failed(deps, owner, mail, attempts, error as Error);
    return;
  }
  const now = deps.clock.now().getTime();
  await deps.store.finishMail(mail.id, owner, { doneAt: now, outcome: 'sent', attempts });
  if (mail.kind !== 'password_changed') {
    const type = mail.kind === 'verify_email' ? 'email_verification.sent' : 'password_reset.sent';
    await recordAudit(deps, { name: 'system' }, { type, userId: user.id, details: { mail: mail.id } });
  }
}

/** A mail about an address is sent only while the address is still the user's (and, for a reset, verified). */
function stillWanted(mail: QueuedMail, user: User): boolean {
  if (user.disabledAt !== null || user.email !== mail.address) return false;
  if (mail.kind === 'verify_email') return !user.emailVerified;
  if (mail.kind === 'password_reset') return user.emailVerified;
  return true;
}

async function newLink(deps: DeliverDeps, mail: QueuedMail, user: User): Promise<string> {
  const purpose = mail.kind as MailLinkPurpose;
  const token = deps.ids.secret();
  const now = deps.clock.now().getTime();
  const ttl = purpose === 'verify_email' ? deps.config.emailVerifyTtl : deps.config.passwordResetTtl;
  await deps.store.insertMailLink({
    hash: sha256(token),
    userId: user.id,
    purpose,
    address: mail.address!,
    createdAt: now,
    expiresAt: now + ttl * 1000,
    usedAt: null,
  });
  return `${deps.config.issuer}${linkPaths[purpose]}?${new URLSearchParams({ token, ui_locales: mail.locale })}`;
}

async function failed(deps: DeliverDeps, owner: string, mail: QueuedMail, attempts: number, error: Error): Promise<void> {
  const now = deps.clock.now().getTime();
  // The error's message only: an SMTP answer or a network failure, never the mail itself.
  const line = { mail: mail.id, kind: mail.kind, user_id: mail.userId, attempts, err: { message: error.message.slice(0, 200) } };
  if (attempts >= maxMailAttempts) {
    await deps.store.finishMail(mail.id, owner, { doneAt: now, outcome: 'failed', attempts });
    await recordAudit(deps, { name: 'system' }, { type: 'mail.failed', userId: mail.userId, details: { mail: mail.id, kind: mail.kind, attempts } });
    deps.log.error(line, 'mail given up');
    return;
  }
  await deps.store.finishMail(mail.id, owner, { nextAttemptAt: now + mailRetryDelayMs(attempts), attempts });
  deps.log.warn(line, 'mail not sent; it will be tried again');
}

/** Sends due mails every `intervalMs` until `signal` aborts; `kick()` sends at once (a page just queued one). */
export function startMailDelivery(
  deps: DeliverDeps,
  transport: MailTransport,
  { signal, intervalMs = 1000 }: { signal: AbortSignal; intervalMs?: number },
): { kick(): void } {
  const owner = deps.ids.jti();
  let running = false;
  let again = false;
  const round = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    deliverDueMails(deps, owner, transport)
      .catch((err: Error) => deps.log.error({ err: { message: err.message } }, 'mail delivery failed'))
      .finally(() => {
        running = false;
        if (again && !signal.aborted) {
          again = false;
          round();
        }
      });
  };
  const timer = setInterval(round, intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  return { kick: round };
}
