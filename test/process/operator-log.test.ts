import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/deps.js';
import { freshDatabase, testDatabaseUrl } from '../helpers/postgres.js';
import { runTessera, startService, type ServiceProcess } from '../helpers/process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const migrationNames = (dialect: string) =>
  (JSON.parse(readFileSync(join(root, 'drizzle', dialect, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }).entries.map((e) => e.tag);
/** The commit a checkout's build records: this checkout's HEAD. */
const head = async () => (await run('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root })).stdout.trim();

const logLines = (service: ServiceProcess) =>
  service
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const line = (service: ServiceProcess, msg: string | RegExp) =>
  logLines(service).find((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg))));

describe('what the start-up log tells an operator', () => {
  it('the migrations it applied, the signing key, the build with its commit, and variables it does not read', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}`, ISUER: 'https://typo.example', TESSERA_PORT: '1', DATABSE_URL: 'x' };
    const first = await startService(env);
    const commit = await head();

    expect(line(first, /^migrations applied: /)).toMatchObject({ level: 30, migrations: migrationNames('sqlite') });
    expect(line(first, /^environment variables Tessera does not read/)).toMatchObject({
      level: 40,
      msg: 'environment variables Tessera does not read, left unused: DATABSE_URL (did you mean DATABASE_URL?), ISUER (did you mean ISSUER?), TESSERA_PORT',
      variables: ['DATABSE_URL', 'ISUER', 'TESSERA_PORT'],
    });
    const created = line(first, 'signing key created');
    expect(line(first, 'signing with key')).toMatchObject({ kid: created?.kid });
    expect(line(first, 'tessera listening')).toMatchObject({ version, commit });
    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    expect(metrics).toContain(`tessera_build_info{version="${version}",commit="${commit}"} 1`);
    expect((await runTessera(['--version'])).stdout).toBe(`tessera ${version} (commit ${commit})\n`);
    expect(await first.stop()).toBe(0);

    // Started again on the same store: nothing to apply, nothing said about it; the same key, no new one.
    const second = await startService({ DATABASE_URL: env.DATABASE_URL });
    expect(line(second, /^migrations applied/)).toBeUndefined();
    expect(line(second, /^environment variables/)).toBeUndefined();
    expect(line(second, 'signing key created')).toBeUndefined();
    expect(line(second, 'signing with key')).toMatchObject({ kid: created?.kid });
  });

  it.skipIf(!testDatabaseUrl)('the migrations it applied to a new PostgreSQL database', async () => {
    const service = await startService({ DATABASE_URL: await freshDatabase() });
    expect(line(service, /^migrations applied: /)).toMatchObject({ migrations: migrationNames('postgres') });
  });
});

describe('scripts/build-info.mjs, which npm run build runs after compiling', () => {
  const record = async (env: Record<string, string>) => {
    const out = join(tempDir(), 'build-info.json');
    await run(process.execPath, [join(root, 'scripts/build-info.mjs'), out], { env });
    return JSON.parse(readFileSync(out, 'utf8'));
  };

  it('records the checkout HEAD, TESSERA_COMMIT where there is no git (a Docker build), else "unknown"', async () => {
    expect(await record({ PATH: process.env.PATH! })).toEqual({ commit: await head() });
    expect(await record({ PATH: '/nonexistent', TESSERA_COMMIT: 'abc123def456' })).toEqual({ commit: 'abc123def456' });
    expect(await record({ PATH: '/nonexistent' })).toEqual({ commit: 'unknown' });
  });
});
