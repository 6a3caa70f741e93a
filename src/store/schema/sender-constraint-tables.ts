import type { Columns } from './columns.js';

/** Pushed authorization requests (RFC 9126) and the client assertions already used (RFC 7523 §3 jti); both pruned as they expire. */
export function defineSenderConstraintTables(c: Columns) {
  const parRequests = c.table(
    'par_requests',
    {
      /** SHA-256 of the request_uri; the URI itself is never stored. */
      hash: c.text('hash').primaryKey(),
      clientId: c.text('client_id').notNull(),
      /** The authorization request's parameters, JSON text. */
      params: c.text('params').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
      usedAt: c.instant('used_at'),
    },
    (t) => [c.index('par_requests_expires_idx').on(t.expiresAt)],
  );

  const clientAssertionJtis = c.table(
    'client_assertion_jtis',
    {
      clientId: c.text('client_id').notNull(),
      jti: c.text('jti').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
    },
    (t) => [c.primaryKey({ columns: [t.clientId, t.jti] }), c.index('client_assertion_jtis_expires_idx').on(t.expiresAt)],
  );

  return { parRequests, clientAssertionJtis };
}
