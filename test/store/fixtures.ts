import type { AuditEvent, Client, Family, RefreshToken, SigningKeyRecord, User } from '../../src/domain/types.js';
import type { Store } from '../../src/store/types.js';

// Records for the store contract: plain values with sensible defaults, overridden per test. Instants are epoch ms.

export const t0 = 1_700_000_000_000;

export const user = (o: Partial<User> = {}): User => ({
  id: 'usr_1',
  username: 'alice',
  passwordHash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
  scopes: null,
  email: null,
  emailVerified: false,
  name: null,
  givenName: null,
  familyName: null,
  picture: null,
  locale: null,
  createdAt: t0,
  updatedAt: null,
  disabledAt: null,
  sessionsValidAfter: null,
  passwordSet: true,
  ...o,
});

export const client = (o: Partial<Client> = {}): Client => ({
  id: 'web-app',
  secretHash: null,
  grants: ['password', 'refresh_token'],
  scopes: ['read', 'write'],
  audience: null,
  maxSessions: null,
  refreshCookie: false,
  redirectUris: [],
  postLogoutRedirectUris: [],
  name: null,
  logoUri: null,
  thirdParty: false,
  requireMfa: false,
  createdAt: t0,
  disabledAt: null,
  tokensRevokedAt: null,
  previousSecretHash: null,
  previousSecretExpiresAt: null,
  jwks: null,
  jwksUri: null,
  requirePar: false,
  dpopBoundAccessTokens: false,
  profile: null,
  registeredBy: 'operator',
  apis: [],
  defaultApi: null,
  ...o,
});

export const family = (o: Partial<Family> = {}): Family => ({
  id: 'fam_1',
  userId: 'usr_1',
  clientId: 'web-app',
  scope: 'read write',
  audience: 'http://127.0.0.1:3000',
  createdAt: t0,
  authTime: null,
  expiresAt: t0 + 2_592_000_000,
  lastUsedAt: t0,
  revokedAt: null,
  revokeReason: null,
  provider: null,
  dpopJkt: null,
  browserSessionId: null,
  grants: null,
  amr: null,
  userAgent: 'vitest',
  ip: '127.0.0.1',
  ...o,
});

export const token = (o: Partial<RefreshToken> = {}): RefreshToken => ({
  id: 'rt_1',
  familyId: 'fam_1',
  hash: `hash-of-${o.id ?? 'rt_1'}`,
  createdAt: t0,
  expiresAt: t0 + 1_209_600_000,
  usedAt: null,
  successorId: null,
  successorSealed: null,
  ...o,
});

export const signingKey = (o: Partial<SigningKeyRecord> = {}): SigningKeyRecord => ({
  kid: `kid-${o.seq ?? 1}`,
  alg: 'ES256',
  seq: 1,
  publicJwk: '{"kty":"EC"}',
  privateJwk: '{"kty":"EC","d":"secret"}',
  createdAt: t0,
  activatesAt: t0,
  ...o,
});

export const event = (o: Partial<AuditEvent> = {}): AuditEvent => ({
  id: 'evt_1',
  at: t0,
  type: 'login.succeeded',
  actor: 'client:web-app',
  userId: 'usr_1',
  clientId: 'web-app',
  familyId: null,
  ip: null,
  userAgent: null,
  requestId: null,
  details: {},
  ...o,
});

/** Starts a family as a login would (its user created if missing), without a max_sessions policy. */
export async function addFamily(store: Store, f: Family = family(), first: RefreshToken = token({ familyId: f.id })): Promise<void> {
  if (!(await store.findUserById(f.userId))) await store.insertUser(user({ id: f.userId, username: f.userId }));
  const started = await store.startFamily({ family: f, firstToken: first, authTime: f.createdAt, maxSessions: null });
  if (!started) throw new Error(`family ${f.id} was refused`);
}
