import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import { createKeyRing } from './keys/key-ring.js';
import { systemClock, type Clock } from './lib/clock.js';
import { argon2Hasher, limitedHasher, type Hasher } from './lib/password-hasher.js';
import { randomIds, type Ids } from './lib/ids.js';
import { createMetrics, type Metrics } from './lib/metrics.js';
import { instrument } from './services/instrument.js';
import type { Deps } from './services/deps.js';
import { openSqlite, sqliteStore } from './store/sqlite.js';
import { checkpointInBackground } from './store/sqlite-checkpoints.js';
import type { Store } from './store/types.js';

/**
 * The one place a concrete store is chosen, from DATABASE_URL. `serving`: for the long-running server, whose SQLite
 * WAL checkpoints then run on a worker thread (store/sqlite-checkpoints.ts) instead of in the requests that commit.
 */
export async function openStore(config: Pick<Config, 'database'>, { serving = false } = {}): Promise<Store> {
  if (config.database.kind === 'sqlite') {
    const client = openSqlite(config.database.path);
    return sqliteStore(client, serving ? { checkpointer: checkpointInBackground(client, config.database.path) } : {});
  }
  const { postgresStore } = await import('./store/postgres.js');
  return postgresStore(config.database.url);
}

/** Wires the production dependencies; tests build theirs with test/helpers. */
export async function buildDeps(
  config: Config,
  log: Logger,
  overrides: { store?: Store; clock?: Clock; ids?: Ids; hasher?: Hasher; metrics?: Metrics; dummyPasswordHash?: string } = {},
): Promise<Deps> {
  const store = overrides.store ?? (await openStore(config));
  const hasher = overrides.hasher ?? argon2Hasher();
  const ids = overrides.ids ?? randomIds;
  const deps = {
    config,
    store,
    keys: createKeyRing(store, config, { log }),
    clock: overrides.clock ?? systemClock,
    ids,
    hasher,
    log,
    dummyPasswordHash: overrides.dummyPasswordHash ?? (await hasher.hash(ids.secret())),
  };
  const instrumented = instrument(deps, overrides.metrics ?? createMetrics());
  // Outside the instrument, so argon2's timings do not include the wait for a turn.
  return { ...instrumented, hasher: limitedHasher(instrumented.hasher) };
}
