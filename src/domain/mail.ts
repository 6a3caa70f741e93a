import type { Locale } from './locale.js';

/** What a mailed link lets its holder do, once. */
export type MailLinkPurpose = 'verify_email' | 'password_reset';

export type MailLink = {
  /** SHA-256 of the link's token; the token itself is kept nowhere. */
  hash: string;
  userId: string;
  purpose: MailLinkPurpose;
  /** The address the link went to. */
  address: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
};

/** The mails Tessera sends: a link to verify an address, a link to reset a password, and the notice that a password changed. */
export type MailKind = MailLinkPurpose | 'password_changed';

/** A mail waiting to be sent (or sent: `doneAt`). A reset asked for an unknown account has no user and goes nowhere. */
export type QueuedMail = {
  id: string;
  kind: MailKind;
  userId: string | null;
  address: string | null;
  locale: Locale;
  createdAt: number;
  nextAttemptAt: number;
  attempts: number;
};

export type MailOutcome = 'sent' | 'dropped' | 'failed';

/** Attempts before a mail is given up: about an hour of retries with the delays below. */
export const maxMailAttempts = 8;

/** The wait after the `attempts`-th failure: 15 s, 30 s, 1 min, … at most 15 min. */
export const mailRetryDelayMs = (attempts: number): number => Math.min(15_000 * 2 ** (attempts - 1), 900_000);
