/**
 * What happened in Tessera, as integrators see it (webhooks) and as the process's own subscribers do
 * (metrics). An event counts as happened when the transaction that made the change commits: each is
 * written into the outbox inside that transaction (store/outbox.ts), so a crash never loses one and never
 * reports one whose change was rolled back.
 */

/** Why a session (a refresh-token family) ended. */
export const revocationReasons = [
  /** A refresh token was presented again after its grace window (theft). */
  'reuse_detected',
  /** A login beyond the client's max_sessions ended the user's oldest session. */
  'max_sessions',
  'password_changed',
  'user_disabled',
  'user_deleted',
  'client_disabled',
  'client_deleted',
  /** /revoke, /logout, or a cookie-mode logout. */
  'logout',
  /** An authorization code was presented a second time (RFC 6749 §4.1.2). */
  'code_replayed',
  /** An operator (CLI or admin API); the text they typed, if any, is the event's `note`. */
  'operator',
] as const;

export type RevocationReason = (typeof revocationReasons)[number];

/** The reason an operator's revocation is stored under when they typed none. */
export const operatorDefaultReason = 'admin';

/**
 * A revocation as its event says it: a family's stored reason is one of the reasons above, or, for an
 * operator, the free text they typed (`admin` when none), which becomes the note.
 */
export function revocationOf(stored: string): { reason: RevocationReason; note?: string } {
  if (stored === operatorDefaultReason) return { reason: 'operator' };
  return (revocationReasons as readonly string[]).includes(stored) && stored !== 'operator'
    ? { reason: stored as RevocationReason }
    : { reason: 'operator', note: stored };
}

type Session = { sessionId: string; userId: string; clientId: string };

/** Every event, by type; `data` holds ids and outcomes only, never a secret or a password. */
export type DomainEvent =
  | { type: 'user.created'; data: { userId: string; username: string } }
  | { type: 'user.updated'; data: { userId: string; fields: string[] } }
  | { type: 'user.deleted'; data: { userId: string; username: string } }
  | { type: 'user.password_changed'; data: { userId: string } }
  | { type: 'session.started'; data: Session & { provider: string | null } }
  | { type: 'session.revoked'; data: Session & { reason: RevocationReason; note?: string } }
  | { type: 'session.reuse_detected'; data: Session }
  | { type: 'client.created'; data: { clientId: string } }
  | { type: 'client.deleted'; data: { clientId: string } }
  | { type: 'key.rotated'; data: { kid: string; alg: string; activatesAt: number } }
  | { type: 'factor.enrolled'; data: { userId: string; kind: FactorEventKind } }
  | { type: 'factor.removed'; data: { userId: string; kind: FactorEventKind | 'all' } };

/** What a factor event is about: a TOTP secret, the set of recovery codes, or a passkey. */
export type FactorEventKind = 'totp' | 'recovery_codes' | 'passkey';

export type DomainEventType = DomainEvent['type'];

export const domainEventTypes: readonly DomainEventType[] = [
  'user.created',
  'user.updated',
  'user.deleted',
  'user.password_changed',
  'session.started',
  'session.revoked',
  'session.reuse_detected',
  'client.created',
  'client.deleted',
  'key.rotated',
  'factor.enrolled',
  'factor.removed',
];

export const isDomainEventType = (value: string): value is DomainEventType => (domainEventTypes as readonly string[]).includes(value);

/** An event as the outbox keeps it: `seq` is its place in commit order, `at` when its change was made (epoch ms). */
export type StoredEvent = { seq: number; at: number; event: DomainEvent };
