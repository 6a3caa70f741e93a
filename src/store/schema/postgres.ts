import { bigint, boolean, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { defineTables, type Columns } from './tables.js';

/** PostgreSQL's builders for the same tables: instants are bigint (read as numbers), flags boolean. */
const pgColumns = {
  table: pgTable,
  text,
  instant: (name: string) => bigint(name, { mode: 'number' }),
  int: (name: string) => integer(name),
  bool: (name: string) => boolean(name),
  index,
  primaryKey,
};

export const {
  users,
  clients,
  families,
  refreshTokens,
  signingKeys,
  auditEvents,
  rateLimits,
  clientRevocations,
  tokenRevocations,
  authorizationCodes,
  browserSessions,
  consents,
  dpopProofs,
  registrationTokens,
  providers,
  identities,
  upstreamLogins,
  outbox,
  webhooks,
  webhookDeliveries,
  parRequests,
  clientAssertionJtis,
  mailLinks,
  mails,
  apis,
  roles,
  userRoles,
  factors,
  passkeys,
  webauthnChallenges,
} = defineTables(pgColumns as unknown as Columns);
