import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { KeyPairSource } from '../../src/keys/generate.js';
import { createKeyRing } from '../../src/keys/key-ring.js';
import { argon2Hasher, type Hasher } from '../../src/lib/password-hasher.js';
import type { Ids } from '../../src/lib/ids.js';
import { instrument } from '../../src/services/instrument.js';
import type { Deps } from '../../src/services/deps.js';
import { openSqlite, sqliteStore } from '../../src/store/sqlite.js';
import type { StoreOptions } from '../../src/store/core.js';
import type { Store } from '../../src/store/types.js';
import { fixedClock, type FixedClock } from './clock.js';
import { seqIds } from './ids.js';
import { fixtureKeyPairs } from './keys.js';
import { postgresTestStore } from './postgres.js';

/** argon2id at its cheapest, so tests spend milliseconds; test/unit/lib/password-hasher.test.ts pins the production parameters. */
export const fastHasher = argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** Records which hashes were verified, so a test can see the work a login did. */
export function countingHasher(): Hasher & { verified: string[] } {
  const verified: string[] = [];
  return {
    hash: fastHasher.hash,
    verified,
    verify: (hash, pw) => {
      verified.push(hash);
      return fastHasher.verify(hash, pw);
    },
  };
}

const cleanups: (() => Promise<void> | void)[] = [];

/** Runs, newest first, what the test registered with onCleanup (test/setup.ts calls it after each test). */
export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** Runs `fn` after the current test, whatever its outcome. */
export const onCleanup = (fn: () => Promise<void> | void) => cleanups.push(fn);

/** A fresh directory removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-test-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A migrated SQLite store in a real file of its own. */
export async function sqliteFileStore(path = join(tempDir(), 'tessera.db')): Promise<Store> {
  const store = sqliteStore(openSqlite(path));
  await store.migrate();
  onCleanup(() => store.close());
  return store;
}

/** A migrated private in-memory SQLite store, for tests where a file is not the point (nothing else can open it). */
export async function sqliteMemoryStore(options: StoreOptions = {}): Promise<Store> {
  const store = sqliteStore(openSqlite(':memory:'), options);
  await store.migrate();
  onCleanup(() => store.close());
  return store;
}

/**
 * The store a test gets unless it passes one: in-memory SQLite, or a fresh PostgreSQL schema when the run
 * sets TESSERA_TEST_STORE=postgres (the vitest project that repeats test/http on PostgreSQL). Tests that
 * open the database a second time, or restart on it, pass a sqliteFileStore().
 */
export const testStore = (): Promise<Store> => (process.env.TESSERA_TEST_STORE === 'postgres' ? postgresTestStore() : sqliteMemoryStore());

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ISSUER: 'http://127.0.0.1:3000', LOG_LEVEL: 'silent', ...env });
}

export type TestDeps = Deps & { clock: FixedClock };

export type MakeDepsOptions = {
  config?: Config;
  env?: Record<string, string>;
  store?: Store;
  ids?: Ids;
  clock?: FixedClock;
  log?: Logger;
  /** Committed fixture keys unless given; tests about key generation pass `freshKeyPair`. */
  keyPairs?: KeyPairSource;
  /**
   * false: the key ring is left as bin/tessera.js opens it, not loaded and with no key created (only `keys rotate`
   * creates one), for tests of the keys commands.
   */
  refreshKeys?: boolean;
};

/** Deps on testStore() with a fixed clock, counting ids, cheap argon2 and a loaded signing key (unless refreshKeys is false). */
export async function makeDeps(options: MakeDepsOptions = {}): Promise<TestDeps> {
  const config = options.config ?? testConfig(options.env);
  const store = options.store ?? (await testStore());
  const clock = options.clock ?? fixedClock();
  const ids = options.ids ?? seqIds();
  const log = options.log ?? pino({ level: 'silent' });
  const deps: TestDeps = instrument({
    config,
    store,
    keys: createKeyRing(store, config, { keyPairs: options.keyPairs ?? fixtureKeyPairs, log }),
    clock,
    ids,
    hasher: fastHasher,
    log,
    dummyPasswordHash: await fastHasher.hash('not-a-real-password'),
  });
  if (options.refreshKeys !== false) await deps.keys.refresh(clock.now());
  return deps;
}
