/**
 * What happened in Tessera, as integrators see it (webhooks) and as the process's own subscribers do
 * (metrics). An event counts as happened when the transaction that made the change commits: each is
 * written into the outbox inside that transaction (store/outbox.ts), so a crash never loses one and never
 * reports one whose change was rolled back.
 *
 * The audit log is the other subscriber, in the same transaction. The rule:
 * - A change that writes events writes its audit records with them: the store method takes the events and the
 *   change's audit side (`Audited`: the actor, the change's own record, and whether each session it ends gets a
 *   `family.revoked` record), and domain/audit.ts `auditRecords` makes the rows from both. The actor (name, IP, user
 *   agent, request id) travels only there, never in an event's payload. These are `user.created`, `user.updated`,
 *   `user.password_changed`, `user.disabled`, `user.deleted`, `user.families_revoked`, `family.revoked`,
 *   `refresh.reuse_detected`, `login.succeeded` (with session.started), `client.created`, `client.disabled`,
 *   `client.deleted`, `identity.linked` when an upstream sign-in creates the user, `factor.enrolled`, `factor.removed`
 *   and `factors.reset` (with factor.removed).
 * - Every other audit type has no event and keeps one direct `recordAudit` write after its change (services/audit.ts):
 *   what integrators have no use for as an event (a failed login, a backup, key encryption, the hosted login's codes,
 *   consents and browser sessions, logout, providers and identities, webhook endpoints), changes that end no session
 *   (`user.enabled`, `client.enabled`, `client.updated`, `client.secret_rotated`), and `key.rotated`, which records the
 *   operator's request (whether another instance's rotation won) while the key.rotated event records the key. A crash
 *   between such a change and its record can lose the record, never invent one. A new audit type follows the same
 *   rule: if its change gets an event, its record goes with the event.
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
  /** The user ended it on the account page or through GET/DELETE /account/sessions. */
  'user_signed_out',
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
  /** The user followed the link mailed to their address: it is verified now. */
  | { type: 'user.email_verified'; data: { userId: string } }
  | { type: 'session.started'; data: Session & { provider: string | null } }
  | { type: 'session.revoked'; data: Session & { reason: RevocationReason; note?: string } }
  | { type: 'session.reuse_detected'; data: Session }
  | { type: 'identity.unlinked'; data: { userId: string; providerId: string } }
  | { type: 'client.created'; data: { clientId: string } }
  | { type: 'client.deleted'; data: { clientId: string } }
  | { type: 'key.rotated'; data: { kid: string; alg: string; activatesAt: number } }
  | { type: 'api.created'; data: { apiId: string; identifier: string } }
  | { type: 'api.updated'; data: { apiId: string; identifier: string } }
  | { type: 'api.deleted'; data: { apiId: string } }
  | { type: 'role.created'; data: { role: string } }
  | { type: 'role.deleted'; data: { role: string } }
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
  'user.email_verified',
  'session.started',
  'session.revoked',
  'session.reuse_detected',
  'identity.unlinked',
  'client.created',
  'client.deleted',
  'key.rotated',
  'api.created',
  'api.updated',
  'api.deleted',
  'role.created',
  'role.deleted',
  'factor.enrolled',
  'factor.removed',
];

export const isDomainEventType = (value: string): value is DomainEventType => (domainEventTypes as readonly string[]).includes(value);

/** An event as the outbox keeps it: `seq` is its place in commit order, `at` when its change was made (epoch ms). */
export type StoredEvent = { seq: number; at: number; event: DomainEvent };
