// The floor's store (bench/peers/floor.ts): Tessera's hot tables and indexes, on SQLite or on PostgreSQL, each
// statement prepared once. Timestamps are milliseconds.
import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sha256 } from '../../src/lib/hash.js';

export type ClientRow = { id: string; secret_hash: string | null; scopes: string };
export type UserRow = { id: string; password_hash: string; disabled_at: number | null };
export type TokenRow = {
  id: string;
  family_id: string;
  used_at: number | null;
  expires_at: number;
  client_id: string;
  user_id: string;
  scope: string;
  audience: string;
  revoked_at: number | null;
};
export type Rotation = { token: TokenRow; now: number; successorId: string; sealed: string; successorHash: string };

export type FloorStore = {
  findClient(id: string): Promise<ClientRow | undefined>;
  findUser(username: string): Promise<UserRow | undefined>;
  findToken(hash: string): Promise<TokenRow | undefined>;
  /** Marks the token used, inserts its successor and touches the family, all or nothing; false when the token was used already. */
  rotate(rotation: Rotation): Promise<boolean>;
  /** A family, its first refresh token and the login's audit event; the token's secret. */
  logIn(userId: string, clientId: string, now: number): Promise<{ familyId: string; secret: string }>;
};

const lifetimeMs = 30 * 24 * 3600 * 1000;
export const floorUser = { id: 'usr_alice', username: 'alice' };

const schema = (timestamp: string) => `
  create table clients (id text primary key, secret_hash text, scopes text not null);
  create table users (id text primary key, username text not null unique, password_hash text not null, disabled_at ${timestamp});
  create table families (id text primary key, user_id text not null, client_id text not null, scope text not null, audience text not null,
    created_at ${timestamp} not null, expires_at ${timestamp} not null, last_used_at ${timestamp} not null, revoked_at ${timestamp});
  create index families_user_client_idx on families (user_id, client_id);
  create index families_revoked_at_idx on families (revoked_at, id);
  create table refresh_tokens (id text primary key, family_id text not null, hash text not null unique, created_at ${timestamp} not null,
    expires_at ${timestamp} not null, used_at ${timestamp}, successor_id text, successor_sealed text);
  create index refresh_tokens_family_idx on refresh_tokens (family_id);
  create index refresh_tokens_expires_idx on refresh_tokens (expires_at);
  create table audit_events (id text primary key, at ${timestamp} not null, type text not null, actor text not null, user_id text,
    client_id text, family_id text, ip text, details text not null);
  create index audit_events_at_idx on audit_events (at);
  create index audit_events_user_idx on audit_events (user_id, at);
  create index audit_events_type_idx on audit_events (type, at);
`;

const findTokenSql = (p: (n: number) => string) =>
  `select t.id, t.family_id, t.used_at, t.expires_at, f.client_id, f.user_id, f.scope, f.audience, f.revoked_at
   from refresh_tokens t join families f on f.id = t.family_id where t.hash = ${p(1)}`;

/** The rows both stores start with: the user (its password hash given), a public and a confidential client. */
const seedRows = (passwordHash: string) => ({
  user: [floorUser.id, floorUser.username, passwordHash],
  clients: [
    ['bench-app', null, 'read'],
    ['bench-service', sha256('bench-service-secret'), 'read'],
  ],
});

/** What a new family's rows hold: its id, the token's id and secret, and the values in column order. */
function newFamily(userId: string, clientId: string, audience: string, now: number) {
  const familyId = `fam_${randomUUID()}`;
  const tokenId = `rt_${randomUUID()}`;
  const secret = randomBytes(32).toString('base64url');
  return {
    familyId,
    secret,
    family: [familyId, userId, clientId, 'read', audience, now, now + lifetimeMs, now],
    token: [tokenId, familyId, sha256(secret), now, now + lifetimeMs],
    audit: [`evt_${randomUUID()}`, now, `client:${clientId}`, userId, clientId, familyId],
  };
}

export function sqliteFloorStore(path: string, passwordHash: string, audience: string): FloorStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(schema('integer'));
  const seed = seedRows(passwordHash);
  db.prepare('insert into users values (?, ?, ?, null)').run(...seed.user);
  for (const client of seed.clients) db.prepare('insert into clients values (?, ?, ?)').run(...client);

  const findClient = db.prepare<[string], ClientRow>('select * from clients where id = ?');
  const findUser = db.prepare<[string], UserRow>('select * from users where username = ?');
  const findToken = db.prepare<[string], TokenRow>(findTokenSql(() => '?'));
  const insertFamily = db.prepare('insert into families values (?, ?, ?, ?, ?, ?, ?, ?, null)');
  const insertToken = db.prepare('insert into refresh_tokens values (?, ?, ?, ?, ?, null, null, null)');
  const insertAudit = db.prepare("insert into audit_events values (?, ?, 'login.succeeded', ?, ?, ?, ?, '127.0.0.1', '{}')");
  const markUsed = db.prepare('update refresh_tokens set used_at = ?, successor_id = ?, successor_sealed = ? where id = ? and used_at is null');
  const touchFamily = db.prepare('update families set last_used_at = ? where id = ?');
  const rotate = db.transaction(({ token, now, successorId, sealed, successorHash }: Rotation): boolean => {
    if (markUsed.run(now, successorId, sealed, token.id).changes === 0) return false;
    insertToken.run(successorId, token.family_id, successorHash, now, now + lifetimeMs);
    touchFamily.run(now, token.family_id);
    return true;
  }).immediate;
  const logIn = db.transaction((userId: string, clientId: string, now: number) => {
    const started = newFamily(userId, clientId, audience, now);
    insertFamily.run(...started.family);
    insertToken.run(...started.token);
    insertAudit.run(...started.audit);
    return { familyId: started.familyId, secret: started.secret };
  }).immediate;
  return {
    findClient: async (id) => findClient.get(id),
    findUser: async (username) => findUser.get(username),
    findToken: async (hash) => findToken.get(hash),
    rotate: async (rotation) => rotate(rotation),
    logIn: async (userId, clientId, now) => logIn(userId, clientId, now),
  };
}

/** PostgreSQL: each statement named (prepared once per connection), the rotation and the login one statement each. */
export async function postgresFloorStore(url: string, passwordHash: string, audience: string): Promise<FloorStore> {
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(schema('bigint'));
  const seed = seedRows(passwordHash);
  await pool.query('insert into users values ($1, $2, $3, null)', seed.user);
  for (const client of seed.clients) await pool.query('insert into clients values ($1, $2, $3)', client);

  const first = async <R>(name: string, text: string, values: unknown[]): Promise<R | undefined> =>
    (await pool.query<R & pg.QueryResultRow>({ name, text, values })).rows[0];
  const rotation = `
    with used as (update refresh_tokens set used_at = $1, successor_id = $2, successor_sealed = $3 where id = $4 and used_at is null returning family_id),
    inserted as (insert into refresh_tokens (id, family_id, hash, created_at, expires_at) select $2, family_id, $5, $1, $6 from used returning family_id)
    update families set last_used_at = $1 where id in (select family_id from inserted)`;
  const login = `
    with family as (insert into families values ($1, $2, $3, $4, $5, $6, $7, $8, null)),
    token as (insert into refresh_tokens (id, family_id, hash, created_at, expires_at) values ($9, $10, $11, $12, $13))
    insert into audit_events values ($14, $15, 'login.succeeded', $16, $17, $18, $19, '127.0.0.1', '{}')`;
  return {
    findClient: (id) => first('floor_client', 'select * from clients where id = $1', [id]),
    findUser: (username) => first('floor_user', 'select * from users where username = $1', [username]),
    findToken: (hash) =>
      first(
        'floor_token',
        findTokenSql((n) => `$${n}`),
        [hash],
      ),
    async rotate({ token, now, successorId, sealed, successorHash }) {
      const result = await pool.query({ name: 'floor_rotate', text: rotation, values: [now, successorId, sealed, token.id, successorHash, now + lifetimeMs] });
      return result.rowCount === 1;
    },
    async logIn(userId, clientId, now) {
      const started = newFamily(userId, clientId, audience, now);
      await pool.query({ name: 'floor_login', text: login, values: [...started.family, ...started.token, ...started.audit] });
      return { familyId: started.familyId, secret: started.secret };
    },
  };
}
