import type { AuditEvent, Client, Family, RefreshToken, Revocation, SigningKeyRecord, User } from '../domain/types.js';

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

export type RotateInput = {
  /** The presented token's id; marked used only if it is still unused. */
  tokenId: string;
  usedAt: number;
  successor: RefreshToken;
  successorSealed: string;
};

/**
 * Everything Tessera keeps, in domain terms. Implementations only store and fetch:
 * every rule (expiry, reuse, scope) lives in services/ and domain/. Writes that must be
 * atomic under concurrency say so; all others are single statements.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending migrations; safe when several instances start at once. */
  migrate(): Promise<void>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Throws Conflict when the username is taken. */
  insertUser(user: User): Promise<void>;
  findUserById(id: string): Promise<User | null>;
  findUserByUsername(username: string): Promise<User | null>;
  updateUserPassword(id: string, passwordHash: string): Promise<boolean>;
  /** Returns false when there was no such user or it was already disabled. */
  disableUser(id: string, now: number): Promise<boolean>;

  /** Throws Conflict when the id is taken. */
  insertClient(client: Client): Promise<void>;
  findClient(id: string): Promise<Client | null>;
  listClients(): Promise<Client[]>;
  deleteClient(id: string): Promise<boolean>;

  /** Inserts a family with its first refresh token, in one transaction. */
  insertFamily(family: Family, firstToken: RefreshToken): Promise<void>;
  findFamily(id: string): Promise<Family | null>;
  /** A user's families, newest first, revoked and expired ones included. */
  listFamilies(query: FamilyQuery): Promise<Page<Family>>;
  /** Live families of a user for a client, oldest first. */
  listActiveFamilies(userId: string, clientId: string, now: number): Promise<Family[]>;
  /** How many families are neither revoked nor expired at `now` (the active-families gauge). */
  countActiveFamilies(now: number): Promise<number>;
  touchFamily(id: string, now: number): Promise<void>;
  /** Revokes the family if it is not revoked yet; returns whether this call revoked it. */
  revokeFamily(id: string, reason: string, now: number): Promise<boolean>;
  /** Revokes every live family of the user; returns the ids this call revoked. */
  revokeUserFamilies(userId: string, reason: string, now: number): Promise<string[]>;
  /** Revokes every live family of the client; returns the ids this call revoked. */
  revokeClientFamilies(clientId: string, reason: string, now: number): Promise<string[]>;
  /** Revoked families whose revoked_at is at or after `since`, oldest first, with `expiresAt` = revoked_at + accessTtl. */
  listRevocations(since: number, notExpiredAt: number, accessTtl: number): Promise<Revocation[]>;

  findRefreshTokenByHash(hash: string): Promise<RefreshToken | null>;
  findRefreshToken(id: string): Promise<RefreshToken | null>;
  /**
   * Atomically: marks the token used (only where used_at is still null), records and seals its
   * successor, and inserts the successor. Returns false, changing nothing, when the token was
   * already used: two concurrent calls never both succeed.
   */
  rotateRefreshToken(input: RotateInput): Promise<boolean>;

  /** Inserts a signing key; throws Conflict when its seq is taken (another instance rotated first). */
  insertSigningKey(key: SigningKeyRecord): Promise<void>;
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /** Replaces the stored private key (sealing it); the old value must not stay readable in the storage files. */
  updateSigningKeyPrivate(kid: string, privateJwk: string): Promise<void>;
  deleteSigningKey(kid: string): Promise<void>;

  insertAuditEvent(event: AuditEvent): Promise<void>;
  /** Newest first. */
  listAuditEvents(query: AuditQuery): Promise<Page<AuditEvent>>;

  /**
   * Counts one hit in the fixed window `windowStart` for `key` and returns the count so far,
   * shared by every instance on the store.
   */
  hitRateLimit(key: string, windowStart: number): Promise<number>;
  /** The count of `key` in the window `windowStart` without counting a hit; 0 when there is none. */
  peekRateLimit(key: string, windowStart: number): Promise<number>;

  /**
   * Deletes what nothing can use any more: refresh tokens expired at `now`, audit events before
   * `auditBefore`, families that ended before `familiesBefore`, old rate-limit windows. Returns how
   * many rows went.
   */
  deleteExpired(now: number, auditBefore: number, familiesBefore: number): Promise<number>;
}
