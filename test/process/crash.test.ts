import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { httpAt, passwordGrant } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';

const password = 'a long enough password';

const tokenRequest = (url: string, fields: Record<string, string>) =>
  fetch(`${url}/token`, { method: 'POST', body: new URLSearchParams({ client_id: 'web', ...fields }) });

describe('a crash (kill -9) of the service on SQLite', () => {
  it('loses no rotation it answered: the last refresh token handed out works after a restart', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    const operator = jsonCli(env);
    await operator(['clients', 'create', 'web', '--public', '--grants', 'password']);
    await operator(['users', 'create', 'alice', '--password-stdin'], password);
    const service = await startService(env);

    const login = await passwordGrant(httpAt(service.url), { client_id: 'web', password });
    let token = ((await login.json()) as { refresh_token: string }).refresh_token;
    // Rotations for over a second, past two checkpoints or more (the worker thread checkpoints every 500 ms).
    const started = Date.now();
    for (let i = 0; i < 100 || Date.now() - started < 1200; i++) {
      const res = await tokenRequest(service.url, { grant_type: 'refresh_token', refresh_token: token });
      expect(res.status).toBe(200);
      token = ((await res.json()) as { refresh_token: string }).refresh_token;
    }
    const exited = once(service.child, 'exit');
    service.child.kill('SIGKILL');
    await exited;

    const restarted = await startService(env);
    const res = await tokenRequest(restarted.url, { grant_type: 'refresh_token', refresh_token: token });
    expect(res.status).toBe(200);
    expect(await restarted.stop()).toBe(0);
  });
});
