/** Records as the domain sees them. Instants are epoch milliseconds; durations in Config are seconds. */

/** RFC 8693 §2.1: exchanging a token for another (for another API, or narrower), with `act` naming the exchanging client. */
export const tokenExchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';

export const grantTypes = ['password', 'client_credentials', 'refresh_token', 'authorization_code', tokenExchangeGrant] as const;
export type GrantType = (typeof grantTypes)[number];

export type User = {
  id: string;
  /** Normalised (NFKC, case-folded); unique. */
  username: string;
  passwordHash: string;
  /** The scopes this user may be granted; null means whatever the client allows. */
  scopes: string[] | null;
  /** Shown to clients as the OpenID `email` claim (scope `email`); optional. */
  email: string | null;
  emailVerified: boolean;
  /** OpenID standard profile claims (scope `profile`); null when not set. */
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  /** An https URL of the user's picture. */
  picture: string | null;
  /** A BCP 47 language tag. */
  locale: string | null;
  createdAt: number;
  /** The last change of the profile or the address (OpenID `updated_at`); null until the first one. */
  updatedAt: number | null;
  disabledAt: number | null;
  /** A login whose password was checked before this instant starts no session (set by a password change or disable). */
  sessionsValidAfter: number | null;
  /** Whether the user knows a password: false for one an upstream sign-in created, until a password is set. */
  passwordSet: boolean;
};

export type Client = {
  id: string;
  /** SHA-256 of the secret for confidential clients; null for public ones. */
  secretHash: string | null;
  grants: GrantType[];
  scopes: string[];
  /** The `aud` of its tokens when the request names none. */
  audience: string | null;
  maxSessions: number | null;
  refreshCookie: boolean;
  /** Where /authorize may send the browser back (authorization code grant). */
  redirectUris: string[];
  /** Where /logout may send the browser afterwards (OpenID RP-Initiated Logout). */
  postLogoutRedirectUris: string[];
  /** A third-party client asks the user's consent on the hosted pages; a first-party one does not. */
  thirdParty: boolean;
  /** What the hosted pages call the client (its id when null). */
  name: string | null;
  /** An https URL of its logo, shown on the hosted pages. */
  logoUri: string | null;
  /** Every sign-in to it needs a second factor (contract section 12). */
  requireMfa: boolean;
  createdAt: number;
  /** A disabled client authenticates nowhere and its tokens are refused; null while enabled. */
  disabledAt: number | null;
  /** When it was last disabled: its access tokens issued up to then stay refused after it is enabled again. */
  tokensRevokedAt: number | null;
  /** After a secret rotation with an overlap, the old secret's SHA-256, accepted until `previousSecretExpiresAt`. */
  previousSecretHash: string | null;
  previousSecretExpiresAt: number | null;
  /** RFC 9449 §5.2: its token requests must carry a DPoP proof (`--require-dpop`). */
  dpopBoundAccessTokens: boolean;
  /** private_key_jwt (RFC 7523 §2.2): its public keys as a JWKS (JSON text), or the https URL they are fetched from. */
  jwks: string | null;
  jwksUri: string | null;
  /** Its authorization requests must be pushed first (RFC 9126 §5 require_pushed_authorization_requests). */
  requirePar: boolean;
  /** A security profile: `fapi2` (FAPI 2.0 Security Profile) implies the flags above and private_key_jwt. */
  profile: ClientProfile | null;
  /** `operator`: made with the CLI or the admin API; `dynamic`: registered by the client itself at /register (RFC 7591). */
  registeredBy: ClientRegistrar;
  /** The ids of the registered APIs it may ask tokens for (RFC 8707 `resource`). */
  apis: string[];
  /** The API a request without `resource` gets; null: its own audience (`audience`, else the issuer). */
  defaultApi: string | null;
};

export const clientRegistrars = ['operator', 'dynamic'] as const;
export type ClientRegistrar = (typeof clientRegistrars)[number];

/** An initial access token for POST /register (RFC 7591 §3); the store keeps its SHA-256 only. Instants are epoch ms. */
export type RegistrationToken = {
  id: string;
  hash: string;
  createdAt: number;
  /** Null: valid until revoked. */
  expiresAt: number | null;
  /** How many registrations it may make; null: any number. */
  maxUses: number | null;
  uses: number;
  revokedAt: number | null;
};

export const clientProfiles = ['fapi2'] as const;
export type ClientProfile = (typeof clientProfiles)[number];

/** Authenticates with a signed assertion (private_key_jwt) rather than a secret. */
export const usesPrivateKeyJwt = (client: Client): boolean => client.jwks !== null || client.jwksUri !== null;

/** A client without credentials of its own: no secret and no keys. */
export const isPublicClient = (client: Client): boolean => client.secretHash === null && !usesPrivateKeyJwt(client);

/** A pushed authorization request (RFC 9126); only the hash of its request_uri is kept. */
export type ParRequest = {
  hash: string;
  clientId: string;
  /** The request's parameters as pushed. */
  params: Record<string, string>;
  expiresAt: number;
  usedAt: number | null;
};

/** One login and every refresh token rotated from it; its id is the `sid` claim. */
export type Family = {
  id: string;
  userId: string;
  clientId: string;
  scope: string;
  audience: string;
  createdAt: number;
  /** When the user's credentials were checked for the login (OpenID `auth_time`); null for families from before it was kept. */
  authTime: number | null;
  /** Absolute end: REFRESH_FAMILY_TTL after the login. */
  expiresAt: number;
  lastUsedAt: number;
  revokedAt: number | null;
  revokeReason: string | null;
  userAgent: string | null;
  ip: string | null;
  /** The upstream provider the login went through; null for a password. */
  provider: string | null;
  /** The DPoP key thumbprint every refresh token of this family is bound to (public clients, RFC 9449 §5); null when unbound. */
  dpopJkt: string | null;
  /** The browser session that approved the code it started from (the account page's "this browser"); null for other grants. */
  browserSessionId: string | null;
  /** What the login granted per API identifier; null for families from before APIs (then: `audience` with `scope`). */
  grants: ResourceGrants | null;
  /** How the user signed in (RFC 8176 amr values, space-separated); null for families from before it was kept. */
  amr: string | null;
};

/** Scopes granted per API identifier (the `aud` of the tokens that carry them). */
export type ResourceGrants = Record<string, string[]>;

export type RefreshToken = {
  id: string;
  familyId: string;
  /** SHA-256 of the token; the token itself is never stored. */
  hash: string;
  createdAt: number;
  /** Idle expiry, capped by the family's absolute expiry. */
  expiresAt: number;
  usedAt: number | null;
  successorId: string | null;
  /** The successor token sealed under a key derived from this token (retry-safe refresh). */
  successorSealed: string | null;
};

export type SigningKeyRecord = {
  kid: string;
  alg: string;
  /** Rotation order; unique, so two instances rotating at once cannot both win. */
  seq: number;
  publicJwk: string;
  /** The private JWK as JSON, or sealed with KEY_ENCRYPTION_KEY. */
  privateJwk: string;
  createdAt: number;
  /** From this moment the key signs (until a later key activates). */
  activatesAt: number;
};

export type AuditEvent = {
  id: string;
  at: number;
  type: string;
  /** Who did it: `cli`, `admin:<sub>`, `user:<id>`, `client:<id>` or `system`. */
  actor: string;
  userId: string | null;
  clientId: string | null;
  familyId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The X-Request-Id of the HTTP request behind it; null for the CLI and the system. */
  requestId: string | null;
  details: Record<string, unknown>;
};

/**
 * What the revocation feed publishes: a revoked family, a deleted or disabled client (its tokens issued
 * before `revokedAt`), or one access token without a family (client_credentials), until it expires.
 */
export type Revocation =
  | { kind: 'family'; sid: string; revokedAt: number }
  | { kind: 'client'; clientId: string; revokedAt: number }
  | { kind: 'token'; jti: string; revokedAt: number; expiresAt: number };

/** An access token without a family, revoked at /revoke: refused by its `jti` until `expiresAt`, its `exp`. */
export type TokenRevocation = { jti: string; clientId: string; revokedAt: number; expiresAt: number };

/**
 * An authorization code (RFC 6749 §4.1.2). Only its hash is kept.
 * `familyId` is the family its redemption started, so a replay can end it.
 */
export type AuthorizationCode = {
  hash: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  nonce: string | null;
  /** When the user last entered a password in the browser session that approved it (OpenID `auth_time`). */
  authTime: number;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  familyId: string | null;
  /** The upstream provider of the browser session that approved it; null for a password. */
  provider: string | null;
  /** The `dpop_jkt` the authorization request named (RFC 9449 §10): its token request must prove that key. */
  dpopJkt: string | null;
  /** The browser session that approved it: its family takes that browser's user agent and IP. */
  browserSessionId: string | null;
  /** What the user approved per API identifier, and the identifier the first token is for; null on codes from before APIs. */
  grants: ResourceGrants | null;
  audience: string | null;
  /** The amr of the browser session that approved it (space-separated). */
  amr: string | null;
};

/** A login in one browser (single sign-on across clients). `id` is the hash of the cookie's value. */
export type BrowserSession = {
  id: string;
  userId: string;
  createdAt: number;
  authTime: number;
  expiresAt: number;
  endedAt: number | null;
  ip: string | null;
  userAgent: string | null;
  /** The upstream provider the user signed in with; null for a password. */
  provider: string | null;
  /** How the user signed in (RFC 8176 amr values, space-separated); null for sessions from before it was kept. */
  amr: string | null;
};

/** The scopes a user let a third-party client have. */
export type Consent = { userId: string; clientId: string; scopes: string[]; grantedAt: number };
