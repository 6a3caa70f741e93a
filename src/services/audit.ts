import { auditRecords, type AuditEntry, type Audited } from '../domain/audit.js';
import type { AuditEventType } from '../domain/audit-types.js';
import type { AuditEvent } from '../domain/types.js';
import type { AuditQuery, AuditStore } from '../store/types.js';
import type { Actor, Uses } from './deps.js';
import { auditTypeInput, pageInput, sinceInput, type PageInput } from './inputs.js';
import { auditView } from './views.js';

export type AuditInput = {
  type: AuditEventType;
  userId?: string | null;
  clientId?: string | null;
  familyId?: string | null;
  details?: Record<string, unknown>;
};

/**
 * The audit side of a change that writes domain events, for the store method that makes the change: it writes these
 * records in the change's own transaction (domain/events.ts says which audit types go this way).
 */
export function audited(deps: Uses<'ids'>, actor: Actor, entries: readonly AuditEntry[], { eachEnded = false } = {}): Audited {
  return { actor, newId: () => deps.ids.eventId(), entries, eachEnded };
}

/**
 * Writes one audit event on its own, for the audit types that have no domain event (domain/events.ts). Callers pass
 * ids and outcomes only: never a password, token or secret.
 */
export async function recordAudit(deps: Uses<'clock' | 'ids', AuditStore>, actor: Actor, input: AuditInput): Promise<AuditEvent> {
  const [event] = auditRecords(audited(deps, actor, [input]), [], deps.clock.now().getTime()) as [AuditEvent];
  await deps.store.insertAuditEvent(event);
  return event;
}

/** Events newest first, filtered by user (an id), `type` and `since` as an operator typed them. */
export async function listAudit(deps: Uses<never, AuditStore>, filter: { userId?: string; type?: string; since?: string } & PageInput) {
  const type = auditTypeInput(filter.type);
  const since = sinceInput(filter.since);
  const query: AuditQuery = {
    ...pageInput(filter),
    ...(filter.userId !== undefined ? { userId: filter.userId } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(since !== undefined ? { since } : {}),
  };
  const result = await deps.store.listAuditEvents(query);
  return { events: result.items.map(auditView), next_cursor: result.nextCursor };
}
