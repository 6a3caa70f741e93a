import type { Client, Family, RefreshToken, Revocation, User } from '../domain/types.js';
import type { Api } from '../domain/apis.js';
import type { DomainEvent } from '../domain/events.js';
import type { Webhook, WebhookDelivery } from '../domain/webhooks.js';
import type { MailOutcome } from '../domain/mail.js';

// What the store's methods take and give besides the domain records: queries, pages, changes and inputs. store/types.ts
// re-exports them, so a caller imports every store type from there.

export type Page<T> = { items: T[]; nextCursor: string | null };

export type AuditQuery = {
  userId?: string;
  type?: string;
  since?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit: number;
};

export type FamilyQuery = { userId: string; cursor?: string; limit: number };

export type UserQuery = { cursor?: string; limit: number };

/** The settings of a client that createClient and updateClient check together (services/clients.ts). */
export type ClientSettings = Pick<
  Client,
  | 'grants'
  | 'scopes'
  | 'audience'
  | 'maxSessions'
  | 'refreshCookie'
  | 'redirectUris'
  | 'postLogoutRedirectUris'
  | 'thirdParty'
  | 'name'
  | 'logoUri'
  | 'apis'
  | 'defaultApi'
  | 'requireMfa'
>;

/** What an update may change of a client: its settings, how it authenticates and is held to, and its secrets when one is rotated. */
export type ClientChanges = Partial<
  ClientSettings &
    Pick<Client, 'dpopBoundAccessTokens' | 'secretHash' | 'previousSecretHash' | 'previousSecretExpiresAt' | 'jwks' | 'jwksUri' | 'requirePar' | 'profile'>
>;

/** What an update may change of a user's profile and address; `updatedAt` is set with every change. */
export type UserChanges = Partial<Pick<User, 'email' | 'emailVerified' | 'name' | 'givenName' | 'familyName' | 'picture' | 'locale'>> & Pick<User, 'updatedAt'>;

export type RotateInput = {
  /** The presented token's id; marked used only if it is still unused. */
  tokenId: string;
  usedAt: number;
  successor: RefreshToken;
  successorSealed: string;
};

export type StartFamilyInput = {
  family: Family;
  firstToken: RefreshToken;
  /** When the user's credentials were checked; a password change or disable after it refuses the session. */
  authTime: number;
  /** The client's max_sessions: beyond it the oldest live families of this user and client are revoked. */
  maxSessions: number | null;
};

/** A place in the revocation feed: entries are ordered by (revokedAt, kind, id), families, then clients, then tokens. */
export type FeedPosition = { at: number; kind: Revocation['kind']; id: string };

export type RevocationQuery = {
  /** Only entries strictly after this position (null: from the start). */
  after: FeedPosition | null;
  /** Only entries revoked at or after this instant. */
  from: number;
  /** Only entries at or before this position (null: no upper end). */
  upTo?: FeedPosition | null;
  /** Only token entries whose token expires after this instant (absent: every one revoked from `from` on). */
  aliveAt?: number;
  limit: number;
};

/** What one delivery attempt changes of its endpoint (WebhookStore.finishAttempt). */
export type AttemptOutcome = Partial<Pick<Webhook, 'position' | 'failures' | 'failingSince' | 'nextAttemptAt' | 'disabledAt'>> & {
  delivery?: WebhookDelivery;
  /** Keeps the lease until then (more events to deliver); absent, the lease is given back. */
  leaseUntil?: number;
};

/** Events a change writes with itself (see OutboxStore). */
export type Events = readonly DomainEvent[];

/** What a send attempt changes of a queued mail: done (sent, dropped, given up), or to be tried again. */
export type MailAttempt = { doneAt: number; outcome: MailOutcome; attempts: number } | { nextAttemptAt: number; attempts: number };

/** What an update may change of an API. */
export type ApiChanges = Partial<Pick<Api, 'identifier' | 'name' | 'scopes' | 'tokenTtl' | 'dynamicRegistration'>>;
