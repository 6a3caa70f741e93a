import { join } from 'node:path';
import { describe } from 'vitest';
import { fixedClock } from '../helpers/clock.js';
import { makeDeps, onCleanup, sqliteFileStore, tempDir } from '../helpers/deps.js';
import { httpAt, loginAlice, seed } from '../helpers/fixtures.js';
import { freshDatabase, pgSkipReason, testDatabaseUrl } from '../helpers/postgres.js';
import { startService, type ServiceProcess } from '../helpers/process.js';
import { basic, form } from '../helpers/server.js';
import { postgresStore } from '../../src/store/postgres.js';

/** A describe that runs only with PostgreSQL and otherwise shows up as skipped, with the reason. */
export const describeOnPostgres = (name: string, fn: () => void) => (testDatabaseUrl ? describe(name, fn) : describe.skip(`${name} (${pgSkipReason})`, fn));

/** Every instance of a deployment has one issuer, whichever instance answers. */
export const issuer = 'http://tessera.test';

export type Cluster = { a: ServiceProcess; b: ServiceProcess; databaseUrl: string; serviceSecret: string; aliceId: string };

/**
 * Two real `node dist/main.js` processes started at the same moment on one fresh PostgreSQL
 * database, or one fresh SQLite file (so they race to migrate and to create the first key), then
 * the usual cast seeded.
 */
export async function startCluster(env: Record<string, string> = {}, { on = 'postgres' }: { on?: 'postgres' | 'sqlite' } = {}): Promise<Cluster> {
  const sqlitePath = on === 'sqlite' ? join(tempDir(), 'tessera.db') : undefined;
  const databaseUrl = sqlitePath ? `file:${sqlitePath}` : await freshDatabase();
  // Both generate a first key as they race to start: Ed25519, which costs nothing to generate (the algorithm is not the point).
  const shared = { DATABASE_URL: databaseUrl, ISSUER: issuer, LOG_LEVEL: 'warn', SIGNING_ALG: 'EdDSA', ...env };
  const [a, b] = await Promise.all([startService(shared), startService(shared)]);

  const store = sqlitePath ? await sqliteFileStore(sqlitePath) : postgresStore(databaseUrl, { poolSize: 2 });
  onCleanup(() => store.close());
  const deps = await makeDeps({ store, clock: fixedClock(Math.floor(Date.now() / 1000)) });
  const cast = await seed(deps);
  return { a, b, databaseUrl, serviceSecret: cast.serviceSecret, aliceId: cast.alice.id };
}

export const post = (instance: ServiceProcess, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) => {
  const init = form(fields);
  return fetch(`${instance.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
};

export const login = (instance: ServiceProcess) => loginAlice(httpAt(instance.url));

export const refresh = (instance: ServiceProcess, token: string) =>
  post(instance, '/token', { grant_type: 'refresh_token', client_id: 'web-app', refresh_token: token });

export const introspect = async (instance: ServiceProcess, cluster: Cluster, token: string) =>
  (await post(instance, '/introspect', { token }, { authorization: basic('billing', cluster.serviceSecret) })).json();
