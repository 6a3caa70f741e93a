import type { Columns } from './columns.js';
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

/** Pushed authorization requests (RFC 9126) and the client assertions already used (RFC 7523 §3 jti); both pruned as they expire. */
function defineSenderConstraintTables(c: Columns) {
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

/** The APIs tokens are for (RFC 8707 resources), and roles: named sets of their scopes given to users. */
function defineApiTables(c: Columns) {
  const apis = c.table('apis', {
    id: c.text('id').primaryKey(),
    /** The `aud` of its tokens and the `resource` that asks for them. */
    identifier: c.text('identifier').notNull().unique(),
    name: c.text('name'),
    /** Its scopes with their descriptions, JSON text: [{ name, description }]. */
    scopes: c.text('scopes').notNull(),
    /** Seconds its access tokens live; null: ACCESS_TOKEN_TTL. */
    tokenTtl: c.int('token_ttl'),
    createdAt: c.instant('created_at').notNull(),
  });

  const roles = c.table('roles', {
    name: c.text('name').primaryKey(),
    /** "apiId:scope" entries, JSON text. */
    grants: c.text('grants').notNull(),
    createdAt: c.instant('created_at').notNull(),
  });

  const userRoles = c.table(
    'user_roles',
    {
      userId: c.text('user_id').notNull(),
      role: c.text('role').notNull(),
    },
    (t) => [c.primaryKey({ columns: [t.userId, t.role] }), c.index('user_roles_role_idx').on(t.role)],
  );

  return { apis, roles, userRoles };
}

/** Sign-in with upstream OpenID providers: their settings, the identities linked to users, and the round trips in flight. */
function defineUpstreamTables(c: Columns) {
  const providers = c.table('providers', {
    id: c.text('id').primaryKey(),
    issuer: c.text('issuer').notNull(),
    clientId: c.text('client_id').notNull(),
    /** Sealed with KEY_ENCRYPTION_KEY when it is set. */
    clientSecret: c.text('client_secret').notNull(),
    name: c.text('name').notNull(),
    scope: c.text('scope').notNull(),
    signup: c.bool('signup').notNull(),
    linkByEmail: c.bool('link_by_email').notNull(),
    /** Whether its id_tokens may be exchanged for Tessera access tokens (RFC 8693). */
    allowTokenExchange: c.bool('allow_token_exchange').notNull().default(false),
    createdAt: c.instant('created_at').notNull(),
  });

  const identities = c.table(
    'identities',
    {
      providerId: c.text('provider_id').notNull(),
      subject: c.text('subject').notNull(),
      userId: c.text('user_id').notNull(),
      /** The address the provider gave when the identity was linked. */
      email: c.text('email'),
      /** Whether the provider said the address was verified when it was last seen. */
      emailVerified: c.bool('email_verified').notNull().default(false),
      linkedAt: c.instant('linked_at').notNull(),
    },
    (t) => [c.primaryKey({ columns: [t.providerId, t.subject] }), c.index('identities_user_idx').on(t.userId)],
  );

  /** One sign-in at an upstream provider in flight: `id` is the hash of its `state`, `browser` the hash of the browser's binding cookie. */
  const upstreamLogins = c.table(
    'upstream_logins',
    {
      id: c.text('id').primaryKey(),
      providerId: c.text('provider_id').notNull(),
      browser: c.text('browser').notNull(),
      nonce: c.text('nonce').notNull(),
      codeVerifier: c.text('code_verifier').notNull(),
      request: c.text('request').notNull(),
      createdAt: c.instant('created_at').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
      usedAt: c.instant('used_at'),
    },
    (t) => [c.index('upstream_logins_expires_idx').on(t.expiresAt)],
  );

  return { providers, identities, upstreamLogins };
}

/** Domain events (domain/events.ts) and the webhooks they are delivered to. */
function defineEventTables(c: Columns) {
  /**
   * Every event, written in the transaction of the change it reports: `seq` numbers them in commit order
   * (assigned under the table's lock, store/outbox.ts). `event` is the DomainEvent as JSON.
   */
  const outbox = c.table(
    'outbox',
    {
      seq: c.int('seq').notNull(),
      at: c.instant('at').notNull(),
      type: c.text('type').notNull(),
      event: c.text('event').notNull(),
    },
    // A table-level key: as a column key SQLite's would number rows itself, and seq is always given.
    (t) => [c.primaryKey({ columns: [t.seq] }), c.index('outbox_at_idx').on(t.at)],
  );

  const webhooks = c.table('webhooks', {
    id: c.text('id').primaryKey(),
    url: c.text('url').notNull(),
    /** The event types it receives, JSON text. */
    events: c.text('events').notNull(),
    /** Sealed with KEY_ENCRYPTION_KEY when it is set. */
    secret: c.text('secret').notNull(),
    createdAt: c.instant('created_at').notNull(),
    disabledAt: c.instant('disabled_at'),
    /** The outbox seq of the last event delivered (or skipped as not subscribed): delivery goes on after it. */
    position: c.int('position').notNull(),
    /** Failed attempts at the event after `position`, and since when it has been failing. */
    failures: c.int('failures').notNull().default(0),
    failingSince: c.instant('failing_since'),
    nextAttemptAt: c.instant('next_attempt_at').notNull(),
    /** The instance delivering to it holds it until then (several instances never deliver one event at once). */
    leaseOwner: c.text('lease_owner'),
    leaseUntil: c.instant('lease_until'),
  });

  /** One line per delivery attempt: never the secret or the body. */
  const webhookDeliveries = c.table(
    'webhook_deliveries',
    {
      id: c.text('id').primaryKey(),
      webhookId: c.text('webhook_id').notNull(),
      messageId: c.text('message_id').notNull(),
      type: c.text('type').notNull(),
      attempt: c.int('attempt').notNull(),
      at: c.instant('at').notNull(),
      /** The receiver's HTTP status; null when none came (refused, timed out). */
      status: c.int('status'),
      ok: c.bool('ok').notNull(),
      error: c.text('error'),
    },
    (t) => [c.index('webhook_deliveries_webhook_idx').on(t.webhookId, t.at), c.index('webhook_deliveries_at_idx').on(t.at)],
  );

  return { outbox, webhooks, webhookDeliveries };
}

/** Mail: the links mailed to users (verification, password reset) and the mails waiting to be sent. */
function defineMailTables(c: Columns) {
  /** A single-use link: `hash` is the SHA-256 of the token in the mailed URL, which is kept nowhere. */
  const mailLinks = c.table(
    'mail_links',
    {
      hash: c.text('hash').primaryKey(),
      userId: c.text('user_id').notNull(),
      /** `verify_email` or `password_reset`. */
      purpose: c.text('purpose').notNull(),
      /** The address it was mailed to: a link for an address the user no longer has does nothing. */
      address: c.text('address').notNull(),
      createdAt: c.instant('created_at').notNull(),
      expiresAt: c.instant('expires_at').notNull(),
      usedAt: c.instant('used_at'),
    },
    (t) => [c.index('mail_links_expires_idx').on(t.expiresAt)],
  );

  /**
   * A mail to send, written when the change that calls for it is made and sent by whichever instance claims it
   * (services/mail/deliver.ts), retried until it goes or is given up. It holds no link: the link's token is made
   * when the mail is sent, so it never rests anywhere.
   */
  const mails = c.table(
    'mails',
    {
      id: c.text('id').primaryKey(),
      /** `verify_email`, `password_reset`, `password_changed`; null user: a reset asked for no account (sent nowhere). */
      kind: c.text('kind').notNull(),
      userId: c.text('user_id'),
      address: c.text('address'),
      locale: c.text('locale').notNull(),
      createdAt: c.instant('created_at').notNull(),
      nextAttemptAt: c.instant('next_attempt_at').notNull(),
      attempts: c.int('attempts').notNull().default(0),
      leaseOwner: c.text('lease_owner'),
      leaseUntil: c.instant('lease_until'),
      /** When it was sent, dropped or given up; `outcome` says which. */
      doneAt: c.instant('done_at'),
      outcome: c.text('outcome'),
    },
    (t) => [c.index('mails_due_idx').on(t.doneAt, t.nextAttemptAt)],
  );

  return { mailLinks, mails };
}
