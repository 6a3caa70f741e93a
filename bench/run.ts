// npm run bench [-- --quick] [-- --scale] [-- --seconds N] [-- --only CASES]: Tessera side by side with its floor (bench/peers/floor.ts,
// on SQLite and on PostgreSQL), node-oidc-provider in memory and on Redis (the durable peer), a bare Hono server and
// the raw limits of the servers' core, in one run, each ratio beside its target (issues 12 and 30). Servers are pinned to core 0 and this process, the load generator, to core 1 (taskset, where it
// exists); every case runs in interleaved repetitions and the table shows medians.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deps } from '../src/services/deps.js';
import { cleanupAll, onCleanup } from './lib/cleanup.js';
import { proofCostMicros, proofSigner } from './lib/dpop.js';
import { connections, load, type LoadResult, type Target } from './lib/load.js';
import {
  buildDist,
  freshPgDatabase,
  pgReachable,
  pinning,
  pinSelf,
  rawLimits,
  startOidcProvider,
  startServer,
  tesseraOn,
  type Server,
} from './lib/processes.js';
import { floorRow, infoRow, latencyRow, printReport, rate, ratioRow } from './lib/report.js';
import { startRedis } from './lib/redis.js';
import { scaleSizes, seedScale } from './lib/scale.js';
import { median, quick } from './lib/stats.js';
import { checkDpopRefresh, dpopSessions, password, sessions } from './lib/tessera.js';

const flag = (name: string) => process.argv.indexOf(`--${name}`);
const scale = flag('scale') >= 0;
const seconds = flag('seconds') >= 0 ? Number(process.argv[flag('seconds') + 1]) : quick ? 1 : 10;
const repetitions = quick ? 1 : 3;
// --only refresh,login: only those cases (and their warm-up); the raw limits are the case `limits`.
const caseNames = ['refresh', 'client_credentials', 'static', 'login', 'limits'] as const;
const only = flag('only') >= 0 ? (process.argv[flag('only') + 1] ?? '').split(',') : [...caseNames];
const unknownCase = only.find((name) => !(caseNames as readonly string[]).includes(name));
if (unknownCase !== undefined) throw new Error(`--only takes cases among ${caseNames.join(', ')}, comma-separated; not ${unknownCase}`);
const runs = (name: (typeof caseNames)[number]) => only.includes(name);
// Chains to spare: a refresh answered with an error ends its chain.
const chains = connections + 10;

const isPgUrl = (url: string | undefined) => url !== undefined && /^postgres(ql)?:\/\//.test(url);
// The server the PostgreSQL case creates its database on; the database in the URL itself is left alone.
const pgServerUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  (isPgUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL! : 'postgres://postgres@127.0.0.1:5432/test');

// The public static documents, each measured against bare Hono answering the same bytes.
const staticPaths = ['/.well-known/jwks.json', '/.well-known/openid-configuration', '/healthz'];

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const clientCredentials = (authorization: string): Target => ({
  kind: 'form',
  path: '/token',
  body: 'grant_type=client_credentials&scope=read',
  headers: { authorization },
});

// Each side of a case is measured in slices that alternate with the other side's (a b b a a ...): the machine's
// speed drifts by tens of percent over tens of seconds here, and back-to-back halves of a case caught different
// machines. A side's figures are its slices' means (its p99, their highest).
const slices = quick ? 1 : 5;

function merged(results: LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number) => results.reduce((sum, r) => sum + pick(r), 0) / results.length;
  return {
    rate: mean((r) => r.rate),
    p50: mean((r) => r.p50),
    p99: Math.max(...results.map((r) => r.p99)),
    failures: results.reduce((sum, r) => sum + r.failures, 0),
    cpuMs: mean((r) => r.cpuMs),
    loadCpuMs: mean((r) => r.loadCpuMs),
    loadBusy: mean((r) => r.loadBusy),
  };
}

/**
 * The sides of a case over `seconds` each, in alternating slices (the order reverses from one slice to the next, and
 * between repetitions).
 */
async function alternate(rep: number, sides: ((duration: number) => Promise<LoadResult>)[]): Promise<LoadResult[]> {
  const results: LoadResult[][] = sides.map(() => []);
  for (let slice = 0; slice < slices; slice++) {
    const order = sides.map((_, i) => i);
    if ((rep + slice) % 2 === 1) order.reverse();
    for (const i of order) results[i]!.push(await sides[i]!(seconds / slices));
  }
  return results.map(merged);
}

/** Two sides of a case, as alternate() measures them. */
async function pair(
  rep: number,
  a: (duration: number) => Promise<LoadResult>,
  b: (duration: number) => Promise<LoadResult>,
): Promise<[LoadResult, LoadResult]> {
  const [first, second] = await alternate(rep, [a, b]);
  return [first!, second!];
}

const measured = async (what: string, server: Server, target: Target, rateCap?: number, duration = seconds): Promise<LoadResult> => {
  const result = await load(server.url, [server.child.pid, ...(server.companions ?? [])], target, duration, rateCap);
  console.error(
    `    ${what}${rateCap ? ` at ${Math.round(rateCap)} /s` : ''}: ${rate(result.rate)}, p99 ${result.p99} ms, CPU ${result.cpuMs.toFixed(2)} ms/request`,
  );
  if (result.failures > 0) console.error(`  warning: ${what}: ${result.failures} requests failed`);
  return result;
};

type Sides = { server: Server; deps: Deps; serviceSecret: string; floor: Server };

async function main(): Promise<void> {
  pinSelf();
  console.error(
    `tessera bench (${quick ? 'quick' : 'full'}): ${repetitions} interleaved repetitions of ${seconds} s, ${connections} connections; ` +
      `${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}; ${pinning ? 'servers on core 0, load on core 1' : 'no taskset: not pinned'}` +
      (only.length < caseNames.length ? `; only ${only.join(', ')}` : ''),
  );
  buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));

  const sqlite: Sides = {
    ...(await tesseraOn(`file:${join(dir, 'tessera.db')}`)),
    floor: await startServer(['--import', 'tsx', 'bench/peers/floor.ts'], { DB: join(dir, 'floor.db') }),
  };
  const provider = await startOidcProvider();
  const redis = await startRedis();
  const durable = { ...(await startOidcProvider(redis.url)), companions: [redis.pid] };
  const documents = Object.fromEntries(
    await Promise.all(
      staticPaths.map(async (path) => {
        const res = await fetch(`${sqlite.server.url}${path}`);
        const headers = Object.fromEntries(['content-type', 'cache-control', 'etag'].flatMap((h) => (res.headers.get(h) ? [[h, res.headers.get(h)!]] : [])));
        return [path, { body: await res.text(), headers }];
      }),
    ),
  );
  writeFileSync(join(dir, 'documents.json'), JSON.stringify(documents));
  const hono = await startServer(['--import', 'tsx', 'bench/peers/bare-hono.ts'], { DOCUMENTS: join(dir, 'documents.json') });

  let postgres: Sides | null = null;
  if (await pgReachable(pgServerUrl)) {
    const db = await freshPgDatabase(pgServerUrl);
    const floorDb = await freshPgDatabase(pgServerUrl);
    postgres = { ...(await tesseraOn(db.url)), floor: await startServer(['--import', 'tsx', 'bench/peers/floor.ts'], { DATABASE_URL: floorDb.url }) };
  } else {
    console.error('PostgreSQL cases skipped: no server (set BENCH_DATABASE_URL)');
  }

  let large: { server: Server; deps: Deps } | null = null;
  if (scale) {
    console.error(`seeding the large store: ${scaleSizes.tokens.toLocaleString('en')} refresh tokens, ${scaleSizes.families.toLocaleString('en')} families`);
    const path = join(dir, 'large.db');
    large = await tesseraOn(`file:${path}`);
    // Beside the idle server: SQLite (WAL) lets this connection write meanwhile.
    seedScale(path, large.server.url);
  }

  const tesseraRefresh = async (side: { server: Server; deps: Deps }, cap?: number, duration?: number) =>
    measured('tessera refresh', side.server, { kind: 'refresh', clientId: 'bench-app', tokens: await sessions(side.deps, chains) }, cap, duration);
  // DPoP-bound chains, each with a key of its own (as each client instance has); fresh sessions every slice, as above.
  const signers = Array.from({ length: chains }, () => proofSigner());
  const dpopRefresh = async (side: { server: Server; deps: Deps }, duration?: number) => {
    const result = await measured(
      'tessera refresh (DPoP)',
      side.server,
      { kind: 'dpop-refresh', clientId: 'bench-app', chains: await dpopSessions(side.deps, signers) },
      undefined,
      duration,
    );
    console.error(`      load generator: ${(result.loadCpuMs * 1000).toFixed(0)} µs of CPU a request, ${(result.loadBusy * 100).toFixed(0)}% of its core`);
    return result;
  };
  // Before anything is measured: Tessera binds a DPoP login to the key, and refuses the bound token without a proof.
  for (const side of [sqlite, postgres]) if (side && runs('refresh')) await checkDpopRefresh(side.server.url, signers[0]!);
  const providerRefresh = async (peer: typeof provider, duration?: number) =>
    measured(
      `oidc-provider${peer === durable ? ' on Redis' : ''} refresh`,
      peer,
      { kind: 'refresh', clientId: 'bench-app', tokens: await peer.sessions(chains) },
      undefined,
      duration,
    );
  const floorRefresh = async (server: Server, duration?: number) => {
    const tokens = (await (await fetch(`${server.url}/sessions?n=${chains}`)).json()) as string[];
    return measured('floor refresh', server, { kind: 'refresh', clientId: 'bench-app', tokens }, undefined, duration);
  };
  const tesseraService = (side: Sides) => clientCredentials(basic('bench-service', side.serviceSecret));
  // node-oidc-provider and the floor know bench-service by the same secret.
  const peerService = clientCredentials(basic('bench-service', 'bench-service-secret'));
  const login: Target = {
    kind: 'form',
    path: '/token',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'bench-app', username: 'alice', password }).toString(),
  };
  const statics = staticPaths.map((path) => ({ kind: 'get', path }) as const);

  // Warm-up, not counted: a fresh process compiles its hot code on the first thousands of requests.
  console.error('warm-up');
  const warm = quick ? 1 : 3;
  for (const side of [sqlite, postgres]) {
    if (!side) continue;
    if (runs('refresh')) {
      await tesseraRefresh(side, undefined, warm);
      await dpopRefresh(side, warm);
      await floorRefresh(side.floor, warm);
    }
    const warmUps: [Server, Target][] = [];
    if (runs('client_credentials')) warmUps.push([side.server, tesseraService(side)], [side.floor, peerService]);
    if (runs('login')) warmUps.push([side.server, login], [side.floor, login]);
    for (const [server, target] of warmUps) await measured('warm-up', server, target, undefined, warm);
  }
  if (runs('static')) for (const target of statics) for (const server of [sqlite.server, hono]) await measured('warm-up', server, target, undefined, warm);
  if (runs('client_credentials')) await measured('warm-up', provider, peerService, undefined, warm);
  if (runs('refresh')) {
    await providerRefresh(provider, warm);
    await providerRefresh(durable, warm);
  }
  if (large) await tesseraRefresh(large, undefined, warm);

  // Per case, the sides' results over the repetitions: [Tessera, its floor, peers...]; refresh's last side is
  // Tessera's DPoP refresh, measured against its bearer refresh. In each slice it runs next to the bearer refresh
  // (the sides' order reverses from slice to slice, so either just before or just after it), the two a few seconds
  // apart rather than the whole slice.
  const refreshCase = async (rep: number, side: Sides) => {
    const [bearer, dpop, ...others] = await alternate(rep, [
      (duration: number) => tesseraRefresh(side, undefined, duration),
      (duration: number) => dpopRefresh(side, duration),
      (duration: number) => floorRefresh(side.floor, duration),
      (duration: number) => providerRefresh(provider, duration),
      (duration: number) => providerRefresh(durable, duration),
    ]);
    return [bearer!, ...others, dpop!];
  };
  const serviceSides = (side: Sides) => [
    (duration: number) => measured('tessera client_credentials', side.server, tesseraService(side), undefined, duration),
    (duration: number) => measured('floor client_credentials', side.floor, peerService, undefined, duration),
  ];
  const loginSides = (side: Sides) => [
    (duration: number) => measured('tessera login', side.server, login, undefined, duration),
    (duration: number) => measured('floor login', side.floor, login, undefined, duration),
  ];
  const s = {
    refresh: [[], [], [], [], []] as LoadResult[][],
    refreshP99: [] as number[],
    service: [[], [], []] as LoadResult[][],
    serviceP99: [] as number[],
    statics: statics.map(() => [[], []] as LoadResult[][]),
    login: [[], []] as LoadResult[][],
    pgRefresh: [[], [], [], [], []] as LoadResult[][],
    pgService: [[], []] as LoadResult[][],
    pgLogin: [[], []] as LoadResult[][],
    scale: [[], []] as LoadResult[][],
    joseSign: [] as number[],
    syncSign: [] as number[],
    argon2: [] as number[],
    proofMicros: [] as number[],
  };
  const push = (into: LoadResult[][], results: LoadResult[]) => {
    for (const [i, result] of results.entries()) into[i]!.push(result);
  };

  for (let rep = 0; rep < repetitions; rep++) {
    console.error(`repetition ${rep + 1} of ${repetitions}`);
    if (runs('limits')) {
      const limits = rawLimits(Math.min(seconds, 3));
      s.joseSign.push(limits.joseSign);
      s.syncSign.push(limits.syncSign);
      s.argon2.push(limits.argon2Verify);
    }

    if (runs('refresh')) {
      // What a proof costs the load generator alone, on its core (core 1).
      s.proofMicros.push(proofCostMicros(Math.min(seconds, 1) / 2, `${sqlite.server.url}/token`));
      const refresh = await refreshCase(rep, sqlite);
      push(s.refresh, refresh);
      s.refreshP99.push((await tesseraRefresh(sqlite, refresh[0]!.rate / 2)).p99);
    }

    if (runs('client_credentials')) {
      const service = await alternate(rep, [
        ...serviceSides(sqlite),
        (duration) => measured('oidc-provider client_credentials', provider, peerService, undefined, duration),
      ]);
      push(s.service, service);
      s.serviceP99.push((await measured('tessera client_credentials', sqlite.server, tesseraService(sqlite), service[0]!.rate / 2)).p99);
    }

    for (const [i, target] of runs('static') ? statics.entries() : []) {
      push(
        s.statics[i]!,
        await pair(
          rep,
          (duration) => measured(`tessera ${target.path}`, sqlite.server, target, undefined, duration),
          (duration) => measured(`hono ${target.path}`, hono, target, undefined, duration),
        ),
      );
    }
    if (runs('login')) push(s.login, await alternate(rep, loginSides(sqlite)));

    if (postgres) {
      if (runs('refresh')) push(s.pgRefresh, await refreshCase(rep, postgres));
      if (runs('client_credentials')) push(s.pgService, await alternate(rep, serviceSides(postgres)));
      if (runs('login')) push(s.pgLogin, await alternate(rep, loginSides(postgres)));
    }
    if (large)
      push(
        s.scale,
        await pair(
          rep,
          (duration) => tesseraRefresh(large, undefined, duration),
          (duration) => tesseraRefresh(sqlite, undefined, duration),
        ),
      );
  }

  if (runs('refresh')) {
    reportRefresh('SQLite', s.refresh);
    latencyRow('refresh p99 at half of peak', s.refreshP99, 20);
  }
  if (runs('client_credentials')) {
    reportVsFloor('client_credentials, SQLite', s.service);
    ratioRow('client_credentials, SQLite', rates(s.service[0]!), rates(s.service[2]!), 'node-oidc-provider (in memory)', null, cpu(s.service, 0, 2));
    latencyRow('client_credentials p99 at half of peak', s.serviceP99, 20);
  }
  if (runs('static')) {
    for (const [i, path] of staticPaths.entries()) {
      ratioRow(path, rates(s.statics[i]![0]!), rates(s.statics[i]![1]!), 'bare Hono, same bytes', 0.9, cpu(s.statics[i]!));
    }
  }
  if (runs('login')) {
    reportVsFloor('password login, SQLite', s.login);
    if (runs('limits')) {
      ratioRow('password login, SQLite', rates(s.login[0]!), s.argon2, argon2Name, null);
      floorRow('password login, SQLite', rates(s.login[1]!), s.argon2, argon2Name, null);
    }
  }
  if (postgres) {
    if (runs('refresh')) reportRefresh('PostgreSQL', s.pgRefresh);
    if (runs('client_credentials')) reportVsFloor('client_credentials, PostgreSQL', s.pgService);
    if (runs('login')) reportVsFloor('password login, PostgreSQL', s.pgLogin);
  }
  if (runs('refresh')) {
    reportDpop('SQLite', s.refresh);
    if (postgres) reportDpop('PostgreSQL', s.pgRefresh);
    // The generator's cost of a proof alone, its CPU a request with and without proofs, and its share of core 1 while
    // it drove the DPoP refresh: far from 100%, the generator is not what sets the rate.
    const dpopSide = [...s.refresh[4]!, ...(postgres ? s.pgRefresh[4]! : [])];
    const bearerSide = [...s.refresh[0]!, ...(postgres ? s.pgRefresh[0]! : [])];
    const busy = dpopSide.map((r) => r.loadBusy);
    const micros = (results: LoadResult[]) => (median(results.map((r) => r.loadCpuMs)) * 1000).toFixed(0);
    infoRow(
      '(load) ES256 DPoP proof on the load core',
      `${median(s.proofMicros).toFixed(0)} µs of CPU a proof alone (${rate(1e6 / median(s.proofMicros))}); ` +
        `the generator's CPU a request ${micros(dpopSide)} µs with DPoP, ${micros(bearerSide)} µs bearer; ` +
        `busy ${(Math.min(...busy) * 100).toFixed(0)}–${(Math.max(...busy) * 100).toFixed(0)}% of its core during the DPoP refresh`,
      { proofMicros: s.proofMicros, loadBusy: busy, loadCpuMs: { dpop: dpopSide.map((r) => r.loadCpuMs), bearer: bearerSide.map((r) => r.loadCpuMs) } },
    );
  }
  if (large) {
    const name = `refresh, ${scaleSizes.tokens.toLocaleString('en')} tokens / ${scaleSizes.families.toLocaleString('en')} families`;
    ratioRow(name, rates(s.scale[0]!), rates(s.scale[1]!), 'nearly empty store', 0.9, cpu(s.scale));
  }
  const range = (xs: number[]) => `${rate(Math.min(...xs))} – ${rate(Math.max(...xs))}`;
  if (runs('limits')) {
    infoRow('(limit) RS256 sign on that core', `jose, 16 in flight: ${range(s.joseSign)}; node:crypto sync: ${range(s.syncSign)}`, {
      jose: s.joseSign,
      sync: s.syncSign,
    });
    infoRow('(limit) argon2id verify on that core', range(s.argon2), s.argon2);
  }
  await cleanupAll();
  printReport(quick ? 'quick' : 'full', { seconds, repetitions, connections, pinned: pinning, only });
}

const argon2Name = 'raw argon2id verify on that core';
const rates = (results: LoadResult[]) => results.map((r) => r.rate);
/** The CPU time per request of side `subject` and of side `reference` of a case. */
const cpu = (results: LoadResult[][], subject = 0, reference = 1) => ({
  measured: results[subject]!.map((r) => r.cpuMs),
  reference: results[reference]!.map((r) => r.cpuMs),
});

/** A case's rows against its floor: sides [Tessera, floor]. */
function reportVsFloor(name: string, results: LoadResult[][]): void {
  ratioRow(name, rates(results[0]!), rates(results[1]!), 'the floor', 0.95, cpu(results));
}

/**
 * Refresh's rows: sides [Tessera, floor, node-oidc-provider in memory, node-oidc-provider on Redis, Tessera with
 * DPoP]; the floor against both peers.
 */
function reportRefresh(store: string, results: LoadResult[][]): void {
  const name = `refresh (rotation), ${store}`;
  reportVsFloor(name, results);
  for (const [peer, peerName, atLeast] of [
    [3, 'node-oidc-provider on Redis (AOF)', 1.05],
    [2, 'node-oidc-provider in memory', 0.95],
  ] as const) {
    ratioRow(name, rates(results[0]!), rates(results[peer]!), peerName, atLeast, cpu(results, 0, peer));
    floorRow(name, rates(results[1]!), rates(results[peer]!), peerName, atLeast, cpu(results, 1, peer));
  }
}

/**
 * Tessera's DPoP refresh against its bearer refresh (sides 4 and 0 of refresh), measured in the same alternating
 * slices: what a proof costs the server (its ES256 verification, the jti recorded in the store). No target.
 */
function reportDpop(store: string, results: LoadResult[][]): void {
  ratioRow(`refresh (DPoP), ${store}`, rates(results[4]!), rates(results[0]!), 'refresh (bearer)', null, cpu(results, 4, 0));
}

try {
  await main();
} finally {
  await cleanupAll();
}
