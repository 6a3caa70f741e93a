import { expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { openCliDeps } from '../../src/cli/open-deps.js';
import { cliOn } from './cli.js';
import { onCleanup } from './deps.js';

// Real processes run the built dist/ (test/global-setup.ts builds it before the suite).
const root = fileURLToPath(new URL('../..', import.meta.url));
const cliPath = `${root}bin/tessera.js`;
const mainPath = `${root}dist/main.js`;

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Runs `tessera <args>` as a real subprocess, in `cwd` if given. `env` is added to a minimal environment. */
export async function runTessera(args: string[], options: { env?: Record<string, string>; stdin?: string; cwd?: string } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [cliPath, ...args], { env: baseEnv(options.env), stdio: 'pipe', cwd: options.cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(options.stdin ?? '');
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

export type ServiceProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
};

/** Starts `node dist/main.js` on a free loopback port and waits until /readyz answers 200. */
export async function startService(env: Record<string, string>, { port }: { port?: number } = {}): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(port ?? (await freePort()), env);
    } catch (error) {
      // A port freePort() found free can be taken by another test's process before this one binds it: try another.
      if (port !== undefined || attempt === 3 || !/is already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function startOn(chosen: number, env: Record<string, string>): Promise<ServiceProcess> {
  const url = `http://127.0.0.1:${chosen}`;
  const child = spawn(process.execPath, [mainPath], {
    env: baseEnv({ PORT: String(chosen), HOST: '127.0.0.1', ISSUER: url, LOG_LEVEL: 'info', ...env }),
    stdio: 'pipe',
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // 'close', not 'exit': the process may have exited with the last of its output still in the pipe.
  const exited = once(child, 'close');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    return code;
  };
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`service did not become ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port: chosen, child, output: () => output, stop };
}

/**
 * A free loopback port, drawn below Linux's ephemeral range (32768 and up), where the port-0 listeners that the
 * other tests open all the time never land.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) continue;
    server.close();
    await once(server, 'close');
    return port;
  }
}

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

/**
 * The CLI on the store of `env`, for the set-up of a service that a test then starts on it: each call must succeed,
 * and its --json output is returned. It runs in this process, on the deps the binary opens (src/cli/open-deps.ts:
 * the real clock, random ids, real password hashing), creating the store when there is none yet as `tessera migrate`
 * would; test/cli/smoke.test.ts shows the binary itself doing the same.
 */
export function jsonCli(env: Record<string, string>) {
  return async (args: string[], stdin = '') => {
    const result = await cliOn(() => openCliDeps(env, new PassThrough(), { create: true }), [...args, '--json'], { stdin });
    expect(result, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout);
  };
}
