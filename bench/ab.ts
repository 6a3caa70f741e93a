// npx tsx bench/ab.ts DIST_A DIST_B [refresh|client_credentials] [pairs] [seconds] [--pg]: two builds of Tessera
// (each a dist/ directory with its main.js, e.g. /work/main/dist and dist), each on a store of its own, measured in
// alternating slices (A B, B A, ...) pinned as in `npm run bench`; prints each slice's server CPU time per request
// and the medians, and the ratio B/A. CPU per request holds still on a shared machine where rates do not.
// --together: both under load at once in each slice (both on the servers' core), so whatever else runs on the
// machine meets both alike. --b-env=NAME=VALUE (repeatable): an environment variable for B's server only (e.g. the
// same build twice, B with LOG_LEVEL=warn, for what the request line costs). `floor` as DIST_A or DIST_B: the floor
// (bench/peers/floor.ts) on a store of its own, for what remains between a build and it.
import { join, resolve } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cleanupAll } from './lib/cleanup.js';
import { connections, load, type Target } from './lib/load.js';
import { freshPgDatabase, pinSelf, startServer, tesseraOn, type Server } from './lib/processes.js';
import { sessions } from './lib/tessera.js';
import type { Deps } from '../src/services/deps.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const together = process.argv.includes('--together');
const envB = Object.fromEntries(
  process.argv.filter((a) => a.startsWith('--b-env=')).map((a) => a.slice('--b-env='.length).split(/=(.*)/s, 2) as [string, string]),
);
const [distA, distB] = [args[0]!, args[1]!].map((d) => (d === 'floor' ? d : resolve(d))) as [string, string];
const kind = args[2] ?? 'refresh';
const pairs = Number(args[3] ?? 4);
const seconds = Number(args[4] ?? 3);
const pg = process.argv.includes('--pg');
pinSelf();

type Side = { name: string; server: Server; deps: Deps | null; secret: string };

async function side(name: string, dist: string, env: Record<string, string> = {}): Promise<Side> {
  const databaseUrl = pg
    ? (await freshPgDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')).url
    : `file:${join(mkdtempSync(join(tmpdir(), 'tessera-ab-')), 'tessera.db')}`;
  if (dist === 'floor') {
    const store: Record<string, string> = pg ? { DATABASE_URL: databaseUrl } : { DB: databaseUrl.slice('file:'.length) };
    // The floor knows bench-service by this secret (bench/run.ts).
    return { name, server: await startServer(['--import', 'tsx', 'bench/peers/floor.ts'], store), deps: null, secret: 'bench-service-secret' };
  }
  const { server, deps, serviceSecret } = await tesseraOn(databaseUrl, [], [], { main: join(dist, 'main.js'), env });
  return { name, server, deps, secret: serviceSecret };
}

async function target(s: Side): Promise<Target> {
  if (kind === 'refresh') {
    const tokens = s.deps
      ? await sessions(s.deps, connections + 10)
      : ((await (await fetch(`${s.server.url}/sessions?n=${connections + 10}`)).json()) as string[]);
    return { kind: 'refresh', clientId: 'bench-app', tokens };
  }
  return {
    kind: 'form',
    path: '/token',
    body: 'grant_type=client_credentials&scope=read',
    headers: { authorization: `Basic ${Buffer.from(`bench-service:${s.secret}`).toString('base64')}` },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const a = await side('A', distA);
  const b = await side('B', distB, envB);
  // A short warm-up of each, unmeasured.
  for (const s of [a, b]) await load(s.server.url, s.server.child.pid, await target(s), 1);
  const cpu: Record<string, number[]> = { A: [], B: [] };
  for (let i = 0; i < pairs; i++) {
    if (together) {
      const [ta, tb] = [await target(a), await target(b)];
      const [ra, rb] = await Promise.all([load(a.server.url, a.server.child.pid, ta, seconds), load(b.server.url, b.server.child.pid, tb, seconds)]);
      cpu.A!.push(ra.cpuMs);
      cpu.B!.push(rb.cpuMs);
      console.log(
        `together ${kind}: A ${Math.round(ra.rate)} /s, CPU ${ra.cpuMs.toFixed(3)} ms/req; B ${Math.round(rb.rate)} /s, CPU ${rb.cpuMs.toFixed(3)} ms/req; B/A ${(rb.cpuMs / ra.cpuMs).toFixed(3)}`,
      );
      continue;
    }
    for (const s of i % 2 === 0 ? [a, b] : [b, a]) {
      const r = await load(s.server.url, s.server.child.pid, await target(s), seconds);
      cpu[s.name]!.push(r.cpuMs);
      console.log(`${s.name} ${kind}: ${Math.round(r.rate)} /s, CPU ${r.cpuMs.toFixed(3)} ms/req, ${r.failures} failures`);
    }
  }
  const [ma, mb] = [median(cpu.A!), median(cpu.B!)];
  console.log(`median CPU ms/req: A ${ma.toFixed(3)} (${distA}), B ${mb.toFixed(3)} (${distB}); B/A ${(mb / ma).toFixed(3)}`);
} finally {
  await cleanupAll();
}
