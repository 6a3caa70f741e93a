import { bigint, boolean, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

// Same table and column names as ./sqlite.ts; timestamps are bigint epoch milliseconds (read as numbers), lists are JSON text.

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  scopes: text('scopes'),
  email: text('email'),
  emailVerified: boolean('email_verified').notNull().default(false),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  disabledAt: bigint('disabled_at', { mode: 'number' }),
  /** Sessions whose password check came before this instant are refused (password change, disable). */
  sessionsValidAfter: bigint('sessions_valid_after', { mode: 'number' }),
});

export const clients = pgTable('clients', {
  id: text('id').primaryKey(),
  secretHash: text('secret_hash'),
  grants: text('grants').notNull(),
  scopes: text('scopes').notNull(),
  audience: text('audience'),
  maxSessions: integer('max_sessions'),
  refreshCookie: boolean('refresh_cookie').notNull(),
  redirectUris: text('redirect_uris').notNull().default('[]'),
  postLogoutRedirectUris: text('post_logout_redirect_uris').notNull().default('[]'),
  thirdParty: boolean('third_party').notNull().default(false),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  disabledAt: bigint('disabled_at', { mode: 'number' }),
  /** When it was last disabled: its tokens issued up to then stay refused after it is enabled again. */
  tokensRevokedAt: bigint('tokens_revoked_at', { mode: 'number' }),
  /** After a secret rotation with an overlap: the old secret's hash, accepted until previous_secret_expires_at. */
  previousSecretHash: text('previous_secret_hash'),
  previousSecretExpiresAt: bigint('previous_secret_expires_at', { mode: 'number' }),
});

export const families = pgTable(
  'families',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    clientId: text('client_id').notNull(),
    scope: text('scope').notNull(),
    audience: text('audience').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    lastUsedAt: bigint('last_used_at', { mode: 'number' }).notNull(),
    revokedAt: bigint('revoked_at', { mode: 'number' }),
    revokeReason: text('revoke_reason'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('families_user_client_idx').on(t.userId, t.clientId), index('families_revoked_at_idx').on(t.revokedAt, t.id)],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    familyId: text('family_id').notNull(),
    hash: text('hash').notNull().unique(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    usedAt: bigint('used_at', { mode: 'number' }),
    successorId: text('successor_id'),
    successorSealed: text('successor_sealed'),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId), index('refresh_tokens_expires_idx').on(t.expiresAt)],
);

export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  seq: integer('seq').notNull().unique(),
  publicJwk: text('public_jwk').notNull(),
  privateJwk: text('private_jwk').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  activatesAt: bigint('activates_at', { mode: 'number' }).notNull(),
});

export const auditEvents = pgTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    at: bigint('at', { mode: 'number' }).notNull(),
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

export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: bigint('window_start', { mode: 'number' }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/** Clients deleted or disabled: published on the revocation feed so verifiers refuse their earlier tokens. */
export const clientRevocations = pgTable(
  'client_revocations',
  {
    clientId: text('client_id').notNull(),
    revokedAt: bigint('revoked_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.revokedAt] }), index('client_revocations_revoked_at_idx').on(t.revokedAt)],
);

// Authorization codes, browser sessions and consents keep epoch milliseconds.

export const authorizationCodes = pgTable(
  'authorization_codes',
  {
    hash: text('hash').primaryKey(),
    clientId: text('client_id').notNull(),
    userId: text('user_id').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    codeChallenge: text('code_challenge').notNull(),
    scope: text('scope').notNull(),
    nonce: text('nonce'),
    authTime: bigint('auth_time', { mode: 'number' }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    usedAt: bigint('used_at', { mode: 'number' }),
    familyId: text('family_id'),
  },
  (t) => [index('authorization_codes_expires_idx').on(t.expiresAt)],
);

export const browserSessions = pgTable(
  'browser_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    authTime: bigint('auth_time', { mode: 'number' }).notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    endedAt: bigint('ended_at', { mode: 'number' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('browser_sessions_user_idx').on(t.userId), index('browser_sessions_expires_idx').on(t.expiresAt)],
);

export const consents = pgTable(
  'consents',
  {
    userId: text('user_id').notNull(),
    clientId: text('client_id').notNull(),
    scopes: text('scopes').notNull(),
    grantedAt: bigint('granted_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clientId] })],
);
