import { isPublicClient, usesPrivateKeyJwt, type AuditEvent, type Client, type Family, type SigningKeyRecord, type User } from '../domain/types.js';
import { formatScope } from '../domain/scope.js';

// The shapes operators see, in the CLI's --json and the admin API alike: snake_case wire fields,
// ISO times, and never a hash, secret or private key.

const iso = (epochMs: number | null): string | null => (epochMs === null ? null : new Date(epochMs).toISOString());

export const userView = (u: User) => ({
  id: u.id,
  username: u.username,
  scope: u.scopes === null ? null : formatScope(u.scopes),
  email: u.email,
  email_verified: u.emailVerified,
  name: u.name,
  given_name: u.givenName,
  family_name: u.familyName,
  picture: u.picture,
  locale: u.locale,
  created_at: iso(u.createdAt),
  updated_at: iso(u.updatedAt),
  disabled_at: iso(u.disabledAt),
});

export const clientView = (c: Client) => ({
  id: c.id,
  name: c.name,
  logo_uri: c.logoUri,
  public: isPublicClient(c),
  /** How it authenticates at /token, /par, /revoke and /introspect (RFC 7591 §2). */
  token_endpoint_auth_method: usesPrivateKeyJwt(c) ? 'private_key_jwt' : isPublicClient(c) ? 'none' : 'client_secret_basic',
  jwks: c.jwks === null ? null : (JSON.parse(c.jwks) as { keys: unknown[] }),
  jwks_uri: c.jwksUri,
  require_pushed_authorization_requests: c.requirePar,
  dpop_bound_access_tokens: c.dpopBoundAccessTokens,
  profile: c.profile,
  grants: c.grants,
  scope: formatScope(c.scopes),
  audience: c.audience,
  max_sessions: c.maxSessions,
  refresh_cookie: c.refreshCookie,
  redirect_uris: c.redirectUris,
  post_logout_redirect_uris: c.postLogoutRedirectUris,
  third_party: c.thirdParty,
  /** The registered APIs it may ask tokens for (`resource`), and the one it gets without asking. */
  apis: c.apis,
  default_api: c.defaultApi,
  require_mfa: c.requireMfa,
  created_at: iso(c.createdAt),
  disabled_at: iso(c.disabledAt),
  /** Until then the secret rotated out last is still accepted; null when it is not. */
  previous_secret_expires_at: iso(c.previousSecretExpiresAt),
  /** `operator`, or `dynamic` for a client that registered itself at /register (RFC 7591). */
  registered_by: c.registeredBy,
});

/** The fields of a client view that an update may change (admin API PATCH body, `client.updated` audit details). */
export const clientSettingFields = [
  'grants',
  'scope',
  'audience',
  'max_sessions',
  'refresh_cookie',
  'redirect_uris',
  'post_logout_redirect_uris',
  'third_party',
  'name',
  'logo_uri',
  'dpop_bound_access_tokens',
  'jwks',
  'jwks_uri',
  'require_pushed_authorization_requests',
  'profile',
  'apis',
  'default_api',
  'require_mfa',
] as const;

export type FamilyStatus = 'active' | 'revoked' | 'expired';

export const familyStatus = (f: Family, now: number): FamilyStatus => (f.revokedAt !== null ? 'revoked' : f.expiresAt <= now ? 'expired' : 'active');

export const familyView = (f: Family, now: number) => ({
  id: f.id,
  user_id: f.userId,
  client_id: f.clientId,
  scope: f.scope,
  created_at: iso(f.createdAt),
  last_used_at: iso(f.lastUsedAt),
  expires_at: iso(f.expiresAt),
  status: familyStatus(f, now),
  revoked_at: iso(f.revokedAt),
  revoke_reason: f.revokeReason,
  user_agent: f.userAgent,
  ip: f.ip,
  provider: f.provider,
});

export const auditView = (e: AuditEvent) => ({
  id: e.id,
  at: iso(e.at),
  type: e.type,
  actor: e.actor,
  user_id: e.userId,
  client_id: e.clientId,
  family_id: e.familyId,
  ip: e.ip,
  user_agent: e.userAgent,
  request_id: e.requestId,
  details: e.details,
});

export const keyView = (k: SigningKeyRecord, state: 'next' | 'active' | 'retired') => ({
  kid: k.kid,
  alg: k.alg,
  state,
  created_at: iso(k.createdAt),
  activates_at: iso(k.activatesAt),
});

export type UserView = ReturnType<typeof userView>;
export type ClientView = ReturnType<typeof clientView>;
