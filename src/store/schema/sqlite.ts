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
  providers,
  identities,
  upstreamLogins,
  outbox,
  webhooks,
  webhookDeliveries,
  mailLinks,
  mails,
} = defineTables(sqliteColumns);
