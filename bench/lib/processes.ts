import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { onCleanup } from './cleanup.js';
import { buildDeps } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/lib/logger.js';
import type { Deps } from '../../src/services/deps.js';
import { benchEnv, seed } from './tessera.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function buildDist(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json', 'packages/verify'], { cwd: root, stdio: 'inherit' });
}

/** Servers run on core 0, the load generator (this process) on core 1, when taskset exists and there are two cores. */
export const serverCore = 0;
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
export const pinning = hasTaskset && (await import('node:os')).cpus().length >= 2;

/** Moves every thread of this process (autocannon, the seeding) to core 1, away from the servers. */
export function pinSelf(): void {
  if (pinning) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

/** `command args` on the servers' core. */
export function pinned(command: string, args: string[]): [string, string[]] {
  return pinning ? ['taskset', ['-c', String(serverCore), command, ...args]] : [command, args];
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** `companions`: processes whose CPU time counts with the server's (the Redis of the durable peer). */
export type Server = { url: string; child: ChildProcess; stop(): Promise<void>; companions?: (number | undefined)[] };

// Every child still running; even if the bench dies without cleaning up, none outlives it.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A node process on the servers' core (anywhere with `pin` false), on a free loopback port (env PORT), ready when
 * `readyPath` answers 200. `wrap`: a command the node process runs under (valgrind, bench/instructions.ts), unpinned
 * and given minutes to start.
 */
export async function startServer(
  args: string[],
  env: Record<string, string>,
  { readyPath = '/readyz', stdio = 'ignore' as 'ignore' | 'pipe', port = 0, pin = true, wrap = [] as string[] } = {},
): Promise<Server> {
  port ||= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const [command, argv]: [string, string[]] =
    wrap.length > 0 ? [wrap[0]!, [...wrap.slice(1), process.execPath, ...args]] : pin ? pinned(process.execPath, args) : [process.execPath, args];
  const attempts = wrap.length > 0 ? 6000 : 400;
  const child = spawn(command, argv, { cwd: root, env: { PATH: process.env.PATH, ...env, PORT: String(port) }, stdio: ['pipe', stdio, 'ignore'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}${readyPath}`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (i > attempts || child.exitCode !== null || child.signalCode !== null) throw new Error(`${args.join(' ')} on ${url} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stop = onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
  return { url, child, stop };
}

/** `node [nodeArgs] dist/main.js` (the real server) on `databaseUrl`, under `wrap` if given (see startServer). */
export async function startTessera(
  databaseUrl: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  wrap: string[] = [],
  main = 'dist/main.js',
): Promise<Server> {
  const port = await freePort();
  // ISSUER must name the port, so the port is chosen here and passed through.
  const issuer = `http://127.0.0.1:${port}`;
  // LOG_LEVEL info: the request line is part of what a request costs (stdout goes to /dev/null).
  return startServer(
    [...nodeArgs, main],
    { ...benchEnv, LOG_LEVEL: 'info', HOST: '127.0.0.1', ISSUER: issuer, DATABASE_URL: databaseUrl, ...env },
    { port, wrap },
  );
}

/**
 * node-oidc-provider (bench/peers/oidc-provider.ts), on its in-memory adapter or, given `redisUrl`, on Redis;
 * `sessions(n)` mints n refresh tokens in it.
 */
export async function startOidcProvider(redisUrl?: string): Promise<Server & { sessions(n: number): Promise<string[]> }> {
  const env: Record<string, string> = redisUrl ? { REDIS_URL: redisUrl } : {};
  const server = await startServer(['--import', 'tsx', 'bench/peers/oidc-provider.ts'], env, { readyPath: '/.well-known/openid-configuration', stdio: 'pipe' });
  const lines = createInterface({ input: server.child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<{ tokens?: string[] }> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error('oidc-provider exited');
      if (value.startsWith('{')) return JSON.parse(value);
    }
  };
  await next(); // the start-up line
  return {
    ...server,
    async sessions(n) {
      server.child.stdin!.write(`${n}\n`);
      return (await next()).tokens!;
    },
  };
}

/** Measures the raw limits (bench/peers/raw-limits.ts) in a process on the servers' core. */
export function rawLimits(seconds: number): { joseSign: number; syncSign: number; argon2Verify: number } {
  return rawLimitsProcess([String(seconds)]);
}

function rawLimitsProcess(args: string[]) {
  const [command, argv] = pinned(process.execPath, ['--import', 'tsx', 'bench/peers/raw-limits.ts', ...args]);
  const out = execFileSync(command, argv, { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

/** A fresh PostgreSQL database on the server of `adminUrl`, dropped by the returned function. */
export async function freshPgDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tessera_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = onCleanup(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  return { url: url.toString(), drop };
}

export async function pgReachable(adminUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Migrates and seeds a store, then starts Tessera on it (with `nodeArgs`); `deps` (in this process) mints sessions
 * in the same store.
 */
export async function tesseraOn(
  databaseUrl: string,
  nodeArgs: string[] = [],
  wrap: string[] = [],
  { main, env = {} }: { main?: string; env?: Record<string, string> } = {},
): Promise<{ server: Server; deps: Deps; serviceSecret: string }> {
  const open = (issuer?: string) =>
    buildDeps(loadConfig({ ...benchEnv, DATABASE_URL: databaseUrl, ...(issuer ? { ISSUER: issuer } : {}) }), createLogger('silent'));
  const seeding = await open();
  await seeding.store.migrate();
  const serviceSecret = await seed(seeding);
  await seeding.store.close();
  const server = await startTessera(databaseUrl, env, nodeArgs, wrap, main);
  const deps = await open(server.url);
  onCleanup(() => deps.store.close());
  return { server, deps, serviceSecret };
}
