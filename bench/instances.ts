// npx tsx bench/instances.ts [seconds]: refresh throughput of one Tessera process against two on one SQLite file
// (issue 12: what using both cores would give). Nothing is pinned: the servers share the machine's cores with the
// load generator (this process), so the figure says what a second process adds there, not a per-core limit.
// Each side gets the same load: two generators of 50 connections each, on one server or one per server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDeps } from '../src/compose.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/lib/logger.js';
import { cleanupAll, onCleanup } from './lib/cleanup.js';
import { load } from './lib/load.js';
import { buildDist, freePort, startServer } from './lib/processes.js';
import { benchEnv, seed, sessions } from './lib/tessera.js';

const seconds = Number(process.argv[2] ?? 8);
buildDist();
const dir = mkdtempSync(join(tmpdir(), 'tessera-instances-'));
const databaseUrl = `file:${join(dir, 'tessera.db')}`;
const deps = await buildDeps(loadConfig({ ...benchEnv, DATABASE_URL: databaseUrl }), createLogger('silent'));
onCleanup(() => deps.store.close());
await deps.store.migrate();
await seed(deps);

const urls: string[] = [];
const issuer = `http://127.0.0.1:${await freePort()}`;
for (const port of [Number(new URL(issuer).port), await freePort()]) {
  const env = { ...benchEnv, LOG_LEVEL: 'info', HOST: '127.0.0.1', ISSUER: issuer, DATABASE_URL: databaseUrl };
  urls.push((await startServer(['dist/main.js'], env, { port, pin: false })).url);
}

try {
  for (let rep = 1; rep <= 3; rep++) {
    const rates: string[] = [];
    for (const processes of [1, 2]) {
      const pools = [await sessions(deps, 60), await sessions(deps, 60)];
      const results = await Promise.all(
        pools.map((tokens, i) => load(urls[processes === 2 ? i : 0]!, undefined, { kind: 'refresh', clientId: 'bench-app', tokens }, seconds)),
      );
      rates.push(`${processes} process${processes === 2 ? 'es' : ''} ${Math.round(results.reduce((sum, r) => sum + r.rate, 0))} /s`);
    }
    console.log(`repetition ${rep}: refresh on one SQLite file, ${rates.join(', ')}`);
  }
} finally {
  await cleanupAll();
}
