// npm run bench [-- --quick]: Tessera's figures next to the raw limits measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDeps } from '../src/compose.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/lib/logger.js';
import { cleanupAll, onCleanup } from './lib/cleanup.js';
import { buildDist, freshPgDatabase, pgReachable, startInstance, type Instance } from './lib/processes.js';
import { argon2VerifyMs, pgTransactionsPerSecond, rs256SignMs, sqliteTransactionsPerSecond } from './lib/raw.js';
import { note, printReport, report } from './lib/report.js';
import { median, percentile, quick, sequentialRate, throughput, timeEach } from './lib/stats.js';
import { benchEnv, login, password, refresh, seed, serverArgon2Verifies } from './lib/tessera.js';
import { measureVerify } from './verify.js';

const concurrency = 16;
const seconds = quick ? 0.5 : 3;
const isPgUrl = (url: string | undefined) => url !== undefined && /^postgres(ql)?:\/\//.test(url);
// The server the PostgreSQL cases create their database on; the database in the URL itself is left alone.
const pgServerUrl =
  process.env.BENCH_DATABASE_URL ?? (isPgUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL! : 'postgres://postgres@127.0.0.1:5432/test');

/** Seeds a store through the services (migrating it), as an operator would with the CLI. */
async function seedStore(databaseUrl: string): Promise<void> {
  const deps = await buildDeps(loadConfig({ ...benchEnv, DATABASE_URL: databaseUrl }), createLogger('silent'));
  try {
    await deps.store.migrate();
    await seed(deps);
  } finally {
    await deps.store.close();
  }
}

/** `concurrency` sessions, each refreshing its own chain, spread over the instances. */
async function refreshThroughput(instances: Instance[]): Promise<number> {
  const chains = await Promise.all(Array.from({ length: concurrency }, async () => (await login(instances[0]!.url)).refresh_token!));
  const step = async (w: number) => {
    chains[w] = await refresh(instances[w % instances.length]!.url, chains[w]!);
  };
  // Warm-up: a fresh instance compiles its code and fills its pool on the first refreshes.
  for (let round = 0; round < 3; round++) await Promise.all(chains.map((_, w) => step(w)));
  return throughput(concurrency, seconds, step);
}

async function sqliteCases(dir: string): Promise<void> {
  const sqliteUrl = `file:${join(dir, 'tessera.db')}`;
  await seedStore(sqliteUrl);
  const sqlite = await startInstance(sqliteUrl);

  console.error('login (password grant, production argon2: 19 MiB, t=2, p=1), one process on SQLite');
  await timeEach(3, () => login(sqlite.url)); // warm-up: first requests compile code and open statements
  const before = await serverArgon2Verifies(sqlite.url);
  const logins = await timeEach(quick ? 5 : 40, () => login(sqlite.url));
  const after = await serverArgon2Verifies(sqlite.url);
  const argon2 = await argon2VerifyMs(quick ? 5 : 40, password);
  report('login latency, median', median(logins), 'ms', 'argon2 verify', argon2);
  report('login latency, p95', percentile(logins, 95), 'ms', 'argon2 verify', argon2);
  // The server's own argon2 time per login (its /metrics) tells the hash apart from the rest of the request.
  report('login, argon2 inside the server, mean', (after.totalMs - before.totalMs) / (after.count - before.count), 'ms', 'argon2 verify', argon2);

  console.error('refresh (rotation), one process on SQLite');
  let token = (await login(sqlite.url)).refresh_token!;
  await timeEach(20, async () => {
    token = await refresh(sqlite.url, token);
  });
  const refreshes = await timeEach(quick ? 50 : 1000, async () => {
    token = await refresh(sqlite.url, token);
  });
  const sign = await rs256SignMs(quick ? 50 : 300);
  const sqliteTx = sqliteTransactionsPerSecond(dir, seconds);
  // The floor under any request: one HTTP round trip on loopback to the same process, doing nothing.
  const roundTrip = median(await timeEach(quick ? 50 : 500, async () => (await fetch(`${sqlite.url}/healthz`)).arrayBuffer()));
  const floor = roundTrip + sign;
  note('refresh_floor_ms', { round_trip: roundTrip, rs256_sign: sign });
  const floorName = `round trip ${roundTrip.toFixed(2)} + RS256 sign ${sign.toFixed(2)} =`;
  report('refresh latency, median', median(refreshes), 'ms', floorName, floor);
  report('refresh latency, p95', percentile(refreshes, 95), 'ms', floorName, floor);
  report('refreshes/s, sequential, SQLite', sequentialRate(refreshes), '/s', 'raw SQLite rotation tx', sqliteTx);
  const concurrent = await refreshThroughput([sqlite]);
  report(`refreshes/s, ${concurrency} sessions, SQLite`, concurrent, '/s', 'raw SQLite rotation tx', sqliteTx);
  await sqlite.stop();
}

async function verifyCases(): Promise<void> {
  console.error('verification (tessera-verify in this process, bench/verify.ts)');
  const figures = await measureVerify({ seconds, runs: 3 });
  report('tessera-verify verifications/s', figures.plain, '/s', 'jose jwtVerify', figures.jose);
  report('tessera-verify verifications/s, following the feed', figures.followingFeed, '/s', 'jose jwtVerify', figures.jose);
}

async function postgresCases(): Promise<void> {
  const shown = new URL(pgServerUrl);
  shown.password = '';
  if (!(await pgReachable(pgServerUrl))) {
    console.error(`PostgreSQL cases skipped: no server at ${shown} (set BENCH_DATABASE_URL)`);
    return;
  }
  console.error(`refresh throughput on PostgreSQL (a fresh database on ${shown.host})`);
  const db = await freshPgDatabase(pgServerUrl);
  try {
    await seedStore(db.url);
    const rawPg = await pgTransactionsPerSecond(db.url, concurrency, seconds);
    const limit = `raw PG rotation tx (${concurrency} connections)`;
    const one = await startInstance(db.url);
    report(`refreshes/s, ${concurrency} sessions, PostgreSQL, 1 instance`, await refreshThroughput([one]), '/s', limit, rawPg);
    const two = await startInstance(db.url);
    report(`refreshes/s, ${concurrency} sessions, PostgreSQL, 2 instances`, await refreshThroughput([one, two]), '/s', limit, rawPg);
    await Promise.all([one.stop(), two.stop()]);
  } catch (error) {
    // The other cases still count: say why these are missing instead of losing the whole run.
    console.error(`PostgreSQL cases failed: ${(error as Error).message}`);
  } finally {
    await db.drop();
  }
}

async function main(): Promise<void> {
  console.error(`tessera bench (${quick ? 'quick' : 'full'}), ${cpus().length} cores, node ${process.version}`);
  buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await sqliteCases(dir);
    await verifyCases();
    await postgresCases();
  } finally {
    await cleanupAll();
  }
  printReport(quick ? 'quick' : 'full');
}

await main();
