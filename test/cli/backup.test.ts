import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/deps.js';
import { freshDatabase, testDatabaseUrl } from '../helpers/postgres.js';
import { runTessera, startService } from '../helpers/process.js';

const password = 'a long enough password';

async function login(url: string) {
  const res = await fetch(`${url}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'web', username: 'alice', password }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { refresh_token: string };
}

describe('tessera backup', () => {
  it('copies a live SQLite store while the server keeps serving; the copy opens and holds the data', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    expect((await runTessera(['clients', 'create', 'web', '--public', '--grants', 'password'], { env })).code).toBe(0);
    expect((await runTessera(['users', 'create', 'alice', '--password-stdin'], { env, stdin: password })).code).toBe(0);
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
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ file, pages: expect.any(Number) });
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);

    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    // The copy is a working store: the CLI finds the client, the user and the session taken before the backup.
    const fromCopy = { DATABASE_URL: `file:${file}` };
    expect(JSON.parse((await runTessera(['clients', 'list', '--json'], { env: fromCopy })).stdout).clients.map((c: { id: string }) => c.id)).toEqual(['web']);
    const families = JSON.parse((await runTessera(['families', 'list', '--user', 'alice', '--json'], { env: fromCopy })).stdout).families;
    expect(families.length).toBeGreaterThanOrEqual(1);
    // The backup itself is audited, in the live store.
    const audit = JSON.parse((await runTessera(['audit', '--type', 'store.backed_up', '--json'], { env })).stdout);
    expect(audit.events).toEqual([expect.objectContaining({ actor: 'cli', details: { file, pages: expect.any(Number) } })]);
    expect(await service.stop()).toBe(0);
  });

  it('does not overwrite a file', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    const file = join(tempDir(), 'copy.db');
    expect((await runTessera(['backup', file], { env })).code).toBe(0);
    expect(await runTessera(['backup', file], { env })).toEqual({ code: 1, stdout: '', stderr: `tessera: ${file} already exists; give a new file name\n` });
  });

  it.skipIf(!testDatabaseUrl)('refuses on PostgreSQL, pointing to pg_dump', async () => {
    // A database of its own: the shared one's public schema may hold another branch's migrations.
    const result = await runTessera(['backup', join(tempDir(), 'copy.db')], { env: { DATABASE_URL: await freshDatabase() } });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: the store is PostgreSQL: back it up with pg_dump "$DATABASE_URL" (see the README, "Backing up and restoring")\n',
    });
  });
});
