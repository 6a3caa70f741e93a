// The floor's store (bench/peers/floor.ts): Tessera's own tables and indexes (its migrations make them), on SQLite
// or on PostgreSQL, read and written with the driver's prepared statements and no query builder. Timestamps are
// milliseconds, as in Tessera.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { sha256 } from '../../src/lib/hash.js';
import { postgresStore } from '../../src/store/postgres.js';
import { openSqlite, sqliteStore } from '../../src/store/sqlite.js';

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

// Written with `?` placeholders; PostgreSQL's are numbered by numbered().
const statements = {
  findClient: 'select id, secret_hash, scopes from clients where id = ?',
  findUser: 'select id, password_hash, disabled_at from users where username = ?',
  findToken: `select t.id, t.family_id, t.used_at, t.expires_at, f.client_id, f.user_id, f.scope, f.audience, f.revoked_at
    from refresh_tokens t join families f on f.id = t.family_id where t.hash = ?`,
  insertUser: 'insert into users (id, username, password_hash, created_at) values (?, ?, ?, ?)',
  insertClient: `insert into clients (id, secret_hash, grants, scopes, refresh_cookie, created_at) values (?, ?, '[]', '["read"]', false, ?)`,
  insertFamily: 'insert into families (id, user_id, client_id, scope, audience, created_at, expires_at, last_used_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
  insertToken: 'insert into refresh_tokens (id, family_id, hash, created_at, expires_at) values (?, ?, ?, ?, ?)',
  insertAudit: `insert into audit_events (id, at, type, actor, user_id, client_id, family_id, ip, details)
    values (?, ?, 'login.succeeded', ?, ?, ?, ?, '127.0.0.1', '{}')`,
  markUsed: 'update refresh_tokens set used_at = ?, successor_id = ?, successor_sealed = ? where id = ? and used_at is null',
  touchFamily: 'update families set last_used_at = ? where id = ?',
};

/** The statement with PostgreSQL's placeholders, numbered from `after` + 1. */
const numbered = (text: string, after = 0) => {
  let n = after;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** The rows both stores start with: the user (its password hash given), a public and a confidential client. */
const seedRows = (passwordHash: string, now: number) => ({
  user: [floorUser.id, floorUser.username, passwordHash, now],
  clients: [
    ['bench-app', null, now],
    ['bench-service', sha256('bench-service-secret'), now],
  ],
});

/** A new family's rows, each in its insert statement's order, with the family's id and the token's secret. */
function newFamily(userId: string, clientId: string, audience: string, now: number) {
  const familyId = `fam_${randomUUID()}`;
  const secret = randomBytes(32).toString('base64url');
  return {
    familyId,
    secret,
    family: [familyId, userId, clientId, 'read', audience, now, now + lifetimeMs, now],
    token: [`rt_${randomUUID()}`, familyId, sha256(secret), now, now + lifetimeMs],
    audit: [`evt_${randomUUID()}`, now, `client:${clientId}`, userId, clientId, familyId],
  };
}

/** SQLite through Tessera's openSqlite (WAL, synchronous NORMAL); the rotation and the login one immediate transaction each. */
export async function sqliteFloorStore(path: string, passwordHash: string, audience: string): Promise<FloorStore> {
  const db = openSqlite(path);
  await sqliteStore(db).migrate();
  const seed = seedRows(passwordHash, Date.now());
  db.prepare(statements.insertUser).run(...seed.user);
  for (const client of seed.clients) db.prepare(statements.insertClient).run(...client);

  const findClient = db.prepare<[string], ClientRow>(statements.findClient);
  const findUser = db.prepare<[string], UserRow>(statements.findUser);
  const findToken = db.prepare<[string], TokenRow>(statements.findToken);
  const [insertFamily, insertToken, insertAudit, markUsed, touchFamily] = [
    statements.insertFamily,
    statements.insertToken,
    statements.insertAudit,
    statements.markUsed,
    statements.touchFamily,
  ].map((text) => db.prepare(text));
  const rotate = db.transaction(({ token, now, successorId, sealed, successorHash }: Rotation): boolean => {
    if (markUsed!.run(now, successorId, sealed, token.id).changes === 0) return false;
    insertToken!.run(successorId, token.family_id, successorHash, now, now + lifetimeMs);
    touchFamily!.run(now, token.family_id);
    return true;
  }).immediate;
  const logIn = db.transaction((userId: string, clientId: string, now: number) => {
    const started = newFamily(userId, clientId, audience, now);
    insertFamily!.run(...started.family);
    insertToken!.run(...started.token);
    insertAudit!.run(...started.audit);
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
  const migrating = postgresStore(url);
  await migrating.migrate();
  await migrating.close();
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const seed = seedRows(passwordHash, Date.now());
  await pool.query(numbered(statements.insertUser), seed.user);
  for (const client of seed.clients) await pool.query(numbered(statements.insertClient), client);

  const first = async <R>(name: string, text: string, values: unknown[]): Promise<R | undefined> =>
    (await pool.query<R & pg.QueryResultRow>({ name, text: numbered(text), values })).rows[0];
  const rotation = `
    with used as (update refresh_tokens set used_at = $1, successor_id = $2, successor_sealed = $3 where id = $4 and used_at is null returning family_id),
    inserted as (insert into refresh_tokens (id, family_id, hash, created_at, expires_at) select $2, family_id, $5, $1, $6 from used returning family_id)
    update families set last_used_at = $1 where id in (select family_id from inserted)`;
  // The three inserts as one statement: the family's eight values, the token's five, the audit event's six.
  const login = `with family as (${numbered(statements.insertFamily)}), token as (${numbered(statements.insertToken, 8)})
    ${numbered(statements.insertAudit, 13)}`;
  return {
    findClient: (id) => first('floor_client', statements.findClient, [id]),
    findUser: (username) => first('floor_user', statements.findUser, [username]),
    findToken: (hash) => first('floor_token', statements.findToken, [hash]),
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
