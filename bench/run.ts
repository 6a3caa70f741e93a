// npm run bench [-- --quick] [-- --scale] [-- --seconds N]: Tessera side by side with node-oidc-provider,
// a bare Hono server, the floor (bench/peers/floor.ts) and the raw limits of the servers' core, in one run
// (issue 12). Servers are pinned to core 0 and this process, the load generator, to core 1 (taskset, where it
// exists); every case runs in interleaved repetitions and the table shows medians.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deps } from '../src/services/deps.js';
import { cleanupAll, onCleanup } from './lib/cleanup.js';
import { connections, load, type LoadResult, type Target } from './lib/load.js';
import {
  buildDist,
  freshPgDatabase,
  pgReachable,
  pinning,
  pinSelf,
  rawLimits,
  rawSignRate,
  startOidcProvider,
  startServer,
  tesseraOn,
  type Server,
} from './lib/processes.js';
import { floorRow, infoRow, latencyRow, printReport, rate, ratioRow } from './lib/report.js';
import { scaleSizes, seedScale } from './lib/scale.js';
import { quick } from './lib/stats.js';
import { password, sessions } from './lib/tessera.js';

const flag = (name: string) => process.argv.indexOf(`--${name}`);
const scale = flag('scale') >= 0;
const seconds = flag('seconds') >= 0 ? Number(process.argv[flag('seconds') + 1]) : quick ? 1 : 10;
const repetitions = quick ? 1 : 3;
// Chains to spare: a refresh answered with an error ends its chain.
const chains = connections + 10;

const isPgUrl = (url: string | undefined) => url !== undefined && /^postgres(ql)?:\/\//.test(url);
// The server the PostgreSQL case creates its database on; the database in the URL itself is left alone.
const pgServerUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  (isPgUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL! : 'postgres://postgres@127.0.0.1:5432/test');

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
  };
}

/**
 * The sides of a case over `seconds` each, in alternating slices (the order reverses from one slice to the next, and
 * between repetitions). `alongside`, when given, runs after each round of slices (the raw signature rate, measured
 * amid the case it is compared with); its mean comes back last.
 */
async function alternate(
  rep: number,
  sides: ((duration: number) => Promise<LoadResult>)[],
  alongside?: (duration: number) => number,
): Promise<[LoadResult[], number]> {
  const results: LoadResult[][] = sides.map(() => []);
  const extra: number[] = [];
  for (let slice = 0; slice < slices; slice++) {
    const order = sides.map((_, i) => i);
    if ((rep + slice) % 2 === 1) order.reverse();
    for (const i of order) results[i]!.push(await sides[i]!(seconds / slices));
    if (alongside) extra.push(alongside(seconds / slices / 2));
  }
  return [results.map(merged), extra.reduce((sum, x) => sum + x, 0) / extra.length];
}

/** Two sides of a case, as alternate() measures them. */
async function pair(
  rep: number,
  a: (duration: number) => Promise<LoadResult>,
  b: (duration: number) => Promise<LoadResult>,
): Promise<[LoadResult, LoadResult]> {
  const [[first, second]] = await alternate(rep, [a, b]);
  return [first!, second!];
}

const measured = async (what: string, server: Server, target: Target, rateCap?: number, duration = seconds): Promise<LoadResult> => {
  const result = await load(server.url, server.child.pid, target, duration, rateCap);
  console.error(
    `    ${what}${rateCap ? ` at ${Math.round(rateCap)} /s` : ''}: ${rate(result.rate)}, p99 ${result.p99} ms, CPU ${result.cpuMs.toFixed(2)} ms/request`,
  );
  if (result.failures > 0) console.error(`  warning: ${what}: ${result.failures} requests failed`);
  return result;
};

async function main(): Promise<void> {
  pinSelf();
  console.error(
    `tessera bench (${quick ? 'quick' : 'full'}): ${repetitions} interleaved repetitions of ${seconds} s, ${connections} connections; ` +
      `${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}; ${pinning ? 'servers on core 0, load on core 1' : 'no taskset: not pinned'}`,
  );
  buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));

  const sqlite = await tesseraOn(`file:${join(dir, 'tessera.db')}`);
  const provider = await startOidcProvider();
  const documents = Object.fromEntries(
    await Promise.all(
      ['/.well-known/jwks.json', '/.well-known/openid-configuration'].map(async (path) => {
        const res = await fetch(`${sqlite.server.url}${path}`);
        const headers = Object.fromEntries(['content-type', 'cache-control', 'etag'].flatMap((h) => (res.headers.get(h) ? [[h, res.headers.get(h)!]] : [])));
        return [path, { body: await res.text(), headers }];
      }),
    ),
  );
  writeFileSync(join(dir, 'documents.json'), JSON.stringify(documents));
  const hono = await startServer(['--import', 'tsx', 'bench/peers/bare-hono.ts'], { DOCUMENTS: join(dir, 'documents.json') });
  const floor = await startServer(['--import', 'tsx', 'bench/peers/floor.ts'], { DB: join(dir, 'floor.db') });

  let postgres: { server: Server; deps: Deps; floor: Server } | null = null;
  if (await pgReachable(pgServerUrl)) {
    const db = await freshPgDatabase(pgServerUrl);
    const floorDb = await freshPgDatabase(pgServerUrl);
    postgres = { ...(await tesseraOn(db.url)), floor: await startServer(['--import', 'tsx', 'bench/peers/floor.ts'], { DATABASE_URL: floorDb.url }) };
  } else {
    console.error('PostgreSQL case skipped: no server (set BENCH_DATABASE_URL)');
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
  const providerRefresh = async (duration?: number) =>
    measured('oidc-provider refresh', provider, { kind: 'refresh', clientId: 'bench-app', tokens: await provider.sessions(chains) }, undefined, duration);
  const floorRefresh = async (duration?: number, server = floor) => {
    const tokens = (await (await fetch(`${server.url}/sessions?n=${chains}`)).json()) as string[];
    return measured('floor refresh', server, { kind: 'refresh', clientId: 'bench-app', tokens }, undefined, duration);
  };
  const tesseraService = clientCredentials(basic('bench-service', sqlite.serviceSecret));
  // node-oidc-provider and the floor know bench-service by the same secret.
  const peerService = clientCredentials(basic('bench-service', 'bench-service-secret'));
  const login: Target = {
    kind: 'form',
    path: '/token',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'bench-app', username: 'alice', password }).toString(),
  };

  const jwks: Target = { kind: 'get', path: '/.well-known/jwks.json' };
  const metadata: Target = { kind: 'get', path: '/.well-known/openid-configuration' };
  // Warm-up, not counted: a fresh process compiles its hot code on the first thousands of requests.
  console.error('warm-up');
  const warm = quick ? 1 : 3;
  await tesseraRefresh(sqlite, undefined, warm);
  for (const [server, target] of [
    [sqlite.server, tesseraService],
    [provider, peerService],
    [floor, peerService],
    [sqlite.server, jwks],
    [hono, jwks],
    [sqlite.server, metadata],
    [hono, metadata],
    [sqlite.server, login],
    [floor, login],
  ] as const) {
    await measured('warm-up', server, target, undefined, warm);
  }
  await providerRefresh(warm);
  await floorRefresh(warm);
  if (postgres) await tesseraRefresh(postgres, undefined, warm);
  if (postgres) await floorRefresh(warm, postgres.floor);
  if (large) await tesseraRefresh(large, undefined, warm);

  const s = {
    // Tessera, the reference and, where the case has one, the floor.
    refresh: [[], [], []] as LoadResult[][],
    refreshP99: [] as number[],
    service: [[], [], []] as LoadResult[][],
    serviceP99: [] as number[],
    jwks: [[], []] as LoadResult[][],
    metadata: [[], []] as LoadResult[][],
    login: [] as number[],
    loginFloor: [] as number[],
    pg: [[], [], []] as LoadResult[][],
    scale: [[], []] as LoadResult[][],
    joseSign: [] as number[],
    syncSign: [] as number[],
    // The raw signature rate measured amid the refresh and the client_credentials cases (see alternate()).
    refreshSign: [] as number[],
    serviceSign: [] as number[],
    argon2: [] as number[],
  };
  const push = (into: LoadResult[][], results: LoadResult[]) => {
    for (const [i, result] of results.entries()) into[i]!.push(result);
  };

  for (let rep = 0; rep < repetitions; rep++) {
    console.error(`repetition ${rep + 1} of ${repetitions}`);
    const limits = rawLimits(Math.min(seconds, 3));
    s.joseSign.push(limits.joseSign);
    s.syncSign.push(limits.syncSign);
    s.argon2.push(limits.argon2Verify);

    const [refresh, refreshSign] = await alternate(
      rep,
      [(duration) => tesseraRefresh(sqlite, undefined, duration), (duration) => providerRefresh(duration), (duration) => floorRefresh(duration)],
      rawSignRate,
    );
    push(s.refresh, refresh);
    s.refreshSign.push(refreshSign);
    s.refreshP99.push((await tesseraRefresh(sqlite, refresh[0]!.rate / 2)).p99);

    const [service, serviceSign] = await alternate(
      rep,
      [
        (duration) => measured('tessera client_credentials', sqlite.server, tesseraService, undefined, duration),
        (duration) => measured('oidc-provider client_credentials', provider, peerService, undefined, duration),
        (duration) => measured('floor client_credentials', floor, peerService, undefined, duration),
      ],
      rawSignRate,
    );
    push(s.service, service);
    s.serviceSign.push(serviceSign);
    s.serviceP99.push((await measured('tessera client_credentials', sqlite.server, tesseraService, service[0]!.rate / 2)).p99);

    for (const [key, target] of [
      ['jwks', jwks],
      ['metadata', metadata],
    ] as const) {
      push(
        s[key],
        await pair(
          rep,
          (duration) => measured(`tessera ${target.path}`, sqlite.server, target, undefined, duration),
          (duration) => measured(`hono ${target.path}`, hono, target, undefined, duration),
        ),
      );
    }

    const [logins] = await alternate(rep, [
      (duration) => measured('tessera login', sqlite.server, login, undefined, duration),
      (duration) => measured('floor login', floor, login, undefined, duration),
    ]);
    s.login.push(logins[0]!.rate);
    s.loginFloor.push(logins[1]!.rate);

    if (postgres) {
      const pgSides = postgres;
      const [refreshes] = await alternate(rep, [
        (duration) => tesseraRefresh(pgSides, undefined, duration),
        (duration) => providerRefresh(duration),
        (duration) => floorRefresh(duration, pgSides.floor),
      ]);
      push(s.pg, refreshes);
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

  const sign = 'raw RS256 sign on that core';
  const rates = (results: LoadResult[]) => results.map((r) => r.rate);
  const cpu = (results: LoadResult[][], subject = 0) => ({ measured: results[subject]!.map((r) => r.cpuMs), reference: results[1]!.map((r) => r.cpuMs) });
  const floorCpu = (results: LoadResult[][]) => cpu(results, 2);
  ratioRow('refresh (rotation), SQLite', rates(s.refresh[0]!), rates(s.refresh[1]!), 'node-oidc-provider', 1.5, cpu(s.refresh));
  ratioRow('refresh (rotation), SQLite', rates(s.refresh[0]!), s.refreshSign, sign, 0.6);
  floorRow('refresh (rotation), SQLite', rates(s.refresh[2]!), rates(s.refresh[1]!), 'node-oidc-provider', 1.5, floorCpu(s.refresh));
  floorRow('refresh (rotation), SQLite', rates(s.refresh[2]!), s.refreshSign, sign, 0.6);
  latencyRow(`refresh p99 at half of peak`, s.refreshP99, 20);
  ratioRow('client_credentials', rates(s.service[0]!), rates(s.service[1]!), 'node-oidc-provider', 1.5, cpu(s.service));
  ratioRow('client_credentials', rates(s.service[0]!), s.serviceSign, sign, 0.75);
  floorRow('client_credentials', rates(s.service[2]!), rates(s.service[1]!), 'node-oidc-provider', 1.5, floorCpu(s.service));
  floorRow('client_credentials', rates(s.service[2]!), s.serviceSign, sign, 0.75);
  latencyRow('client_credentials p99 at half of peak', s.serviceP99, 20);
  ratioRow('JWKS', rates(s.jwks[0]!), rates(s.jwks[1]!), 'bare Hono, same bytes', 0.8, cpu(s.jwks));
  ratioRow('metadata (openid-configuration)', rates(s.metadata[0]!), rates(s.metadata[1]!), 'bare Hono, same bytes', 0.8, cpu(s.metadata));
  ratioRow('password login', s.login, s.argon2, 'raw argon2id verify on that core', 0.9);
  floorRow('password login', s.loginFloor, s.argon2, 'raw argon2id verify on that core', 0.9);
  if (postgres) {
    ratioRow('refresh (rotation), PostgreSQL, 1 instance', rates(s.pg[0]!), rates(s.pg[1]!), 'node-oidc-provider', 1.0, cpu(s.pg));
    floorRow('refresh (rotation), PostgreSQL, 1 instance', rates(s.pg[2]!), rates(s.pg[1]!), 'node-oidc-provider', 1.0, floorCpu(s.pg));
  }
  if (large) {
    const name = `refresh, ${scaleSizes.tokens.toLocaleString('en')} tokens / ${scaleSizes.families.toLocaleString('en')} families`;
    ratioRow(name, rates(s.scale[0]!), rates(s.scale[1]!), 'nearly empty store', 0.9, cpu(s.scale));
  }
  const range = (xs: number[]) => `${rate(Math.min(...xs))} – ${rate(Math.max(...xs))}`;
  infoRow('(limit) RS256 sign on that core', `jose, 16 in flight: ${range(s.joseSign)}; node:crypto sync: ${range(s.syncSign)}`, {
    jose: s.joseSign,
    sync: s.syncSign,
  });
  await cleanupAll();
  printReport(quick ? 'quick' : 'full', { seconds, repetitions, connections, pinned: pinning });
}

try {
  await main();
} finally {
  await cleanupAll();
}
