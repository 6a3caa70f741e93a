import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onCleanup, tempDir } from '../helpers/deps.js';
import { freePort } from '../helpers/process.js';

// `npm start` as the README says to run it, under a supervisor that stops it with SIGTERM (systemd, a process
// manager, a CI job): the server must stop with it, not be left serving without anyone to stop it.

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The processes below `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** Whether `pid` still runs (an exited child not yet reaped is a zombie, `Z`, and does not). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
};

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

describe('npm start', { timeout: 90_000 }, () => {
  it('stops the server when npm itself gets SIGTERM: the port closes and no node dist/main.js is left', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}`,
        npm_config_update_notifier: 'false',
      },
      stdio: 'pipe',
    });
    let output = '';
    npm.stdout.on('data', (d: Buffer) => (output += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(npm, 'exit');
    const seen = new Set<number>();
    onCleanup(() => {
      for (const pid of [npm.pid!, ...seen]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    });

    const url = `http://127.0.0.1:${port}/readyz`;
    expect(await until(() => answers(url), 60_000), output).toBe(true);
    for (const pid of descendants(npm.pid!)) seen.add(pid);
    const servers = [...seen].filter((pid) => commandLine(pid).includes('dist/main.js'));
    expect(servers, [...seen].map(commandLine).join('\n')).not.toEqual([]);

    npm.kill('SIGTERM');
    await exited;
    expect(await until(async () => !(await answers(url)), 15_000), 'the port still answers').toBe(true);
    expect(await until(() => servers.every((pid) => !alive(pid)), 15_000), `left running: ${servers.filter(alive).map(commandLine)}`).toBe(true);
    expect(output).toContain('"msg":"shutting down"');
  });
});
