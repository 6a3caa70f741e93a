import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openCliDeps } from '../../src/cli/open-deps.js';
import { httpAt, loginAlice } from '../helpers/fixtures.js';
import { cliOn } from '../helpers/cli.js';
import { tempDir } from '../helpers/deps.js';
import { freshDatabase, testDatabaseUrl } from '../helpers/postgres.js';
import { jsonCli, runTessera, startService } from '../helpers/process.js';

// The backup itself runs as the real binary beside a serving process; what only needs the command's answer runs the
// CLI in this process, on the deps the binary opens (fewer process starts: issue 24 item 18).

const password = 'a long enough password';

const login = (url: string) => loginAlice(httpAt(url), { client_id: 'web', password });

/** The CLI in this process on the store of `env`, as bin/tessera.js opens it. */
const tessera = (env: Record<string, string>, argv: string[]) => cliOn((options) => openCliDeps(env, new PassThrough(), options), argv);

describe('tessera backup', { timeout: 60_000 }, () => {
  it('copies a live SQLite store while the server keeps serving; the copy opens and holds the data', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    await jsonCli(env)(['clients', 'create', 'web', '--public', '--grants', 'password']);
    await jsonCli(env)(['users', 'create', 'alice', '--password-stdin'], password);
    const service = await startService(env);
    const session = await login(service.url);

    const file = join(tempDir(), 'tessera-backup.db');
    // Logins and refreshes go on during the backup.
    const traffic = Promise.all([
      login(service.url),
      fetch(`${service.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'web', refresh_token: session.refresh_token }),
      }),
    ]);
    const result = await runTessera(['backup', file, '--json'], { env });
    await traffic;
    expect(result.stderr).toBe(`tessera: using the SQLite database ${env.DATABASE_URL.slice(5)}\n`);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ file, pages: expect.any(Number) });
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect(await service.stop()).toBe(0);

    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    // The copy is a working store: the CLI finds the client, the user and the session taken before the backup.
    const fromCopy = jsonCli({ DATABASE_URL: `file:${file}` });
    expect((await fromCopy(['clients', 'list'])).clients.map((c: { id: string }) => c.id)).toEqual(['web']);
    expect((await fromCopy(['families', 'list', '--user', 'alice'])).families.length).toBeGreaterThanOrEqual(1);
    // The backup itself is audited, in the live store.
    const audit = await jsonCli(env)(['audit', '--type', 'store.backed_up']);
    expect(audit.events).toEqual([expect.objectContaining({ actor: 'cli', details: { file, pages: expect.any(Number) } })]);
  });

  it('creates the folder it is told to write into, as on a fresh checkout (`tessera backup backups/…`)', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    expect((await tessera(env, ['migrate'])).code).toBe(0);
    const file = join(tempDir(), 'backups', 'nightly', 'tessera.db');
    const result = await tessera(env, ['backup', file, '--json']);
    expect(result).toEqual({ code: 0, stdout: expect.any(String), stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ file, pages: expect.any(Number) });
    expect(existsSync(file)).toBe(true);
  });

  it('does not overwrite a file', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    expect((await tessera(env, ['migrate'])).code).toBe(0);
    const file = join(tempDir(), 'copy.db');
    expect((await tessera(env, ['backup', file])).code).toBe(0);
    expect(await tessera(env, ['backup', file])).toEqual({ code: 1, stdout: '', stderr: `tessera: ${file} already exists; give a new file name\n` });
  });

  it.skipIf(!testDatabaseUrl)('refuses on PostgreSQL, pointing to pg_dump', async () => {
    // A database of its own: the shared one's public schema may hold another branch's migrations.
    const result = await tessera({ DATABASE_URL: await freshDatabase() }, ['backup', join(tempDir(), 'copy.db')]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: the store is PostgreSQL: back it up with pg_dump "$DATABASE_URL" (see the README, "Backing up and restoring")\n',
    });
  });
});
