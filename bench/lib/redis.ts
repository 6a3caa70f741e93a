import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { onCleanup } from './cleanup.js';
import { freePort, pinned } from './processes.js';

/**
 * A redis-server of the bench's own (never the machine's), on a free loopback port with its files in a temp dir, on
 * the servers' core: the store of the durable node-oidc-provider peer. Durable as a deployment would run it: the
 * append-only file on, synced every second (`appendfsync everysec`, Redis's recommended setting); no RDB snapshots,
 * whose forks would fall at random into the slices. Stopped (and its dir removed) at cleanup.
 */
export async function startRedis(): Promise<{ url: string; pid: number | undefined }> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-redis-'));
  const port = await freePort();
  const durable = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', join(dir, 'redis.log'), ...durable];
  const [command, argv] = pinned('redis-server', args);
  const child = spawn(command, argv, { stdio: 'ignore' });
  const stopped = onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return { url, pid: child.pid };
    } catch {
      // not listening yet
    } finally {
      probe.disconnect();
    }
    await sleep(50);
  }
  await stopped();
  throw new Error(`redis-server on port ${port} did not start`);
}
