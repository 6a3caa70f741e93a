import { defineTables, sqliteColumns } from './tables.js';

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
  registrationTokens,
  providers,
  identities,
  upstreamLogins,
  outbox,
  webhooks,
  webhookDeliveries,
} = defineTables(sqliteColumns);
