/**
 * Every type of audit event Tessera writes. `tessera audit --type` and `GET /admin/audit?type=`
 * accept only these, so a typo is an error rather than an empty listing.
 */
export const auditEventTypes = [
  'login.succeeded',
  'login.failed',
  'refresh.reuse_detected',
  'family.revoked',
  'user.created',
  'user.updated',
  'user.password_changed',
  'user.disabled',
  'user.enabled',
  'user.deleted',
  'user.families_revoked',
  'client.created',
  'client.updated',
  'client.secret_rotated',
  'client.deleted',
  'client.disabled',
  'client.enabled',
  'key.rotated',
  'key.encrypted',
  'store.backed_up',
  'authorization_code.issued',
  'authorization_code.replayed',
  'consent.granted',
  'browser_session.ended',
  'logout',
  'provider.added',
  'provider.removed',
  'identity.linked',
  'identity.unlinked',
  'webhook.added',
  'webhook.removed',
  'webhook.disabled',
  'factor.enrolled',
  'factor.removed',
  'factor.used',
  'factor.failed',
  'factors.reset',
] as const;

export type AuditEventType = (typeof auditEventTypes)[number];

export const isAuditEventType = (value: string): value is AuditEventType => (auditEventTypes as readonly string[]).includes(value);
