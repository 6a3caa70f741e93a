import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/deps.js';
import { runTessera, startService } from '../helpers/process.js';

describe('the tessera command and the service as real processes', () => {
  it('creates a client and a user, then the service logs them in, and the CLI lists that session', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    const client = await runTessera(['clients', 'create', 'web', '--public', '--grants', 'password', '--scope', 'read', '--json'], { env });
    expect(client).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(client.stdout).client).toMatchObject({ id: 'web', public: true, grants: ['password', 'refresh_token'], scope: 'read' });
    const user = await runTessera(['users', 'create', 'alice', '--password-stdin'], { env, stdin: 'a long enough password\n' });
    expect(user.code).toBe(0);

    const service = await startService(env);
    const res = await fetch(`${service.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: 'web', username: 'alice', password: 'a long enough password' }),
    });
    expect(res.status).toBe(200);
    expect(await service.stop()).toBe(0);

    // The binary reads the real time, as the service does: the session the service just started is active.
    const families = await runTessera(['families', 'list', '--user', 'alice', '--json'], { env });
    expect(families).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(families.stdout).families).toEqual([expect.objectContaining({ client_id: 'web', status: 'active' })]);
  });

  it('exits non-zero with one line naming the problem', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    const result = await runTessera(['users', 'disable', 'nobody'], { env });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'tessera: no user "nobody"\n' });
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
