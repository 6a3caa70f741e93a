import type { Columns } from './columns.js';

/** Domain events (domain/events.ts) and the webhooks they are delivered to. */
export function defineEventTables(c: Columns) {
  /**
   * Every event, written in the transaction of the change it reports: `seq` numbers them in commit order
   * (assigned under the table's lock, store/outbox.ts). `event` is the DomainEvent as JSON.
   */
  const outbox = c.table(
    'outbox',
    {
      seq: c.int('seq').notNull(),
      at: c.instant('at').notNull(),
      type: c.text('type').notNull(),
      event: c.text('event').notNull(),
    },
    // A table-level key: as a column key SQLite's would number rows itself, and seq is always given.
    (t) => [c.primaryKey({ columns: [t.seq] }), c.index('outbox_at_idx').on(t.at)],
  );

  const webhooks = c.table('webhooks', {
    id: c.text('id').primaryKey(),
    url: c.text('url').notNull(),
    /** The event types it receives, JSON text. */
    events: c.text('events').notNull(),
    /** Sealed with KEY_ENCRYPTION_KEY when it is set. */
    secret: c.text('secret').notNull(),
    createdAt: c.instant('created_at').notNull(),
    disabledAt: c.instant('disabled_at'),
    /** The outbox seq of the last event delivered (or skipped as not subscribed): delivery goes on after it. */
    position: c.int('position').notNull(),
    /** Failed attempts at the event after `position`, and since when it has been failing. */
    failures: c.int('failures').notNull().default(0),
    failingSince: c.instant('failing_since'),
    nextAttemptAt: c.instant('next_attempt_at').notNull(),
    /** The instance delivering to it holds it until then (several instances never deliver one event at once). */
    leaseOwner: c.text('lease_owner'),
    leaseUntil: c.instant('lease_until'),
  });

  /** One line per delivery attempt: never the secret or the body. */
  const webhookDeliveries = c.table(
    'webhook_deliveries',
    {
      id: c.text('id').primaryKey(),
      webhookId: c.text('webhook_id').notNull(),
      messageId: c.text('message_id').notNull(),
      type: c.text('type').notNull(),
      attempt: c.int('attempt').notNull(),
      at: c.instant('at').notNull(),
      /** The receiver's HTTP status; null when none came (refused, timed out). */
      status: c.int('status'),
      ok: c.bool('ok').notNull(),
      error: c.text('error'),
    },
    (t) => [c.index('webhook_deliveries_webhook_idx').on(t.webhookId, t.at), c.index('webhook_deliveries_at_idx').on(t.at)],
  );

  return { outbox, webhooks, webhookDeliveries };
}
