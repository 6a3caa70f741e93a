import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { onCleanup } from './cleanup.js';
import { benchEnv } from './tessera.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function buildDist(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json', 'packages/verify'], { cwd: root, stdio: 'inherit' });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export type Instance = { url: string; stop(): Promise<void> };

// Every instance still running; even if the bench dies without cleaning up, none outlives it.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `node dist/main.js` on a free loopback port, ready when /readyz answers. */
export async function startInstance(databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [`${root}dist/main.js`], {
    env: { PATH: process.env.PATH, ...benchEnv, PORT: String(port), HOST: '127.0.0.1', ISSUER: url, DATABASE_URL: databaseUrl },
    stdio: 'ignore',
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 200 || child.exitCode !== null || child.signalCode !== null) throw new Error(`instance on ${url} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stop = onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
  return { url, stop };
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
