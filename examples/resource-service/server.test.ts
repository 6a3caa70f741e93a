import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { createVerifier } from 'tessera-verify';
import { onCleanup, tempDir } from '../../test/helpers/deps.js';
import { jsonCli, startService, type ServiceProcess } from '../../test/helpers/process.js';
import { createResourceApp } from './server.js';

const password = 'a long enough password';

async function login(tessera: ServiceProcess, scope = 'read write') {
  const res = await fetch(`${tessera.url}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'notes-app', username: 'alice', password, scope }),
  });
  const { access_token: token } = await res.json();
  return { token: token as string, sid: JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string };
}

/** Polls until `check` holds, for at most `ms` of real time; returns how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - start;
}

describe('examples/resource-service', () => {
  it('serves a real token, refuses a revoked session within seconds, and keeps working across a Tessera restart', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    const operator = jsonCli(env);
    await operator(['clients', 'create', 'notes-app', '--public', '--grants', 'password', '--scope', 'read write']);
    await operator(['users', 'create', 'alice', '--password-stdin'], password);
    let tessera = await startService(env);

    const verifier = createVerifier({ issuer: tessera.url, audience: tessera.url, revocations: true });
    onCleanup(() => verifier.close());
    const server = serve({ fetch: createResourceApp(verifier).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = (token: string, init: RequestInit = {}) => fetch(`${api}/notes/mine`, { ...init, headers: { authorization: `Bearer ${token}` } });

    const first = await login(tessera);
    const ok = await call(first.token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ session: first.sid });

    const readOnly = await login(tessera, 'read');
    const denied = await call(readOnly.token, { method: 'POST' });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const missing = await fetch(`${api}/notes/mine`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);

    await operator(['families', 'revoke', first.sid]);
    await within(5000, async () => (await call(first.token)).status === 401);
    expect((await call(first.token)).headers.get('www-authenticate')).toContain('error="invalid_token"');

    // Tessera restarts on the same port: the verifier keeps its keys, reconnects to the feed, and sees later revocations.
    expect(await tessera.stop()).toBe(0);
    tessera = await startService(env, { port: tessera.port });
    const second = await login(tessera);
    expect((await call(second.token)).status).toBe(200);
    await operator(['families', 'revoke', second.sid]);
    await within(5000, async () => (await call(second.token)).status === 401);
    expect((await call(readOnly.token)).status).toBe(200);
  });
});
