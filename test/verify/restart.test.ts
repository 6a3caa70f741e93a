import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../packages/verify/src/index.js';
import { httpAt, passwordGrant } from '../helpers/fixtures.js';
import { onCleanup, tempDir } from '../helpers/deps.js';
import { jsonCli, startService, type ServiceProcess } from '../helpers/process.js';

const password = 'a long enough password';

async function login(tessera: ServiceProcess) {
  const res = await passwordGrant(httpAt(tessera.url), { client_id: 'notes-app', password, scope: 'read' });
  expect(res.status).toBe(200);
  const { access_token: token } = (await res.json()) as { access_token: string };
  return { token, sid: decodeJwt(token).sid as string };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'valid',
    (error: { code: string }) => error.code,
  );

/** Polls fast until `check` holds, for at most 5 s of real time. */
async function within5s(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a verifier across a Tessera restart', () => {
  it('keeps verifying while Tessera is down, and picks up a revocation made meanwhile from its cursor once it is back', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    const operator = jsonCli(env);
    await operator(['clients', 'create', 'notes-app', '--public', '--grants', 'password', '--scope', 'read']);
    await operator(['users', 'create', 'alice', '--password-stdin'], password);
    let tessera = await startService(env);

    const feedRequests: { url: string; lastEventId: string | null }[] = [];
    const recording: typeof fetch = (input, init) => {
      if (String(input).includes('/revocations')) feedRequests.push({ url: String(input), lastEventId: new Headers(init?.headers).get('last-event-id') });
      return fetch(input, init);
    };
    const verifier = createVerifier({ issuer: tessera.url, audience: tessera.url, revocations: { retryMs: 100 }, fetch: recording });
    onCleanup(() => verifier.close());

    const a = await login(tessera);
    const b = await login(tessera);
    expect(await codeOf(verifier.verify(a.token))).toBe('valid');
    expect(await codeOf(verifier.verify(b.token))).toBe('valid');

    // Tessera goes down; an operator revokes a on the same database meanwhile. The verifier reconnecting to the feed
    // does not hold the shutdown up: its connection closes with the answer instead of staying open until the cut.
    expect(await tessera.stop()).toBe(0);
    expect(tessera.output()).not.toContain('drain time over');
    await operator(['families', 'revoke', a.sid]);
    // Signatures still verify with the cached keys: a down issuer does not take its services down.
    expect(await codeOf(verifier.verify(b.token))).toBe('valid');

    const reconnectsFrom = feedRequests.length;
    tessera = await startService(env, { port: tessera.port });
    await within5s(async () => (await codeOf(verifier.verify(a.token))) === 'ERR_TOKEN_REVOKED');
    expect(await codeOf(verifier.verify(b.token))).toBe('valid');
    // It came back with its cursor rather than starting over.
    expect(feedRequests.slice(reconnectsFrom).some((r) => r.lastEventId !== null && r.url.includes('since='))).toBe(true);

    // And it follows the live feed of the new process.
    await operator(['families', 'revoke', b.sid]);
    await within5s(async () => (await codeOf(verifier.verify(b.token))) === 'ERR_TOKEN_REVOKED');
  }, 60_000);

  it('ends live feed streams cleanly on SIGTERM, so they do not hold the shutdown drain up', async () => {
    const tessera = await startService({ DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` });
    const res = await fetch(`${tessera.url}/revocations`, { headers: { accept: 'text/event-stream' } });
    const reader = res.body!.getReader();
    await reader.read(); // caught up
    const stopping = tessera.stop();
    // A clean end of the response, not a connection cut at the end of the drain (which rejects the read).
    for (;;) if ((await reader.read()).done) break;
    expect(await stopping).toBe(0);
    expect(tessera.output()).not.toContain('shutdown did not finish in time');
    expect(tessera.output()).not.toContain('drain time over');
  });
});
