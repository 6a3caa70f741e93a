import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { Conflict } from '../errors/domain.js';
import { createStore, type StoreOptions } from './core.js';
import { pendingMigrations } from './migrations.js';
import type { Checkpointer } from './sqlite-checkpoints.js';
import { driveSync, preparedForm, type Db, type Dialect, type Step, type Work } from './dialect.js';
import * as schema from './schema/sqlite.js';
import type { Store } from './types.js';

const migrationsFolder = fileURLToPath(new URL('../../drizzle/sqlite', import.meta.url));

/** Opens (creating if needed) a SQLite database file in WAL mode; `:memory:` for a private in-memory one. */
export function openSqlite(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** When the last migration applied to this database was created (drizzle's record of it), or null before the first. */
function lastMigrationAt(client: Database.Database): number | null {
  if (!client.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get()) return null;
  const row = client.prepare('select max(created_at) as at from __drizzle_migrations').get() as { at: number | null };
  return row.at === null ? null : Number(row.at);
}

type SqlitePrepared = { all(params: Record<string, unknown>): unknown[]; run(params: Record<string, unknown>): Database.RunResult };

const isUniqueViolation = (error: unknown): boolean => error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT');

/**
 * SQLite through better-sqlite3, which is synchronous: every unit of work runs to its end without
 * yielding, so nothing else touches the connection in the middle of a transaction.
 */
export function sqliteDialect(client: Database.Database, { checkpointer }: { checkpointer?: Checkpointer } = {}): Dialect {
  const db = drizzle(client, { schema }) as unknown as Db;

  const execute = (step: Step): unknown => {
    try {
      if (step.op === 'prepared') {
        // Prepared on the connection itself, so it serves inside transactions too (one connection, synchronous).
        const statement = preparedForm(step.statement, () => (step.statement.build(db) as { prepare(): SqlitePrepared }).prepare());
        return step.statement.mode === 'rows' ? statement.all(step.params) : statement.run(step.params).changes;
      }
      if (step.op === 'rows') return (step.query as { all(): unknown[] }).all();
      if (step.op === 'changes') return (step.query as { run(): Database.RunResult }).run().changes;
      return (db.run(step.sql) as Database.RunResult).changes;
    } catch (error) {
      if (step.op === 'changes' && step.conflict !== undefined && isUniqueViolation(error)) throw new Conflict(`${step.conflict} already exists`);
      throw error;
    }
  };

  // Made once (better-sqlite3 builds a wrapper per call of transaction(), drizzle a query builder per transaction).
  // The steps run on the connection's own builder: on one synchronous connection, everything between BEGIN and
  // COMMIT belongs to the transaction.
  const inTransaction = client.transaction((work: Work<unknown>) => driveSync(work(db), execute));

  return {
    name: 'sqlite',
    run: async (work) => driveSync(work(db), execute),
    // IMMEDIATE takes the write lock up front, so processes sharing the file serialise here.
    transaction: async <T>(work: Work<T>) => inTransaction.immediate(work) as T,
    rowAddress: sql`rowid`,
    async scrubSigningKeys() {
      // The old value (a private key in clear before `tessera keys encrypt`) must not linger in unused
      // page space or WAL frames: VACUUM rewrites every page, then the WAL is folded in and truncated.
      client.exec('VACUUM');
      client.pragma('wal_checkpoint(TRUNCATE)');
    },
    pause: () => new Promise((resolve) => setImmediate(resolve)),
    async migrate() {
      // Two processes starting on a fresh file may race on the first migration; the loser retries and finds it applied.
      for (let attempt = 1; ; attempt++) {
        try {
          const pending = pendingMigrations(migrationsFolder, lastMigrationAt(client));
          migrate(drizzle(client), { migrationsFolder });
          return pending;
        } catch (error) {
          if (attempt >= 3) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
    },
    async ping() {
      client.prepare('select 1').get();
    },
    async backup(destination) {
      // SQLite's online backup API; all pages in one step, so the copy is one consistent snapshot (a write by
      // another connection between steps would make SQLite start over). In WAL mode writers carry on meanwhile.
      const { totalPages } = await client.backup(destination, { progress: () => 0x7fffffff });
      return totalPages;
    },
    async close() {
      await checkpointer?.stop();
      if (client.open) client.close();
    },
  };
}

/** A store on a SQLite connection; a serving one passes the checkpointer that keeps its WAL checkpoints off the event loop. */
export const sqliteStore = (client: Database.Database, options: { checkpointer?: Checkpointer } & StoreOptions = {}): Store =>
  createStore(sqliteDialect(client, options), schema, options);
