import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/types.js';
import { onCleanup } from './deps.js';

/** The PostgreSQL server the tests may use; each test file works in databases of its own under it. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

/** Names skipped PostgreSQL suites so a run without the server says so. */
export const pgSkipReason = 'skipped: TEST_DATABASE_URL not set';

const created: string[] = [];
let fileDatabase: Promise<string> | undefined;
let schemas = 0;
/** Migrated schemas of this file's database that a finished test left empty again, for the next test to take. */
const emptied: string[] = [];

async function onServer(statement: string): Promise<void> {
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set');
  await onDatabase(testDatabaseUrl, (client) => client.query(statement));
}

/** Drops this file's databases, with any connection a crashed process left behind (test/setup.ts calls it after each file). */
export async function dropDatabases(): Promise<void> {
  fileDatabase = undefined;
  emptied.length = 0;
  for (const name of created.splice(0)) await onServer(`drop database if exists ${name} with (force)`);
}

/** Creates an empty database `tessera_t_<random>` on the test server and returns its URL; dropped after the test file. */
export async function freshDatabase(): Promise<string> {
  const name = `tessera_t_${randomBytes(6).toString('hex')}`;
  await onServer(`create database ${name}`);
  created.push(name);
  const url = new URL(testDatabaseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh schema in this test file's database (created on first use). Each call returns an opener:
 * every store it opens is migrated, closed after the test, and sees the same tables, like two instances.
 *
 * Migrating a new schema takes about 0.2 s (some 45 DDL statements), more than most tests, so a schema is
 * emptied after its test (rows deleted, sequences reset: a few milliseconds) and handed to the next one,
 * whose migrate() then finds every migration applied. Only a schema that empties cleanly is reused.
 */
export async function freshSchema(): Promise<() => Promise<Store>> {
  fileDatabase ??= freshDatabase();
  const url = await fileDatabase;
  let schema = emptied.pop();
  if (schema === undefined) {
    schema = `s${++schemas}_${randomBytes(3).toString('hex')}`;
    await onDatabase(url, (client) => client.query(`create schema ${schema}`));
  }
  const taken = schema;
  // Registered before the stores' own cleanups, so it runs after they have closed (cleanups run newest first).
  onCleanup(async () => {
    if (fileDatabase === undefined) return;
    await onDatabase(url, (client) => emptySchema(client, taken));
    emptied.push(taken);
  });
  return async () => {
    const store = postgresStore(url, { schema: taken, poolSize: 5 });
    onCleanup(() => store.close());
    await store.migrate();
    return store;
  };
}

async function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Deletes every row of `schema` but drizzle's migration journal, referencing tables first, and restarts its sequences. */
async function emptySchema(client: pg.Client, schema: string): Promise<void> {
  const tables = await client.query<{ name: string }>(
    `select relname as name from pg_class where relnamespace = $1::regnamespace and relkind in ('r', 'p') and relname <> '__drizzle_migrations'`,
    [schema],
  );
  const references = await client.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent from pg_constraint k
       join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and k.connamespace = $1::regnamespace and k.conrelid <> k.confrelid`,
    [schema],
  );
  const sequences = await client.query<{ name: string }>(`select relname as name from pg_class where relnamespace = $1::regnamespace and relkind = 'S'`, [
    schema,
  ]);
  const order: string[] = [];
  const left = new Set(tables.rows.map((row) => row.name));
  while (left.size > 0) {
    // A table whose rows nothing left to delete refers to.
    const next = [...left].find((table) => !references.rows.some((edge) => edge.parent === table && edge.child !== table && left.has(edge.child)));
    if (next === undefined) throw new Error(`cannot order the tables of ${schema} for deletion`);
    order.push(next);
    left.delete(next);
  }
  const quoted = (name: string) => `"${schema}"."${name}"`;
  await client.query(
    [
      'begin',
      ...order.map((table) => `delete from ${quoted(table)}`),
      ...sequences.rows.map((row) => `select setval('${quoted(row.name)}', 1, false)`),
      'commit',
    ].join(';\n'),
  );
}

/** A migrated PostgreSQL store in a fresh schema, closed after the test. */
export async function postgresTestStore(): Promise<Store> {
  return (await freshSchema())();
}
