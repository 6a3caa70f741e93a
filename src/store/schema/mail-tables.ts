import type { Columns } from './columns.js';

/** Mail: the links mailed to users (verification, password reset) and the mails waiting to be sent. */
export function defineMailTables(c: Columns) {
  /** A single-use link: `hash` is the SHA-256 of the token in the mailed URL, which is kept nowhere. */
  const mailLinks = c.table(
    'mail_links',
    {
      hash: c.text('hash').primaryKey(),
      userId: c.text('user_id').notNull(),
      /** `verify_email` or `password_reset`. */
      purpose: c.text('purpose').notNull(),
      /** The address it was mailed to: a link for an address the user no longer has does nothing. */
      address: c.text('address').notNull(),
      createdAt: c.instant('created_at').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
      usedAt: c.instant('used_at'),
    },
    (t) => [c.index('mail_links_expires_idx').on(t.expiresAt)],
  );

  /**
   * A mail to send, written when the change that calls for it is made and sent by whichever instance claims it
   * (services/mail/deliver.ts), retried until it goes or is given up. It holds no link: the link's token is made
   * when the mail is sent, so it never rests anywhere.
   */
  const mails = c.table(
    'mails',
    {
      id: c.text('id').primaryKey(),
      /** `verify_email`, `password_reset`, `password_changed`; null user: a reset asked for no account (sent nowhere). */
      kind: c.text('kind').notNull(),
      userId: c.text('user_id'),
      address: c.text('address'),
      locale: c.text('locale').notNull(),
      createdAt: c.instant('created_at').notNull(),
      nextAttemptAt: c.instant('next_attempt_at').notNull(),
      attempts: c.int('attempts').notNull().default(0),
      leaseOwner: c.text('lease_owner'),
      leaseUntil: c.instant('lease_until'),
      /** When it was sent, dropped or given up; `outcome` says which. */
      doneAt: c.instant('done_at'),
      outcome: c.text('outcome'),
    },
    (t) => [c.index('mails_due_idx').on(t.doneAt, t.nextAttemptAt)],
  );

  return { mailLinks, mails };
}
