import { and, asc, desc, eq, isNull, lte, max, notInArray, or, sql } from 'drizzle-orm';
import type { DomainEventType } from '../domain/events.js';
import type { Webhook } from '../domain/webhooks.js';
import { changes, rows, storable, type Dialect, type Tables } from './dialect.js';
import { olderThanCursor, toPage } from './mappers.js';
import type { WebhookStore } from './types.js';

type WebhookRow = Tables['webhooks']['$inferSelect'];

const fromRow = ({ leaseOwner: _owner, leaseUntil: _until, ...r }: WebhookRow): Webhook => ({ ...r, events: JSON.parse(r.events) as DomainEventType[] });

export function webhookStore(dialect: Dialect, tables: Tables): WebhookStore {
  const { webhooks, webhookDeliveries, outbox } = tables;
  const { run, transaction } = dialect;
  const byId = (id: string) => eq(webhooks.id, id);
  return {
    insertWebhook: (webhook) =>
      transaction(function* (db) {
        // It receives the events that commit from now on.
        const [last] = yield* rows(db.select({ seq: max(outbox.seq) }).from(outbox));
        const row = { ...webhook, events: JSON.stringify(webhook.events), position: last?.seq ?? 0, failures: 0, failingSince: null, disabledAt: null };
        yield* changes(db.insert(webhooks).values(row), `webhook ${webhook.id}`);
        return fromRow({ ...row, leaseOwner: null, leaseUntil: null });
      }),
    findWebhook: (id) =>
      run(function* (db) {
        if (!storable(id)) return null;
        const [row] = yield* rows(db.select().from(webhooks).where(byId(id)));
        return row ? fromRow(row) : null;
      }),
    listWebhooks: ({ cursor, limit }) =>
      run(function* (db) {
        const found = yield* rows(
          db
            .select()
            .from(webhooks)
            .where(olderThanCursor(webhooks.createdAt, webhooks.id, cursor))
            .orderBy(desc(webhooks.createdAt), desc(webhooks.id))
            .limit(limit + 1),
        );
        return toPage(found, limit, (r) => r.createdAt, fromRow);
      }),
    deleteWebhook: (id) =>
      transaction(function* (db) {
        if (!storable(id)) return false;
        if ((yield* changes(db.delete(webhooks).where(byId(id)))) === 0) return false;
        yield* changes(db.delete(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)));
        return true;
      }),
    claimWebhook: (owner, now, leaseMs, skip = []) =>
      run(function* (db) {
        const free = or(isNull(webhooks.leaseUntil), lte(webhooks.leaseUntil, now));
        // Only an endpoint with an event past its position: an idle one costs no write.
        const pending = sql`exists (select 1 from ${outbox} where ${outbox.seq} > ${webhooks.position})`;
        const due = and(
          isNull(webhooks.disabledAt),
          lte(webhooks.nextAttemptAt, now),
          free,
          pending,
          skip.length > 0 ? notInArray(webhooks.id, [...skip]) : undefined,
        );
        const candidates = yield* rows(db.select({ id: webhooks.id }).from(webhooks).where(due).orderBy(asc(webhooks.nextAttemptAt)).limit(10));
        for (const { id } of candidates) {
          // A conditional write: of instances claiming one endpoint at once, one finds it free.
          const [row] = yield* rows(
            db
              .update(webhooks)
              .set({ leaseOwner: owner, leaseUntil: now + leaseMs })
              .where(and(byId(id), due))
              .returning(),
          );
          if (row) return fromRow(row);
        }
        return null;
      }),
    finishAttempt: (id, owner, outcome) =>
      transaction(function* (db) {
        if (outcome.delivery) yield* changes(db.insert(webhookDeliveries).values(outcome.delivery));
        const { delivery: _delivery, leaseUntil = null, ...state } = outcome;
        const set = { ...state, leaseOwner: leaseUntil === null ? null : owner, leaseUntil };
        return (
          (yield* changes(
            db
              .update(webhooks)
              .set(set)
              .where(and(byId(id), eq(webhooks.leaseOwner, owner))),
          )) > 0
        );
      }),
    recordDelivery: (delivery) =>
      run(function* (db) {
        yield* changes(db.insert(webhookDeliveries).values(delivery));
      }),
    listDeliveries: ({ webhookId, cursor, limit }) =>
      run(function* (db) {
        if (!storable(webhookId)) return { items: [], nextCursor: null };
        const found = yield* rows(
          db
            .select()
            .from(webhookDeliveries)
            .where(and(eq(webhookDeliveries.webhookId, webhookId), olderThanCursor(webhookDeliveries.at, webhookDeliveries.id, cursor)))
            .orderBy(desc(webhookDeliveries.at), desc(webhookDeliveries.id))
            .limit(limit + 1),
        );
        return toPage(
          found,
          limit,
          (r) => r.at,
          (r) => r,
        );
      }),
  };
}
