import { and, asc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { MailLink, MailOutcome, QueuedMail } from '../domain/mail.js';
import { changes, rows, storable, type Dialect, type Tables } from './dialect.js';
import { appendEvents } from './outbox.js';
import type { AccountsStore } from './types.js';

type MailRow = Tables['mails']['$inferSelect'];

const mailFromRow = (r: MailRow): QueuedMail => ({
  id: r.id,
  kind: r.kind as QueuedMail['kind'],
  userId: r.userId,
  address: r.address,
  locale: r.locale as QueuedMail['locale'],
  createdAt: r.createdAt,
  nextAttemptAt: r.nextAttemptAt,
  attempts: r.attempts,
});

/** Mailed links and the mail queue (domain/mail.ts). */
export function accountsStore(dialect: Dialect, tables: Tables): AccountsStore {
  const { mailLinks, mails, users } = tables;
  const { run, transaction } = dialect;
  return {
    insertMailLink: (link) =>
      run(function* (db) {
        yield* changes(db.insert(mailLinks).values(link), 'mail link');
      }),
    findMailLink: (hash) =>
      run(function* (db) {
        if (!storable(hash)) return null;
        const [row] = yield* rows(db.select().from(mailLinks).where(eq(mailLinks.hash, hash)));
        return row ? (row as MailLink) : null;
      }),
    consumeMailLink: (hash, purpose, now) =>
      run(function* (db) {
        if (!storable(hash)) return null;
        // A conditional write: of two uses at once, one finds it unused.
        const [row] = yield* rows(
          db
            .update(mailLinks)
            .set({ usedAt: now })
            .where(and(eq(mailLinks.hash, hash), eq(mailLinks.purpose, purpose), isNull(mailLinks.usedAt), gt(mailLinks.expiresAt, now)))
            .returning(),
        );
        return row ? (row as MailLink) : null;
      }),
    markEmailVerified: (userId, address, now, events = []) =>
      transaction(function* (db) {
        const changed = yield* changes(
          db
            .update(users)
            .set({ emailVerified: true, updatedAt: now })
            .where(and(eq(users.id, userId), eq(users.email, address), eq(users.emailVerified, false))),
        );
        if (changed > 0) yield* appendEvents(dialect.name, db, tables, now, events);
        return changed > 0;
      }),
    queueMail: (mail) =>
      run(function* (db) {
        yield* changes(db.insert(mails).values({ ...mail, leaseOwner: null, leaseUntil: null, doneAt: null, outcome: null }));
      }),
    claimMail: (owner, now, leaseMs) =>
      run(function* (db) {
        const due = and(isNull(mails.doneAt), lte(mails.nextAttemptAt, now), or(isNull(mails.leaseUntil), lte(mails.leaseUntil, now)));
        const candidates = yield* rows(db.select({ id: mails.id }).from(mails).where(due).orderBy(asc(mails.nextAttemptAt)).limit(10));
        for (const { id } of candidates) {
          // Of instances claiming one mail at once, one gets it.
          const [row] = yield* rows(
            db
              .update(mails)
              .set({ leaseOwner: owner, leaseUntil: now + leaseMs })
              .where(and(eq(mails.id, id), due))
              .returning(),
          );
          if (row) return mailFromRow(row);
        }
        return null;
      }),
    finishMail: (id, owner, outcome) =>
      run(function* (db) {
        const set = 'doneAt' in outcome ? { ...outcome } : { ...outcome, leaseOwner: null, leaseUntil: null };
        return (
          (yield* changes(
            db
              .update(mails)
              .set(set)
              .where(and(eq(mails.id, id), eq(mails.leaseOwner, owner))),
          )) > 0
        );
      }),
    findMail: (id) =>
      run(function* (db) {
        if (!storable(id)) return null;
        const [row] = yield* rows(db.select().from(mails).where(eq(mails.id, id)));
        return row ? { ...mailFromRow(row), doneAt: row.doneAt, outcome: row.outcome as MailOutcome | null } : null;
      }),
  };
}
