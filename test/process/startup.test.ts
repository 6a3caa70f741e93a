import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { onCleanup, tempDir } from '../helpers/deps.js';
import { freshDatabase, testDatabaseUrl } from '../helpers/postgres.js';
import { freePort, runTessera } from '../helpers/process.js';
import { keyEncryptionKeyHint } from '../../src/config/load.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** Runs `node dist/main.js` until it exits by itself (or is killed after 15 s). */
async function startExpectingFailure(env: Record<string, string>) {
  const child = spawn(process.execPath, [join(root, 'dist/main.js')], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: 'pipe',
    timeout: 15_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

const dbFile = () => join(tempDir(), 'tessera.db');

describe('start-up errors are one line naming what to fix', () => {
  it('a port in use', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    onCleanup(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const { port } = blocker.address() as { port: number };

    const { stdout, ...result } = await startExpectingFailure({ PORT: String(port), DATABASE_URL: `file:${dbFile()}` });
    expect(result).toEqual({ code: 1, stderr: `tessera: port ${port} on 127.0.0.1 is already in use: stop the other process or set PORT\n` });
    // Before it tried to listen, it set the new store up and said so.
    expect(stdout).toContain('migrations applied');
    expect(stdout).not.toContain('tessera listening');
  });

  it('a database file that is not a database', async () => {
    const path = dbFile();
    writeFileSync(path, randomBytes(8192));
    const result = await startExpectingFailure({ PORT: String(await freePort()), DATABASE_URL: `file:${path}` });
    expect(result).toEqual({ code: 1, stdout: '', stderr: `tessera: cannot use the SQLite database ${path} (DATABASE_URL): file is not a database\n` });
    // The CLI says the same.
    expect((await runTessera(['clients', 'list'], { env: { DATABASE_URL: `file:${path}` } })).stderr).toBe(result.stderr);
  });

  it('a PostgreSQL server that cannot be reached, without echoing the password', async () => {
    const port = await freePort(); // nothing listens there
    const result = await startExpectingFailure({ PORT: String(await freePort()), DATABASE_URL: `postgres://tessera:s3cret-pw@127.0.0.1:${port}/tessera` });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `tessera: cannot use the PostgreSQL database postgres://tessera:***@127.0.0.1:${port}/tessera (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}; ` +
        `is PostgreSQL running at 127.0.0.1:${port}? Check the host and port in DATABASE_URL\n`,
    });
  });

  it.skipIf(!testDatabaseUrl)('a PostgreSQL database that does not exist: how to create it', async () => {
    const url = new URL(testDatabaseUrl!);
    url.pathname = '/tessera_never_created';
    const result = await startExpectingFailure({ PORT: String(await freePort()), DATABASE_URL: url.href });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `tessera: cannot use the PostgreSQL database ${url.href} (DATABASE_URL): database "tessera_never_created" does not exist; ` +
        `create the database: createdb -h ${url.hostname} -p ${url.port || '5432'} tessera_never_created (as a role allowed to create databases), or name another in DATABASE_URL\n`,
    });
  });

  it.skipIf(!testDatabaseUrl)('a PostgreSQL database its migrations cannot apply to: what the database said, not the statement', async () => {
    const url = await freshDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('create table users (id integer)'); // in the way of the first migration
    await client.end();
    const result = await startExpectingFailure({ PORT: String(await freePort()), DATABASE_URL: url });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `tessera: cannot use the PostgreSQL database ${url} (DATABASE_URL): relation "users" already exists\n`,
    });
  });

  it('a KEY_ENCRYPTION_KEY that is not the one the signing keys were sealed with, or not a key at all', async () => {
    const env = { DATABASE_URL: `file:${dbFile()}` };
    expect((await runTessera(['migrate'], { env })).code).toBe(0);
    expect((await runTessera(['keys', 'rotate'], { env: { ...env, KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') } })).code).toBe(0);

    const wrong = await startExpectingFailure({ ...env, PORT: String(await freePort()), KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(/^tessera: KEY_ENCRYPTION_KEY does not decrypt signing key [\w-]+: it is not the key the signing keys were encrypted with\n$/);

    const missing = await startExpectingFailure({ ...env, PORT: String(await freePort()) });
    expect(missing.stderr).toMatch(
      /^tessera: the signing keys in the store are encrypted \(key [\w-]+\): set KEY_ENCRYPTION_KEY to the key they were encrypted with\n$/,
    );

    const malformed = await startExpectingFailure({ ...env, PORT: String(await freePort()), KEY_ENCRYPTION_KEY: 'not-a-key' });
    expect(malformed).toEqual({
      code: 1,
      stdout: '',
      stderr: `tessera: invalid configuration: KEY_ENCRYPTION_KEY must be 32 bytes encoded in base64; ${keyEncryptionKeyHint}\n`,
    });
  });
});

describe('tessera --version', () => {
  it("prints the package's version and the commit it was built from", async () => {
    const { commit } = JSON.parse(readFileSync(join(root, 'dist/build-info.json'), 'utf8')) as { commit: string };
    expect(await runTessera(['--version'])).toEqual({ code: 0, stdout: `tessera ${version} (commit ${commit})\n`, stderr: '' });
  });
});

describe('npm start', () => {
  it('does not compile again when dist/ is current (prestart builds only what changed)', async () => {
    // The suite's global setup has just built dist/ the same way.
    const before = statSync(join(root, 'dist/main.js')).mtimeMs;
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'prestart'], { cwd: root });
    expect(stdout).toBe('');
    expect(statSync(join(root, 'dist/main.js')).mtimeMs).toBe(before);
  });
});
