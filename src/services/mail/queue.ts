import { isLocale, type Locale } from '../../domain/locale.js';
import type { MailKind } from '../../domain/mail.js';
import type { User } from '../../domain/types.js';
import type { Uses } from '../deps.js';
import type { AccountsStore } from '../../store/types.js';

/** Whether mail can be sent at all (SMTP_URL set); without it, the features that need mail are off. */
export const mailEnabled = (deps: Uses<'config'>): boolean => deps.config.mail !== null;

/** The language of a mail no page caused (operator, CLI): the user's `locale` claim when Tessera writes it, else English. */
export const userLocale = (user: Pick<User, 'locale'>): Locale => {
  const tag = user.locale?.toLowerCase().split('-')[0] ?? '';
  return isLocale(tag) ? tag : 'en';
};

/**
 * Queues a mail for `user` (null: a reset asked for no account, which is queued all the same, so the request
 * does the same work either way, and is dropped by the sender). The sender (./deliver.ts) makes its link when it
 * sends it. Returns the mail's id; null, doing nothing, when mail is off.
 */
export async function queueMail(
  deps: Uses<'config' | 'clock' | 'ids', AccountsStore>,
  input: { kind: MailKind; user: Pick<User, 'id' | 'email'> | null; locale: Locale },
): Promise<string | null> {
  if (!mailEnabled(deps)) return null;
  const now = deps.clock.now().getTime();
  const id = deps.ids.mailId();
  await deps.store.queueMail({
    id,
    kind: input.kind,
    userId: input.user?.id ?? null,
    address: input.user?.email ?? null,
    locale: input.locale,
    createdAt: now,
    nextAttemptAt: now,
    attempts: 0,
  });
  return id;
}
