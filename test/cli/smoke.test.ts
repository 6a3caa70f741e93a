import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpAt, passwordGrant } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/deps.js';
import { runTessera, startService } from '../helpers/process.js';

describe('the tessera command and the service as real processes', () => {
  it('creates a client and a user, then the service logs them in, and the CLI lists that session', async () => {
    const path = join(tempDir(), 'tessera.db');
    const env = { DATABASE_URL: `file:${path}` };
    const using = `tessera: using the SQLite database ${path}\n`;
    expect(await runTessera(['migrate'], { env })).toEqual({ code: 0, stdout: 'migrations applied (sqlite)\n', stderr: using });
    const client = await runTessera(['clients', 'create', 'web', '--public', '--grants', 'password', '--scope', 'read', '--json'], { env });
    expect(client).toMatchObject({ code: 0, stderr: using });
    expect(JSON.parse(client.stdout).client).toMatchObject({ id: 'web', public: true, grants: ['password', 'refresh_token'], scope: 'read' });
    const user = await runTessera(['users', 'create', 'alice', '--password-stdin'], { env, stdin: 'a long enough password\n' });
    expect(user.code).toBe(0);

    const service = await startService(env);
    const res = await passwordGrant(httpAt(service.url), { client_id: 'web', password: 'a long enough password' });
    expect(res.status).toBe(200);
    expect(await service.stop()).toBe(0);

    // The binary reads the real time, as the service does: the session the service just started is active.
    const families = await runTessera(['families', 'list', '--user', 'alice', '--json'], { env });
    expect(families).toMatchObject({ code: 0, stderr: using });
    expect(JSON.parse(families.stdout).families).toEqual([expect.objectContaining({ client_id: 'web', status: 'active' })]);
  });

  it('run where there is no store, creates none: one line names the path it looked at and the ways out', async () => {
    const elsewhere = tempDir();
    for (const args of [
      ['users', 'list'],
      ['clients', 'create', 'web', '--public', '--grants', 'password'],
    ]) {
      expect(await runTessera(args, { cwd: elsewhere })).toEqual({
        code: 1,
        stdout: '',
        stderr: `tessera: there is no SQLite database ${join(elsewhere, 'data/tessera.db')} (DATABASE_URL, relative to this folder): run tessera in the Tessera checkout, set DATABASE_URL to the store, or create one here with tessera migrate\n`,
      });
    }
    expect(readdirSync(elsewhere)).toEqual([]);
    // `tessera migrate` is the command that creates it; the others then work on it, naming it.
    const using = `tessera: using the SQLite database ${join(elsewhere, 'data/tessera.db')}\n`;
    expect((await runTessera(['migrate'], { cwd: elsewhere })).stderr).toBe(using);
    expect(existsSync(join(elsewhere, 'data/tessera.db'))).toBe(true);
    const listed = await runTessera(['users', 'list', '--json'], { cwd: elsewhere });
    expect(listed).toMatchObject({ code: 0, stderr: using });
    expect(JSON.parse(listed.stdout).users).toEqual([]);
  });

  it('names a variable it does not read, with the one it probably meant, and does not call an absolute path relative', async () => {
    const path = join(tempDir(), 'tessera.db');
    expect(await runTessera(['users', 'list'], { env: { DATABASE_URL: `file:${path}`, ACCESS_TOKEN_TTLL: '60' } })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'tessera: warning: environment variables Tessera does not read, left unused: ACCESS_TOKEN_TTLL (did you mean ACCESS_TOKEN_TTL?)\n' +
        `tessera: there is no SQLite database ${path} (DATABASE_URL): run tessera in the Tessera checkout, set DATABASE_URL to the store, or create one here with tessera migrate\n`,
    });
  });

  it('exits non-zero with one line naming the problem', async () => {
    const path = join(tempDir(), 'tessera.db');
    const env = { DATABASE_URL: `file:${path}` };
    expect((await runTessera(['migrate'], { env })).code).toBe(0);
    const result = await runTessera(['users', 'disable', 'nobody'], { env });
    expect(result).toEqual({ code: 1, stdout: '', stderr: `tessera: using the SQLite database ${path}\ntessera: no user "nobody"\n` });
    const badEnv = await runTessera(['clients', 'list'], { env: { DATABASE_URL: 'mysql://x' } });
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toBe('tessera: invalid configuration: DATABASE_URL must start with file:, postgres:// or postgresql://\n');
  });

  it('refuses a bad command line with exit code 2 and one line, as test/unit/cli/arguments.test.ts expects in-process', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    expect(await runTessera(['keys', 'list', '--nope'], { env })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tessera: unknown option --nope; see tessera keys list --help\n',
    });
    expect((await runTessera(['users'])).code).toBe(2);
  });
});
