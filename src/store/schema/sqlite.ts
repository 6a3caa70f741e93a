import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Same table and column names as ./postgres.ts; timestamps are integer epoch milliseconds, lists are JSON text.

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  scopes: text('scopes'),
  email: text('email'),
  emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  disabledAt: integer('disabled_at'),
  /** Sessions whose password check came before this instant are refused (password change, disable). */
  sessionsValidAfter: integer('sessions_valid_after'),
});

export const clients = sqliteTable('clients', {
  id: text('id').primaryKey(),
  secretHash: text('secret_hash'),
  grants: text('grants').notNull(),
  scopes: text('scopes').notNull(),
  audience: text('audience'),
  maxSessions: integer('max_sessions'),
  refreshCookie: integer('refresh_cookie', { mode: 'boolean' }).notNull(),
  redirectUris: text('redirect_uris').notNull().default('[]'),
  postLogoutRedirectUris: text('post_logout_redirect_uris').notNull().default('[]'),
  thirdParty: integer('third_party', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  disabledAt: integer('disabled_at'),
  /** When it was last disabled: its tokens issued up to then stay refused after it is enabled again. */
  tokensRevokedAt: integer('tokens_revoked_at'),
  /** After a secret rotation with an overlap: the old secret's hash, accepted until previous_secret_expires_at. */
  previousSecretHash: text('previous_secret_hash'),
  previousSecretExpiresAt: integer('previous_secret_expires_at'),
});

export const families = sqliteTable(
  'families',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    clientId: text('client_id').notNull(),
    scope: text('scope').notNull(),
    audience: text('audience').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    lastUsedAt: integer('last_used_at').notNull(),
    revokedAt: integer('revoked_at'),
    revokeReason: text('revoke_reason'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('families_user_client_idx').on(t.userId, t.clientId), index('families_revoked_at_idx').on(t.revokedAt, t.id)],
);

export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    familyId: text('family_id').notNull(),
    hash: text('hash').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    successorId: text('successor_id'),
    successorSealed: text('successor_sealed'),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId), index('refresh_tokens_expires_idx').on(t.expiresAt)],
);

export const signingKeys = sqliteTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  seq: integer('seq').notNull().unique(),
  publicJwk: text('public_jwk').notNull(),
  privateJwk: text('private_jwk').notNull(),
  createdAt: integer('created_at').notNull(),
  activatesAt: integer('activates_at').notNull(),
});

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    userId: text('user_id'),
    clientId: text('client_id'),
    familyId: text('family_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** The X-Request-Id of the request that caused it, to find its log line; null for the CLI and the system. */
    requestId: text('request_id'),
    details: text('details').notNull(),
  },
  (t) => [index('audit_events_at_idx').on(t.at), index('audit_events_user_idx').on(t.userId, t.at), index('audit_events_type_idx').on(t.type, t.at)],
);

export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/** Clients deleted or disabled: published on the revocation feed so verifiers refuse their earlier tokens. */
export const clientRevocations = sqliteTable(
  'client_revocations',
  {
    clientId: text('client_id').notNull(),
    revokedAt: integer('revoked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.revokedAt] }), index('client_revocations_revoked_at_idx').on(t.revokedAt)],
);

// Authorization codes, browser sessions and consents keep epoch milliseconds.

export const authorizationCodes = sqliteTable(
  'authorization_codes',
  {
    hash: text('hash').primaryKey(),
    clientId: text('client_id').notNull(),
    userId: text('user_id').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    codeChallenge: text('code_challenge').notNull(),
    scope: text('scope').notNull(),
    nonce: text('nonce'),
    authTime: integer('auth_time').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    familyId: text('family_id'),
  },
  (t) => [index('authorization_codes_expires_idx').on(t.expiresAt)],
);

export const browserSessions = sqliteTable(
  'browser_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    createdAt: integer('created_at').notNull(),
    authTime: integer('auth_time').notNull(),
    expiresAt: integer('expires_at').notNull(),
    endedAt: integer('ended_at'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('browser_sessions_user_idx').on(t.userId), index('browser_sessions_expires_idx').on(t.expiresAt)],
);

export const consents = sqliteTable(
  'consents',
  {
    userId: text('user_id').notNull(),
    clientId: text('client_id').notNull(),
    scopes: text('scopes').notNull(),
    grantedAt: integer('granted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clientId] })],
);
