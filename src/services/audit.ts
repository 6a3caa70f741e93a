import type { AuditEventType } from '../domain/audit-types.js';
import type { AuditEvent } from '../domain/types.js';
import type { AuditQuery, AuditStore } from '../store/types.js';
import type { Actor, Deps } from './deps.js';
import { auditTypeInput, pageInput, sinceInput, type PageInput } from './inputs.js';
import { auditView } from './views.js';

export type AuditInput = {
  type: AuditEventType;
  userId?: string | null;
  clientId?: string | null;
  familyId?: string | null;
  details?: Record<string, unknown>;
};

/** Writes one audit event. Callers pass ids and outcomes only: never a password, token or secret. */
export async function recordAudit(deps: Pick<Deps, 'clock' | 'ids'> & { store: AuditStore }, actor: Actor, input: AuditInput): Promise<AuditEvent> {
  const event: AuditEvent = {
    id: deps.ids.eventId(),
    at: deps.clock.now().getTime(),
    type: input.type,
    actor: actor.name,
    userId: input.userId ?? null,
    clientId: input.clientId ?? null,
    familyId: input.familyId ?? null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    requestId: actor.requestId ?? null,
    details: input.details ?? {},
  };
  await deps.store.insertAuditEvent(event);
  return event;
}

/** Events newest first, filtered by user (an id), `type` and `since` as an operator typed them. */
export async function listAudit(deps: Pick<Deps, 'store'>, filter: { userId?: string; type?: string; since?: string } & PageInput) {
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
