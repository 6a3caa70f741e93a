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

async function onServer(statement: string): Promise<void> {
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Drops this file's databases, with any connection a crashed process left behind (test/setup.ts calls it after each file). */
export async function dropDatabases(): Promise<void> {
  fileDatabase = undefined;
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
 */
export async function freshSchema(): Promise<() => Promise<Store>> {
  fileDatabase ??= freshDatabase();
  const url = await fileDatabase;
  const schema = `s${++schemas}_${randomBytes(3).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`).finally(() => client.end());
  return async () => {
    const store = postgresStore(url, { schema, poolSize: 5 });
    onCleanup(() => store.close());
    await store.migrate();
    return store;
  };
}

/** A migrated PostgreSQL store in a fresh schema, closed after the test. */
export async function postgresTestStore(): Promise<Store> {
  return (await freshSchema())();
}
