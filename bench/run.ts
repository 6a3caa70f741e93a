// npm run bench [-- --quick]: Tessera's figures next to the raw limits measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDeps } from '../src/compose.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/lib/logger.js';
import { createVerifier } from '../src/verify/index.js';
import { buildDist, freshPgDatabase, pgReachable, startInstance, type Instance } from './lib/processes.js';
import { argon2VerifyMs, joseVerifyPerSecond, pgTransactionsPerSecond, rs256SignMs, sqliteTransactionsPerSecond } from './lib/raw.js';
import { median, percentile, quick, throughput, timeEach } from './lib/stats.js';
import { benchEnv, login, password, refresh, seed, startInProcess } from './lib/tessera.js';

type Row = { case: string; figure: string; limit: string; ratio: string; value: number; limitValue: number };
const rows: Row[] = [];
const fmt = (n: number, unit: string) => `${n >= 100 ? n.toFixed(0) : n.toFixed(2)} ${unit}`;
function report(name: string, value: number, unit: string, limitName: string, limitValue: number, limitUnit: string, ratio: number) {
  rows.push({ case: name, figure: fmt(value, unit), limit: `${limitName} ${fmt(limitValue, limitUnit)}`, ratio: `${ratio.toFixed(2)}×`, value, limitValue });
  console.error(`  ${name}: ${fmt(value, unit)}`);
}

const concurrency = 16;
const seconds = quick ? 0.5 : 3;
const pgAdminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Seeds a store through the services (migrating it), as an operator would with the CLI. */
async function seedStore(databaseUrl: string): Promise<void> {
  const deps = await buildDeps(loadConfig({ ...benchEnv, DATABASE_URL: databaseUrl }), createLogger('silent'));
  await deps.store.migrate();
  await seed(deps);
  await deps.store.close();
}

/** `concurrency` sessions, each refreshing its own chain, spread over the instances. */
async function refreshThroughput(instances: Instance[]): Promise<number> {
  const chains = await Promise.all(Array.from({ length: concurrency }, async () => (await login(instances[0]!.url)).refresh_token!));
  return throughput(concurrency, seconds, async (w) => {
    chains[w] = await refresh(instances[w % instances.length]!.url, chains[w]!);
  });
}

async function main(): Promise<void> {
  console.error(`tessera bench (${quick ? 'quick' : 'full'}), ${cpus().length} cores, node ${process.version}`);
  buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  try {
    const sqliteUrl = `file:${join(dir, 'tessera.db')}`;
    await seedStore(sqliteUrl);
    const sqlite = await startInstance(sqliteUrl);

    console.error('login (password grant, production argon2: 19 MiB, t=2, p=1)');
    const logins = await timeEach(quick ? 5 : 30, () => login(sqlite.url));
    const argon2 = await argon2VerifyMs(quick ? 5 : 30, password);
    report('login latency, median', median(logins), 'ms', 'argon2 verify', argon2, 'ms', median(logins) / argon2);
    report('login latency, p95', percentile(logins, 95), 'ms', 'argon2 verify', argon2, 'ms', percentile(logins, 95) / argon2);

    console.error('refresh (rotation), one process on SQLite');
    let token = (await login(sqlite.url)).refresh_token!;
    const refreshes = await timeEach(quick ? 50 : 500, async () => {
      token = await refresh(sqlite.url, token);
    });
    const sign = await rs256SignMs(quick ? 50 : 300);
    const sqliteTx = sqliteTransactionsPerSecond(dir, seconds);
    // The floor under any request: one HTTP round trip on loopback to the same process, doing nothing.
    const roundTrip = median(await timeEach(quick ? 50 : 500, async () => (await fetch(`${sqlite.url}/healthz`)).arrayBuffer()));
    const floor = roundTrip + sign;
    report('refresh latency, median', median(refreshes), 'ms', 'HTTP round trip + RS256 sign', floor, 'ms', median(refreshes) / floor);
    report('refresh latency, p95', percentile(refreshes, 95), 'ms', 'HTTP round trip + RS256 sign', floor, 'ms', percentile(refreshes, 95) / floor);
    const sequential = 1000 / median(refreshes);
    report('refreshes/s, sequential', sequential, '/s', 'raw SQLite rotation tx', sqliteTx, '/s', sequential / sqliteTx);
    const concurrent = await refreshThroughput([sqlite]);
    report(`refreshes/s, ${concurrency} sessions, SQLite`, concurrent, '/s', 'raw SQLite rotation tx', sqliteTx, '/s', concurrent / sqliteTx);
    await sqlite.stop();

    console.error('verification');
    const running = await startInProcess();
    await seed(running.deps);
    const { access_token: accessToken } = await login(running.url);
    const verifier = createVerifier({ issuer: running.url, audience: running.url });
    await verifier.verify(accessToken!);
    // Median of three runs each: one run of a hot loop is at the mercy of a single GC pause.
    const verifyRuns: number[] = [];
    const joseRuns: number[] = [];
    for (let run = 0; run < 3; run++) {
      verifyRuns.push(await throughput(1, seconds, async () => void (await verifier.verify(accessToken!))));
      joseRuns.push(await joseVerifyPerSecond(seconds));
    }
    const verifies = median(verifyRuns);
    const joseVerifies = median(joseRuns);
    report('tessera/verify verifications/s', verifies, '/s', 'jose jwtVerify', joseVerifies, '/s', verifies / joseVerifies);
    verifier.close();
    await running.close();

    if (await pgReachable(pgAdminUrl)) {
      console.error('refresh throughput on PostgreSQL');
      const db = await freshPgDatabase(pgAdminUrl);
      try {
        await seedStore(db.url);
        const rawPg = await pgTransactionsPerSecond(db.url, concurrency, seconds);
        const one = await startInstance(db.url);
        const oneRate = await refreshThroughput([one]);
        report(`refreshes/s, ${concurrency} sessions, PostgreSQL, 1 instance`, oneRate, '/s', 'raw PG rotation tx', rawPg, '/s', oneRate / rawPg);
        const two = await startInstance(db.url);
        const twoRate = await refreshThroughput([one, two]);
        report(`refreshes/s, ${concurrency} sessions, PostgreSQL, 2 instances`, twoRate, '/s', 'raw PG rotation tx', rawPg, '/s', twoRate / rawPg);
        await Promise.all([one.stop(), two.stop()]);
      } finally {
        await db.drop();
      }
    } else {
      console.error(`PostgreSQL at ${pgAdminUrl} is not reachable: its cases are skipped`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const width = (k: keyof Row) => Math.max(String(k).length, ...rows.map((r) => String(r[k]).length));
  const cols: (keyof Row)[] = ['case', 'figure', 'limit', 'ratio'];
  console.log(cols.map((c) => c.padEnd(width(c))).join('  '));
  for (const r of rows) console.log(cols.map((c) => String(r[c]).padEnd(width(c))).join('  '));
  console.log(JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, quick, results: rows.map(({ case: name, value, limitValue }) => ({ case: name, value, limit: limitValue })) }));
}

await main();
