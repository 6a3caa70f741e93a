import { and, eq, gt, isNull, type SQL } from 'drizzle-orm';
import { auditRecords, type Audited } from '../domain/audit.js';
import { revocationOf, type DomainEvent } from '../domain/events.js';
import { insertAuditRecords } from './audit.js';
import { changes, rows, type Db, type Dialect, type Step, type Tables } from './dialect.js';
import { appendEvents } from './outbox.js';
import type { Events } from './types.js';

/**
 * Ends a change's transaction: its audit records (domain/audit.ts, from the same events) and its events in the
 * outbox (store/outbox.ts), both committed with the change or not at all.
 */
export function* recordChange(dialect: Dialect, db: Db, tables: Tables, at: number, events: Events, audited?: Audited): Generator<Step, void, unknown> {
  if (audited) yield* insertAuditRecords(db, tables, auditRecords(audited, events, at));
  yield* appendEvents(dialect.name, db, tables, at, events);
}

export type SessionEnds = ReturnType<typeof sessionEnds>;

/**
 * The steps every capability that ends sessions shares (a password change, a disabled or deleted user or client,
 * max_sessions, a revocation), each run inside the caller's transaction, and the outbox write that ends one.
 */
export function sessionEnds(dialect: Dialect, tables: Tables) {
  const { families, clientRevocations } = tables;

  /** Writes a change's audit records and events as its transaction's last step. */
  const append = (db: Db, at: number, events: Events, audited?: Audited) => recordChange(dialect, db, tables, at, events, audited);

  const liveFamily = (now: number) => and(isNull(families.revokedAt), gt(families.expiresAt, now));

  /**
   * Revokes the live families `where` selects, then writes `events` and a `session.revoked` event for each, ending the
   * transaction. `events` only when it revoked one: where the revocation is the whole change.
   */
  function* revokeWhere(
    db: Db,
    where: SQL | undefined,
    reason: string,
    now: number,
    events: Events = [],
    audited: Audited | undefined = undefined,
    { onlyIfRevoked = false } = {},
  ) {
    const revoked = yield* rows(
      db
        .update(families)
        .set({ revokedAt: now, revokeReason: reason })
        .where(and(where, isNull(families.revokedAt)))
        .returning({ id: families.id, userId: families.userId, clientId: families.clientId }),
    );
    const how = revocationOf(reason);
    const ended = revoked.map((f): DomainEvent => ({ type: 'session.revoked', data: { sessionId: f.id, userId: f.userId, clientId: f.clientId, ...how } }));
    // The audit records stay: a request that found nothing to end is on record as such.
    yield* append(db, now, onlyIfRevoked && revoked.length === 0 ? [] : [...events, ...ended], audited);
    return revoked.map((r) => r.id);
  }

  /** Publishes the client on the revocation feed and ends its sessions. */
  function* endClient(db: Db, id: string, reason: string, now: number, events: Events, audited?: Audited) {
    yield* changes(db.insert(clientRevocations).values({ clientId: id, revokedAt: now }).onConflictDoNothing());
    return yield* revokeWhere(db, and(eq(families.clientId, id), gt(families.expiresAt, now)), reason, now, events, audited);
  }

  /** Ends every session of a user whose row `update` changed (password or disable). */
  function* endUserSessions(db: Db, id: string, update: { run(): unknown }, reason: string, now: number, events: Events, audited?: Audited) {
    if ((yield* changes(update)) === 0) return null;
    return yield* revokeWhere(db, and(eq(families.userId, id), gt(families.expiresAt, now)), reason, now, events, audited);
  }

  return { append, liveFamily, revokeWhere, endClient, endUserSessions };
}
