import type { Columns } from './columns.js';
import { defineSenderConstraintTables } from './sender-constraint-tables.js';
import { defineApiTables } from './api-tables.js';
import { defineUpstreamTables } from './upstream-tables.js';
import { defineEventTables } from './event-tables.js';
import { defineMailTables } from './mail-tables.js';
import { defineFactorTables } from './factor-tables.js';

export { sqliteColumns, type Columns } from './columns.js';

/** Every table, for either dialect. Lists (scopes, grants, redirect URIs) are JSON text. */
export function defineTables(c: Columns) {
  const users = c.table('users', {
    id: c.text('id').primaryKey(),
    username: c.text('username').notNull().unique(),
    passwordHash: c.text('password_hash').notNull(),
    scopes: c.text('scopes'),
    email: c.text('email'),
    emailVerified: c.bool('email_verified').notNull().default(false),
    /** OpenID standard profile claims (scope `profile`); each optional. */
    name: c.text('name'),
    givenName: c.text('given_name'),
    familyName: c.text('family_name'),
    picture: c.text('picture'),
    locale: c.text('locale'),
    createdAt: c.instant('created_at').notNull(),
    /** The OpenID `updated_at` claim: the last change of the profile or the address; null until the first change. */
    updatedAt: c.instant('updated_at'),
    disabledAt: c.instant('disabled_at'),
    /** Sessions whose password check came before this instant are refused (password change, disable). */
    sessionsValidAfter: c.instant('sessions_valid_after'),
    /** False for a user made by an upstream sign-in until a password is set: the identity is then its only way in. */
    passwordSet: c.bool('password_set').notNull().default(true),
  });

  const clients = c.table('clients', {
    id: c.text('id').primaryKey(),
    secretHash: c.text('secret_hash'),
    grants: c.text('grants').notNull(),
    scopes: c.text('scopes').notNull(),
    audience: c.text('audience'),
    maxSessions: c.int('max_sessions'),
    refreshCookie: c.bool('refresh_cookie').notNull(),
    redirectUris: c.text('redirect_uris').notNull().default('[]'),
    postLogoutRedirectUris: c.text('post_logout_redirect_uris').notNull().default('[]'),
    thirdParty: c.bool('third_party').notNull().default(false),
    /** The name the hosted pages show for the client (its id when null), and an optional https logo. */
    name: c.text('name'),
    logoUri: c.text('logo_uri'),
    /** Every sign-in to it needs a second factor (contract section 12). */
    requireMfa: c.bool('require_mfa').notNull().default(false),
    createdAt: c.instant('created_at').notNull(),
    disabledAt: c.instant('disabled_at'),
    /** When it was last disabled: its tokens issued up to then stay refused after it is enabled again. */
    tokensRevokedAt: c.instant('tokens_revoked_at'),
    /** After a secret rotation with an overlap: the old secret's hash, accepted until previous_secret_expires_at. */
    previousSecretHash: c.text('previous_secret_hash'),
    previousSecretExpiresAt: c.instant('previous_secret_expires_at'),
    /** RFC 9449 §5.2 `dpop_bound_access_tokens`: every token request of this client must carry a DPoP proof. */
    dpopBoundAccessTokens: c.bool('dpop_bound_access_tokens').notNull().default(false),
    /** private_key_jwt (RFC 7523): the client's public keys as a JWKS (JSON text), or where to fetch them. */
    jwks: c.text('jwks'),
    jwksUri: c.text('jwks_uri'),
    /** RFC 9126 require_pushed_authorization_requests. */
    requirePar: c.bool('require_par').notNull().default(false),
    /** A security profile that sets the flags above and more (`fapi2`); null for none. */
    profile: c.text('profile'),
    /** `operator` (CLI, admin API) or `dynamic` (RFC 7591 at /register). */
    registeredBy: c.text('registered_by').notNull().default('operator'),
    /** The registered APIs (ids, JSON text) it may ask tokens for, and the one a request without `resource` gets (null: its own audience). */
    apis: c.text('apis').notNull().default('[]'),
    defaultApi: c.text('default_api'),
  });

  const families = c.table(
    'families',
    {
      id: c.text('id').primaryKey(),
      userId: c.text('user_id').notNull(),
      clientId: c.text('client_id').notNull(),
      scope: c.text('scope').notNull(),
      audience: c.text('audience').notNull(),
      createdAt: c.instant('created_at').notNull(),
      /** When the user signed in (OpenID `auth_time` of the id_tokens a refresh issues); null for families from before it was kept. */
      authTime: c.instant('auth_time'),
      expiresAt: c.instant('expires_at').notNull(),
      lastUsedAt: c.instant('last_used_at').notNull(),
      revokedAt: c.instant('revoked_at'),
      revokeReason: c.text('revoke_reason'),
      userAgent: c.text('user_agent'),
      ip: c.text('ip'),
      /** The upstream provider the user signed in with (README, "Sign in with Google / Kakao / another provider"); null for a password. */
      provider: c.text('provider'),
      /** The DPoP key (RFC 7638 thumbprint) a public client's refresh tokens are bound to (RFC 9449 §5); null when unbound. */
      dpopJkt: c.text('dpop_jkt'),
      /** The browser session whose sign-in approved the code that started it (the account page's "this browser"); null without one. */
      browserSessionId: c.text('browser_session_id'),
      /** What the login granted per API identifier (JSON text); null: only `audience` with `scope` (families from before APIs). */
      grants: c.text('grants'),
      /** How the user signed in (RFC 8176 amr values, space-separated); null for families from before it was kept. */
      amr: c.text('amr'),
    },
    (t) => [c.index('families_user_client_idx').on(t.userId, t.clientId), c.index('families_revoked_at_idx').on(t.revokedAt, t.id)],
  );

  const refreshTokens = c.table(
    'refresh_tokens',
    {
      id: c.text('id').primaryKey(),
      familyId: c.text('family_id').notNull(),
      hash: c.text('hash').notNull().unique(),
      createdAt: c.instant('created_at').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
      usedAt: c.instant('used_at'),
      successorId: c.text('successor_id'),
      successorSealed: c.text('successor_sealed'),
    },
    (t) => [c.index('refresh_tokens_family_idx').on(t.familyId), c.index('refresh_tokens_expires_idx').on(t.expiresAt)],
  );

  const signingKeys = c.table('signing_keys', {
    kid: c.text('kid').primaryKey(),
    alg: c.text('alg').notNull(),
    seq: c.int('seq').notNull().unique(),
    publicJwk: c.text('public_jwk').notNull(),
    privateJwk: c.text('private_jwk').notNull(),
    createdAt: c.instant('created_at').notNull(),
    activatesAt: c.instant('activates_at').notNull(),
  });

  const auditEvents = c.table(
    'audit_events',
    {
      id: c.text('id').primaryKey(),
      at: c.instant('at').notNull(),
      type: c.text('type').notNull(),
      actor: c.text('actor').notNull(),
      userId: c.text('user_id'),
      clientId: c.text('client_id'),
      familyId: c.text('family_id'),
      ip: c.text('ip'),
      userAgent: c.text('user_agent'),
      /** The X-Request-Id of the request that caused it, to find its log line; null for the CLI and the system. */
      requestId: c.text('request_id'),
      details: c.text('details').notNull(),
    },
    (t) => [c.index('audit_events_at_idx').on(t.at), c.index('audit_events_user_idx').on(t.userId, t.at), c.index('audit_events_type_idx').on(t.type, t.at)],
  );

  const rateLimits = c.table(
    'rate_limits',
    {
      key: c.text('key').notNull(),
      windowStart: c.instant('window_start').notNull(),
      count: c.int('count').notNull(),
    },
    (t) => [c.primaryKey({ columns: [t.key, t.windowStart] })],
  );

  /** Clients deleted or disabled: published on the revocation feed so verifiers refuse their earlier tokens. */
  const clientRevocations = c.table(
    'client_revocations',
    {
      clientId: c.text('client_id').notNull(),
      revokedAt: c.instant('revoked_at').notNull(),
    },
    (t) => [c.primaryKey({ columns: [t.clientId, t.revokedAt] }), c.index('client_revocations_revoked_at_idx').on(t.revokedAt)],
  );

  /** Access tokens without a family (client_credentials) revoked at /revoke: on the feed by jti until they expire. */
  const tokenRevocations = c.table(
    'token_revocations',
    {
      jti: c.text('jti').primaryKey(),
      clientId: c.text('client_id').notNull(),
      revokedAt: c.instant('revoked_at').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
    },
    (t) => [c.index('token_revocations_revoked_at_idx').on(t.revokedAt), c.index('token_revocations_expires_idx').on(t.expiresAt)],
  );

  const authorizationCodes = c.table(
    'authorization_codes',
    {
      hash: c.text('hash').primaryKey(),
      clientId: c.text('client_id').notNull(),
      userId: c.text('user_id').notNull(),
      redirectUri: c.text('redirect_uri').notNull(),
      codeChallenge: c.text('code_challenge').notNull(),
      scope: c.text('scope').notNull(),
      nonce: c.text('nonce'),
      authTime: c.instant('auth_time').notNull(),
      createdAt: c.instant('created_at').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
      usedAt: c.instant('used_at'),
      familyId: c.text('family_id'),
      provider: c.text('provider'),
      /** `dpop_jkt` of the authorization request (RFC 9449 §10): the token request must prove this key. */
      dpopJkt: c.text('dpop_jkt'),
      browserSessionId: c.text('browser_session_id'),
      /** What the user approved per API identifier (JSON text), and the identifier the first token is for. */
      grants: c.text('grants'),
      audience: c.text('audience'),
      amr: c.text('amr'),
    },
    (t) => [c.index('authorization_codes_expires_idx').on(t.expiresAt)],
  );

  const browserSessions = c.table(
    'browser_sessions',
    {
      id: c.text('id').primaryKey(),
      userId: c.text('user_id').notNull(),
      createdAt: c.instant('created_at').notNull(),
      authTime: c.instant('auth_time').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
      endedAt: c.instant('ended_at'),
      ip: c.text('ip'),
      userAgent: c.text('user_agent'),
      provider: c.text('provider'),
      /** How the user signed in to this browser (RFC 8176 amr values, space-separated). */
      amr: c.text('amr'),
    },
    (t) => [c.index('browser_sessions_user_idx').on(t.userId), c.index('browser_sessions_expires_idx').on(t.expiresAt)],
  );

  /**
   * DPoP proofs seen (RFC 9449 §11.1): `hash` is SHA-256 of the key thumbprint and the proof's jti, so a proof
   * is accepted once across every instance; kept until its iat window has passed.
   */
  const dpopProofs = c.table(
    'dpop_proofs',
    {
      hash: c.text('hash').primaryKey(),
      expiresAt: c.instant('expires_at').notNull(),
    },
    (t) => [c.index('dpop_proofs_expires_idx').on(t.expiresAt)],
  );

  const consents = c.table(
    'consents',
    {
      userId: c.text('user_id').notNull(),
      clientId: c.text('client_id').notNull(),
      scopes: c.text('scopes').notNull(),
      grantedAt: c.instant('granted_at').notNull(),
    },
    (t) => [c.primaryKey({ columns: [t.userId, t.clientId] })],
  );

  /** Initial access tokens for POST /register (RFC 7591 §3): only the SHA-256 of each is kept. */
  const registrationTokens = c.table('registration_tokens', {
    id: c.text('id').primaryKey(),
    hash: c.text('hash').notNull().unique(),
    createdAt: c.instant('created_at').notNull(),
    /** Null: valid until revoked. */
    expiresAt: c.instant('expires_at'),
    /** How many registrations it may make; null: any number. */
    maxUses: c.int('max_uses'),
    uses: c.int('uses').notNull().default(0),
    revokedAt: c.instant('revoked_at'),
  });

  return {
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
    ...defineUpstreamTables(c),
    ...defineEventTables(c),
    ...defineSenderConstraintTables(c),
    ...defineMailTables(c),
    ...defineApiTables(c),
    ...defineFactorTables(c),
  };
}
