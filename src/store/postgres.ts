import { fileURLToPath } from 'node:url';
import { getTableColumns, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { Conflict } from '../errors/domain.js';
import { createStore, type StoreOptions } from './core.js';
import { pendingMigrations } from './migrations.js';
import { driveAsync, preparedForm, type Db, type Dialect, type Step, type Tables } from './dialect.js';
import * as schema from './schema/postgres.js';
import type { RotateInput, Store } from './types.js';

const migrationsFolder = fileURLToPath(new URL('../../drizzle/postgres', import.meta.url));

export type PostgresOptions = {
  /** Keep the tables (and drizzle's migration journal) in this schema instead of `public`. */
  schema?: string;
  /** Largest number of pooled connections. */
  poolSize?: number;
};

// drizzle wraps driver errors in DrizzleQueryError; the SQLSTATE is on the cause.
const isUniqueViolation = (error: unknown): boolean => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error && 'code' in cause && cause.code === '23505';
};

const migrateLock = sql`select pg_advisory_lock(hashtext('tessera:migrate'))`;
const migrateUnlock = sql`select pg_advisory_unlock(hashtext('tessera:migrate'))`;

type PgDb = NodePgDatabase<typeof schema>;

type PgPrepared = { execute(params: Record<string, unknown>): Promise<unknown> };

/**
 * Runs one step on the pool (`transaction` false) or on a transaction's connection. A prepared statement is
 * built once for the pool; in a transaction it is bound to that transaction's connection, and node-postgres
 * parses it once per connection (a named statement) either way.
 */
const executor =
  (db: PgDb, transaction: boolean) =>
  async (step: Step): Promise<unknown> => {
    try {
      if (step.op === 'prepared') {
        const { statement } = step;
        const build = () => (statement.build(db as unknown as Db) as { prepare(name: string): PgPrepared }).prepare(statement.name);
        const query = transaction ? build() : preparedForm(statement, build);
        const result = await query.execute(step.params);
        return statement.mode === 'rows' ? result : ((result as pg.QueryResult).rowCount ?? 0);
      }
      if (step.op === 'rows') {
        const query = step.query as PromiseLike<unknown[]> & { for(strength: 'update'): PromiseLike<unknown[]> };
        return await (step.lock ? query.for('update') : query);
      }
      const result = step.op === 'changes' ? await (step.query as PromiseLike<pg.QueryResult>) : await db.execute(step.sql);
      return result.rowCount ?? 0;
    } catch (error) {
      if (step.op === 'changes' && step.conflict !== undefined && isUniqueViolation(error)) throw new Conflict(`${step.conflict} already exists`);
      throw error;
    }
  };

/**
 * A refresh token's rotation in one statement (data-modifying WITH): mark the presented token used, only where it
 * is unused; insert the successor, only where that happened; record the family's use, only where the successor went
 * in. One statement is atomic on its own. A concurrent rotation of the same token waits on its row lock, then
 * (READ COMMITTED) checks used_at again and matches nothing, so exactly one of them rotates, as in the transaction
 * SQLite runs. Prepared once per connection under its name (node-postgres named statements).
 */
function rotationQuery(): { name: string; text: string; values(input: RotateInput): unknown[] } {
  // The successor's columns from the table definition, each parameter cast to its column's type (a parameter
  // in a SELECT list has no type of its own).
  const columns = Object.entries(getTableColumns(schema.refreshTokens));
  const text = `with marked as (
  update refresh_tokens set used_at = $1, successor_id = $2, successor_sealed = $3 where id = $4 and used_at is null returning id
), inserted as (
  insert into refresh_tokens (${columns.map(([, column]) => `"${column.name}"`).join(', ')})
  select ${columns.map(([, column], i) => `$${i + 5}::${column.getSQLType()}`).join(', ')} from marked returning family_id
), touched as (
  update families set last_used_at = $1 where id in (select family_id from inserted)
)
select count(*)::int as rotated from inserted`;
  return {
    name: 'tessera_rotate_refresh_token',
    text,
    values: ({ tokenId, usedAt, successor, successorSealed }) => [
      usedAt,
      successor.id,
      successorSealed,
      tokenId,
      ...columns.map(([key, column]) => {
        const value = successor[key as keyof typeof successor];
        return value === null || value === undefined ? null : column.mapToDriverValue(value);
      }),
    ],
  };
}

/** PostgreSQL through a node-postgres pool. Transactions run at READ COMMITTED, on a connection of their own. */
export function postgresDialect(url: string, options: PostgresOptions = {}): Dialect {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`invalid schema name "${options.schema}"`);
  const searchPath = options.schema ? `-c search_path=${options.schema}` : undefined;
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, ...(searchPath ? { options: searchPath } : {}) });
  // An idle connection dropped by the server emits here; the pool replaces it, and the next query reports real trouble.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  let closed = false;
  const rotation = rotationQuery();

  return {
    name: 'postgres',
    run: (work) => driveAsync(work(db as unknown as Db), executor(db, false)),
    transaction: (work) => db.transaction((tx) => driveAsync(work(tx as unknown as Db), executor(tx as unknown as PgDb, true))),
    async rotateRefreshToken(input) {
      const result = await pool.query<{ rotated: number }>({ name: rotation.name, text: rotation.text, values: rotation.values(input) });
      return result.rows[0]!.rotated === 1;
    },
    rowAddress: sql`ctid`,
    async scrubSigningKeys() {
      // The old row version (a private key in clear before `tessera keys encrypt`) stays in the table file
      // as a dead tuple; VACUUM FULL rewrites the (tiny) table without it. PostgreSQL's own WAL archive, if
      // any, is the operator's to rotate.
      await db.execute(sql`vacuum full signing_keys`);
    },
    pause: async () => {},
    async migrate() {
      // A session-level advisory lock on a dedicated connection: instances starting together migrate one at a time.
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        const conn = drizzle(client);
        await conn.execute(migrateLock);
        try {
          // Read under the lock: what this instance applies, not what another one did meanwhile.
          const pending = pendingMigrations(migrationsFolder, await lastMigrationAt(conn, options.schema ?? 'drizzle'));
          await migrate(conn, { migrationsFolder, ...(options.schema ? { migrationsSchema: options.schema } : {}) });
          return pending;
        } finally {
          await conn.execute(migrateUnlock);
        }
      } catch (error) {
        failure = error as Error;
        throw error;
      } finally {
        // Destroying the connection on failure also drops a lock we could not release.
        client.release(failure);
      }
    },
    async backup() {
      throw new Error('a PostgreSQL store is backed up with pg_dump');
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** When the last migration applied to this database was created (drizzle's record of it, in `schema`), or null before the first. */
async function lastMigrationAt(conn: NodePgDatabase, schema: string): Promise<number | null> {
  const recorded = await conn.execute(sql`select to_regclass(${`${schema}.__drizzle_migrations`}) is not null as found`);
  if (!recorded.rows[0]?.found) return null;
  const { rows } = await conn.execute(sql`select max(created_at) as at from ${sql.identifier(schema)}.__drizzle_migrations`);
  return rows[0]?.at === null || rows[0]?.at === undefined ? null : Number(rows[0].at);
}

/** A store on PostgreSQL. The tables have the same names and columns as SQLite's, so the core's queries serve both. */
export const postgresStore = (url: string, options: PostgresOptions & StoreOptions = {}): Store =>
  createStore(postgresDialect(url, options), schema as unknown as Tables, options);
