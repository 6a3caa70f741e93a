import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/deps.js';
import { runTessera, startService } from '../helpers/process.js';
import { keyEncryptionKeyHint } from '../../src/config/load.js';

// There is no Docker engine in CI: these tests hold the Dockerfile to what the rest of the suite runs
// (`npm run build`, then `node dist/main.js` as a real process) and run its HEALTHCHECK command for real.

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json'));

/** Dockerfile instructions, continuation lines joined, split into stages at each FROM. */
function stages(): string[][] {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const result: string[][] = [];
  for (const line of lines) {
    if (/^FROM /i.test(line)) result.push([]);
    result.at(-1)?.push(line);
  }
  return result;
}

const instruction = (stage: string[], name: string) => stage.filter((l) => l.toUpperCase().startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the Dockerfile', () => {
  it('builds the server as the tests do and starts the same entry point the tests start', () => {
    const [build, final] = stages();
    expect(stages()).toHaveLength(2);
    // build:server is the server's half of `npm run build` (test/global-setup.ts), without the verifier package.
    expect(pkg.scripts['build:server']).toBe('tsc -b tsconfig.build.json');
    expect(pkg.scripts.build).toBe('tsc -b tsconfig.build.json packages/verify');
    // `exec`: npm start's shell gives way to the server, so a SIGTERM to npm reaches it (test/process/npm-start.test.ts).
    expect(pkg.scripts.start).toBe('exec node dist/main.js');
    expect(instruction(build!, 'RUN')).toContain('npm run build:server');
    // prepare runs the build, which needs the sources and typescript: install without scripts, then build the addon.
    expect(instruction(build!, 'RUN')).toContain('npm ci --ignore-scripts && npm rebuild better-sqlite3');
    expect(instruction(final!, 'CMD')).toEqual(['["node", "dist/main.js"]']);
  });

  it('runs on the Node it was built with: better-sqlite3 is compiled in the build stage', () => {
    const [build, final] = stages();
    const base = (stage: string[]) => stage[0]!.replace(/^FROM\s+/i, '').replace(/\s+AS\s+\S+$/i, '');
    expect(base(build!)).toMatch(/^node:\d+-[a-z]+-slim$/);
    expect(base(final!)).toBe(base(build!));
  });

  it('copies everything the service reads at run time into the final image', () => {
    const copies = instruction(stages()[1]!, 'COPY').join('\n');
    for (const needed of ['/app/node_modules', '/app/dist', 'openapi.yaml', 'drizzle', 'bin', 'package.json']) expect(copies).toContain(needed);
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const local of ['node_modules', 'dist', 'data', '.git']) expect(ignored).toContain(local);
    for (const needed of ['src', 'drizzle', 'bin', 'openapi.yaml', 'package.json', 'package-lock.json']) expect(ignored).not.toContain(needed);
  });

  it('leaves the verifier package out: the server does not import it', () => {
    const copied = stages()
      .flatMap((stage) => instruction(stage, 'COPY'))
      .join('\n');
    expect(copied).not.toContain('packages');
    const imports = sourceFiles(join(root, 'src')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!));
    expect(imports.filter((spec) => spec.includes('verify') && !spec.startsWith('.'))).toEqual([]);
  });

  it('runs as the node user with data on a volume, in production mode', () => {
    const final = stages()[1]!;
    expect(instruction(final, 'USER')).toEqual(['node']);
    expect(instruction(final, 'VOLUME')).toEqual(['/app/data']);
    expect(instruction(final, 'EXPOSE')).toEqual(['3000']);
    const env = instruction(final, 'ENV').join(' ');
    expect(env).toContain('NODE_ENV=production');
    expect(env).toContain('DATABASE_URL=file:/app/data/tessera.db');
    expect(env).toContain('PORT=3000');
  });

  it('keeps every package the server imports among the production dependencies (the image omits dev ones)', () => {
    const imported = new Set<string>();
    for (const file of sourceFiles(join(root, 'src'))) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '([^.'][^']*)'/g)) {
        if (spec!.startsWith('node:')) continue;
        imported.add(spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });
});

describe('what the image runs, outside Docker', () => {
  const healthcheck = (): string => {
    const line = instruction(stages()[1]!, 'HEALTHCHECK')[0]!;
    const cmd = JSON.parse(line.slice(line.indexOf('CMD') + 3).trim()) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
    return cmd[2]!;
  };
  const runHealthcheck = (port: number) =>
    promisify(execFile)(process.execPath, ['-e', healthcheck()], { env: { PORT: String(port) } }).then(
      () => 0,
      (error: { code: number }) => error.code,
    );

  it('refuses to start in production without KEY_ENCRYPTION_KEY, naming the variable', async () => {
    const result = await runTessera(['migrate'], { env: { NODE_ENV: 'production', DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`tessera: invalid configuration: KEY_ENCRYPTION_KEY is required when NODE_ENV=production; ${keyEncryptionKeyHint}\n`);
  });

  it('serves in production mode with an encryption key, and the HEALTHCHECK command reports it healthy, then unhealthy', async () => {
    const service = await startService({
      NODE_ENV: 'production',
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DATABASE_URL: `file:${join(tempDir(), 'data', 'tessera.db')}`,
    });
    expect(await runHealthcheck(service.port)).toBe(0);
    expect((await fetch(`${service.url}/docs`)).status).toBe(200);
    expect(await service.stop()).toBe(0);
    expect(await runHealthcheck(service.port)).toBe(1);
  });
});
