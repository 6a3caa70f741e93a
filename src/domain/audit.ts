import type { AuditEventType } from './audit-types.js';
import { operatorDefaultReason, type DomainEvent } from './events.js';
import type { AuditEvent } from './types.js';

/** Who asked for an operation and from where; recorded in the audit log, never in an event's payload. */
export type Actor = {
  /** `cli`, `admin:<sub>`, `user:<id>`, `client:<id>` or `system`. */
  name: string;
  ip?: string | null;
  userAgent?: string | null;
  /** The X-Request-Id of the HTTP request, which its request log line carries too. */
  requestId?: string | null;
};

/** One audit record as the change that writes it describes it; the store completes it when the change commits. */
export type AuditEntry = {
  type: AuditEventType;
  userId?: string | null;
  clientId?: string | null;
  familyId?: string | null;
  details?: Record<string, unknown>;
  /** Adds the sessions the change ended to `details`: their number as `revoked_families`, or their ids as `families`. */
  ended?: 'count' | 'ids';
};

/**
 * The audit side of a change that writes domain events: who made it, its own records, and whether each session it
 * ends gets a `family.revoked` record of its own. Store methods that take events take this too and write both
 * in one transaction, through auditRecords below.
 */
export type Audited = {
  actor: Actor;
  /** Mints audit record ids (Ids.eventId), called once per record, in order. */
  newId: () => string;
  entries: readonly AuditEntry[];
  eachEnded?: boolean;
};

/** The reason a revoked family is stored and audited under, from its session.revoked event. */
const storedReason = (data: { reason: string; note?: string }) => (data.reason === 'operator' ? (data.note ?? operatorDefaultReason) : data.reason);

/**
 * The audit records of a committed change, from its events (all of them: those the caller gave and the
 * session.revoked ones the store added) and its Audited context: first one `family.revoked` per ended session when
 * `eachEnded`, then the change's own entries. Pure: ids come from `newId`, the instant is the change's.
 */
export function auditRecords(audited: Audited, events: readonly DomainEvent[], at: number): AuditEvent[] {
  const ended = events.flatMap((e) => (e.type === 'session.revoked' ? [e.data] : []));
  const { actor } = audited;
  const record = (entry: Omit<AuditEntry, 'ended'>): AuditEvent => ({
    id: audited.newId(),
    at,
    type: entry.type,
    actor: actor.name,
    userId: entry.userId ?? null,
    clientId: entry.clientId ?? null,
    familyId: entry.familyId ?? null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    requestId: actor.requestId ?? null,
    details: entry.details ?? {},
  });
  const perSession = audited.eachEnded
    ? ended.map((s) => record({ type: 'family.revoked', userId: s.userId, clientId: s.clientId, familyId: s.sessionId, details: { reason: storedReason(s) } }))
    : [];
  const own = audited.entries.map(({ ended: with_, ...entry }) => {
    if (with_ === undefined) return record(entry);
    const add = with_ === 'count' ? { revoked_families: ended.length } : { families: ended.map((s) => s.sessionId) };
    return record({ ...entry, details: { ...entry.details, ...add } });
  });
  return [...perSession, ...own];
}
