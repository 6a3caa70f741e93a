import type {
  AuditEvent,
  AuthorizationCode,
  BrowserSession,
  Client,
  Consent,
  Family,
  ParRequest,
  RefreshToken,
  RegistrationToken,
  Revocation,
  SigningKeyRecord,
  TokenRevocation,
  User,
} from '../domain/types.js';
import type { Identity, Provider, UpstreamLogin } from '../domain/upstream.js';
import type { Audited } from '../domain/audit.js';
import type { DomainEvent, DomainEventType, StoredEvent } from '../domain/events.js';
import type { Webhook, WebhookDelivery } from '../domain/webhooks.js';
import type {
  AttemptOutcome,
  AuditQuery,
  ClientChanges,
  Events,
  FamilyQuery,
  Page,
  RevocationQuery,
  RotateInput,
  StartFamilyInput,
  UserChanges,
  UserQuery,
} from './inputs.js';

export type * from './inputs.js';
export type * from './user-capabilities.js';
import type { AccountsStore, ApisStore, FactorsStore } from './user-capabilities.js';

/** What the store keeps for sign-in with upstream providers; part of the Store (below); implemented in ./upstream.ts. Instants are epoch milliseconds. */
export interface UpstreamStore {
  /** Throws Conflict when the id is taken. */
  insertProvider(provider: Provider): Promise<void>;
  findProvider(id: string): Promise<Provider | null>;
  /** By id. */
  listProviders(): Promise<Provider[]>;
  /** Deletes the provider with its identities and its round trips in flight; returns how many identities went, or null when there was no such provider. */
  deleteProvider(id: string): Promise<number | null>;

  findIdentity(providerId: string, subject: string): Promise<Identity | null>;
  /** A user's identities, oldest link first. */
  listIdentities(userId: string): Promise<Identity[]>;
  /** Throws Conflict when the identity is linked already. */
  insertIdentity(identity: Identity): Promise<void>;
  /**
   * Creates the user and links the identity to it in one transaction: throws Conflict, creating
   * nothing, when the username is taken or the identity is linked already (a concurrent first sign-in).
   */
  insertUserWithIdentity(user: User, identity: Identity, events?: readonly DomainEvent[], audited?: Audited): Promise<void>;
  /** Returns false, writing no event, when the user had no identity at that provider. */
  deleteIdentity(providerId: string, userId: string, now: number, events?: Events): Promise<boolean>;
  /** The users whose verified e-mail address this is, compared without regard to case; oldest first. */
  findUsersByVerifiedEmail(email: string): Promise<User[]>;

  insertUpstreamLogin(login: UpstreamLogin): Promise<void>;
  /**
   * Uses the round trip up, only when it was started by this `browser` towards this provider, is unused
   * and has not expired at `now`; returns it, or null, changing nothing. Of concurrent calls at most one gets it.
   */
  consumeUpstreamLogin(id: string, browser: string, providerId: string, now: number): Promise<UpstreamLogin | null>;
  findUpstreamLogin(id: string): Promise<UpstreamLogin | null>;
}

/**
 * The outbox: domain events in commit order (implemented in ./outbox.ts). Mutating Store methods take the events
 * their change causes (`events`) and write them in the change's own transaction, only when the change is made;
 * every family they revoke adds its `session.revoked` event. They take the change's audit side too (`audited`,
 * domain/audit.ts), and write its audit records in the same transaction.
 */
export interface OutboxStore {
  /** Events after seq `after`, of `types` when given, oldest first. */
  listEvents(query: { after: number; limit: number; types?: readonly DomainEventType[] }): Promise<StoredEvent[]>;
  /** The seq of the last event committed; 0 when there is none. */
  lastEventSeq(): Promise<number>;
}

/** Webhook endpoints and their delivery log (implemented in ./webhooks.ts). */
export interface WebhookStore {
  /** Adds the endpoint positioned after the last committed event; throws Conflict when the id is taken. */
  insertWebhook(webhook: Pick<Webhook, 'id' | 'url' | 'events' | 'secret' | 'createdAt' | 'nextAttemptAt'>): Promise<Webhook>;
  findWebhook(id: string): Promise<Webhook | null>;
  /** Newest first. */
  listWebhooks(query: { cursor?: string; limit: number }): Promise<Page<Webhook>>;
  /** Deletes it with its delivery log; false when there was none. */
  deleteWebhook(id: string): Promise<boolean>;
  /**
   * Leases an enabled endpoint that is due at `now` and not leased by anyone, to `owner` for `leaseMs`;
   * of instances claiming at once, each endpoint goes to one. Null when none is due but those in `skip`.
   */
  claimWebhook(owner: string, now: number, leaseMs: number, skip?: readonly string[]): Promise<Webhook | null>;
  /** Records an attempt's delivery and outcome and gives the lease back; false, changing the endpoint not, when `owner` no longer held it. */
  finishAttempt(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean>;
  /** Adds a line to the delivery log (a test message, which moves no position). */
  recordDelivery(delivery: WebhookDelivery): Promise<void>;
  /** An endpoint's attempts, newest first. */
  listDeliveries(query: { webhookId: string; cursor?: string; limit: number }): Promise<Page<WebhookDelivery>>;
}

/** Users (./users.ts). */
export interface UsersStore {
  /** Throws Conflict when the username is taken. */
  insertUser(user: User, events?: Events, audited?: Audited): Promise<void>;
  findUserById(id: string): Promise<User | null>;
  findUserByUsername(username: string): Promise<User | null>;
  /**
   * Sets the password and ends every session of the user, and every login whose password check came
   * before `now`. Returns the revoked family ids, or null when there is no such user.
   */
  changePassword(id: string, passwordHash: string, now: number, events?: Events, audited?: Audited): Promise<string[] | null>;
  /** Disables the user and ends its sessions as changePassword does; null when there was no such user or it was already disabled. */
  disableUser(id: string, now: number, events?: Events, audited?: Audited): Promise<string[] | null>;
  /** Lets a disabled user log in again; false when there was no such disabled user. Sessions ended by the disable stay ended. */
  enableUser(id: string): Promise<boolean>;
  /** Deletes the user and revokes its live families (reason `user_deleted`); null when there was no such user. */
  deleteUser(id: string, now: number, events?: Events, audited?: Audited): Promise<string[] | null>;
  /** Users, newest first. */
  listUsers(query: UserQuery): Promise<Page<User>>;
  /** Applies `changes` and returns the user as it is now; null when there is no such user. */
  updateUser(id: string, changes: UserChanges, events?: Events, audited?: Audited): Promise<User | null>;
}

/** Clients (./clients.ts). */
export interface ClientsStore {
  /** Throws Conflict when the id is taken. */
  insertClient(client: Client, events?: Events, audited?: Audited): Promise<void>;
  findClient(id: string): Promise<Client | null>;
  listClients(): Promise<Client[]>;
  /** Applies `changes` and returns the client as it is now; null when there is no such client. */
  updateClient(id: string, changes: ClientChanges): Promise<Client | null>;
  /**
   * Disables the client, publishes it on the revocation feed and revokes its families (reason
   * `client_disabled`). Returns the revoked family ids, or null when there was no such enabled client.
   */
  disableClient(id: string, now: number, events?: Events, audited?: Audited): Promise<string[] | null>;
  /** Returns false when there was no such disabled client. Tokens revoked while it was disabled stay revoked. */
  enableClient(id: string): Promise<boolean>;
  /** Deletes the client as disableClient ends it (reason `client_deleted`), and the consents users gave it; null when there was no such client. */
  deleteClient(id: string, now: number, events?: Events, audited?: Audited): Promise<string[] | null>;
}

/** Sessions: families and their refresh tokens (./sessions.ts). */
export interface SessionsStore {
  /**
   * Starts a family with its first refresh token, in one transaction that also applies max_sessions
   * (revoking the oldest, reason `max_sessions`). Returns the evicted family ids, or null, inserting
   * nothing, when the user is gone, disabled, or changed its password at or after `authTime`.
   */
  startFamily(input: StartFamilyInput, events?: Events, audited?: Audited): Promise<{ evicted: string[] } | null>;
  findFamily(id: string): Promise<Family | null>;
  /** A user's families, newest first, revoked and expired ones included. */
  listFamilies(query: FamilyQuery): Promise<Page<Family>>;
  /** How many families are neither revoked nor expired at `now` (the active-families gauge). */
  countActiveFamilies(now: number): Promise<number>;
  /** How many families were revoked after `after` and at or before `upTo`, by reason (the revocations counter). */
  countRevokedFamilies(after: number, upTo: number): Promise<{ reason: string; count: number }[]>;
  touchFamily(id: string, now: number): Promise<void>;
  /** Revokes the family if it is not revoked yet; returns whether this call revoked it. */
  revokeFamily(id: string, reason: string, now: number, events?: Events, audited?: Audited): Promise<boolean>;
  /** Revokes every live family of the user; returns the ids this call revoked. */
  revokeUserFamilies(userId: string, reason: string, now: number, events?: Events, audited?: Audited): Promise<string[]>;
  /** A user's families that are neither revoked nor expired at `now`, newest first, at most `limit`. */
  listLiveFamilies(userId: string, now: number, limit: number): Promise<Family[]>;
  /** Revokes every live family of the user but those started in browser session `keep` (null: none kept); returns the ids this call revoked. */
  revokeOtherFamilies(userId: string, keep: string | null, reason: string, now: number, events?: Events): Promise<string[]>;
  /** The token with this hash and its family, and whether the family's user exists and is enabled, in one read. */
  findRefreshTokenWithFamily(hash: string): Promise<{ token: RefreshToken; family: Family; userActive: boolean } | null>;
  findRefreshToken(id: string): Promise<RefreshToken | null>;
  /**
   * Atomically: marks the token used (only where used_at is still null), records and seals its
   * successor, inserts the successor and records the family as last used at `usedAt`. Returns false, changing nothing, when the token was
   * already used: two concurrent calls never both succeed.
   */
  rotateRefreshToken(input: RotateInput): Promise<boolean>;
}

/** The revocation feed (./revocation-feed.ts). */
export interface RevocationFeedStore {
  /**
   * The revocation feed: revoked families, ended clients and revoked access tokens in feed order. Families ended with
   * their client are left out: the client's entry covers their tokens.
   */
  listRevocations(query: RevocationQuery): Promise<Revocation[]>;
  /** Puts an access token on the revocation feed by its jti; false when it was already there. */
  revokeAccessToken(revocation: TokenRevocation): Promise<boolean>;
  /** Whether the access token with this jti was revoked (and the record not yet removed after its expiry). */
  isAccessTokenRevoked(jti: string): Promise<boolean>;
}

/** The hosted login: authorization codes, browser sessions, consents (./authorization.ts). */
export interface AuthorizationStore {
  insertAuthorizationCode(code: AuthorizationCode): Promise<void>;
  findAuthorizationCode(hash: string): Promise<AuthorizationCode | null>;
  /**
   * Marks the code used and records the family its redemption started, only where it is still unused.
   * Returns false, changing nothing, when it was used already: two concurrent redemptions never both succeed.
   */
  consumeAuthorizationCode(hash: string, usedAt: number, familyId: string): Promise<boolean>;
  insertBrowserSession(session: BrowserSession): Promise<void>;
  findBrowserSession(id: string): Promise<BrowserSession | null>;
  /** Returns false when there was no such session or it had ended already. */
  endBrowserSession(id: string, now: number): Promise<boolean>;
  /** Records a new password check in a live session (re-authentication): its `authTime` becomes `authTime`; false when it had ended. */
  renewBrowserSession(id: string, authTime: number): Promise<boolean>;
  /** Ends every live browser session of the user; returns how many it ended. */
  endUserBrowserSessions(userId: string, now: number): Promise<number>;
  findConsent(userId: string, clientId: string): Promise<Consent | null>;
  /** Inserts or replaces the consent of this user for this client. */
  saveConsent(consent: Consent): Promise<void>;
}

/** Pushed authorization requests (RFC 9126) and used client assertion ids (RFC 7523 §3), both short-lived (./pushed.ts). */
export interface PushedRequestsStore {
  insertParRequest(request: ParRequest): Promise<void>;
  /**
   * Marks the pushed request used and returns it, only where it belongs to `clientId`, is unused and has not
   * expired at `now`; null otherwise. Of concurrent uses exactly one gets it.
   */
  consumeParRequest(hash: string, clientId: string, now: number): Promise<ParRequest | null>;
  /** Records a client assertion's jti until `expiresAt`; false, changing nothing, when that client used it already. */
  useClientAssertionJti(clientId: string, jti: string, expiresAt: number): Promise<boolean>;
}

/** Signing keys (./keys.ts). */
export interface KeysStore {
  /** Inserts a signing key; throws Conflict when its seq is taken (another instance rotated first). */
  insertSigningKey(key: SigningKeyRecord, events?: Events): Promise<void>;
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /** Replaces the stored private key (sealing it); the old value must not stay readable in the storage files. */
  updateSigningKeyPrivate(kid: string, privateJwk: string): Promise<void>;
  deleteSigningKey(kid: string): Promise<void>;
}

/** The audit log (./audit.ts). */
export interface AuditStore {
  insertAuditEvent(event: AuditEvent): Promise<void>;
  /** Newest first. */
  listAuditEvents(query: AuditQuery): Promise<Page<AuditEvent>>;
}

/** Failed-attempt limits (./limits.ts). */
export interface LimitsStore {
  /**
   * Counts one hit in the fixed window `windowStart` for `key` and returns the count so far,
   * shared by every instance on the store.
   */
  hitRateLimit(key: string, windowStart: number): Promise<number>;
  /** The count of `key` in the window `windowStart` without counting a hit; 0 when there is none. */
  peekRateLimit(key: string, windowStart: number): Promise<number>;
}

/** DPoP proofs seen (./dpop-proofs.ts). */
export interface DpopProofsStore {
  /**
   * Records a proof by `hash` (of its key and jti) until `expiresAt`; false, changing nothing, when it was recorded
   * already: of concurrent calls on any instance, one gets true.
   */
  recordDpopProof(hash: string, expiresAt: number): Promise<boolean>;
}

/** Initial access tokens for dynamic client registration (./registration-tokens.ts). */
export interface RegistrationTokensStore {
  /** Throws Conflict when the id or hash is taken. */
  insertRegistrationToken(token: RegistrationToken): Promise<void>;
  /** Oldest first, revoked and used-up ones included. */
  listRegistrationTokens(): Promise<RegistrationToken[]>;
  /** Returns false when there was no such token or it was revoked already. */
  revokeRegistrationToken(id: string, now: number): Promise<boolean>;
  /**
   * Counts one use of the token with this hash, only when it is neither revoked, expired at `now`, nor used up;
   * returns it as it is after the use, or null, changing nothing. Concurrent uses never exceed its `maxUses`.
   */
  useRegistrationToken(hash: string, now: number): Promise<RegistrationToken | null>;
}

/** The database itself (./maintenance.ts). */
export interface MaintenanceStore {
  /** Applies pending migrations; safe when several instances start at once. Returns the names of those this call applied. */
  migrate(): Promise<string[]>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * SQLite: copies the whole store, as one consistent snapshot, into a new file while it keeps serving;
   * returns the pages copied. PostgreSQL is backed up with its own tools (pg_dump): throws.
   */
  backup(destination: string): Promise<number>;
  /**
   * Deletes what nothing can use any more: refresh tokens expired at `now`, audit events before
   * `auditBefore`, families that ended before `familiesBefore` (and client revocations as old),
   * rate-limit windows older than an hour, outbox events and webhook deliveries before `auditBefore`, mailed links past their expiry and mails a day after they were sent, browser sessions, upstream round trips, token revocations and DPoP proofs past their expiry, and authorization
   * codes a day past theirs (a late replay still finds the family to end). Returns how many rows went.
   */
  deleteExpired(now: number, auditBefore: number, familiesBefore: number): Promise<number>;
}
/**
 * Everything Tessera keeps, in domain terms: the intersection of the capabilities above. Implementations only store
 * and fetch: every rule (expiry, reuse, scope) lives in services/ and domain/; the writes that must be atomic under
 * concurrency (starting a family, rotation, ending a user's or client's sessions) are one transaction each. Instants
 * are epoch milliseconds. A service declares the capabilities it uses (e.g. Pick<Deps, 'store'> narrowed to UsersStore).
 */
export interface Store
  extends MaintenanceStore,
    UsersStore,
    ClientsStore,
    SessionsStore,
    RevocationFeedStore,
    AuthorizationStore,
    PushedRequestsStore,
    KeysStore,
    AuditStore,
    LimitsStore,
    UpstreamStore,
    OutboxStore,
    WebhookStore,
    DpopProofsStore,
    RegistrationTokensStore,
    AccountsStore,
    ApisStore,
    FactorsStore {
  readonly dialect: 'sqlite' | 'postgres';
}
