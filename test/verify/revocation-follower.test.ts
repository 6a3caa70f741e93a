import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { revokeFamilyById } from '../../src/services/sessions/families.js';
import { createVerifier } from '../../packages/verify/src/index.js';
import { followRevocations, type RevocationFollowerOptions } from '../../packages/verify/src/revocation-follower.js';
import { onCleanup } from '../helpers/deps.js';
import { loginAlice, seed } from '../helpers/fixtures.js';
import { basic, form, testServer, type TestServer } from '../helpers/server.js';

async function setup() {
  const server = await testServer();
  await seed(server.deps);
  const { access_token: token } = await loginAlice(server);
  return { server, token, sid: decodeJwt(token).sid as string };
}

function follow(server: TestServer, options: Partial<RevocationFollowerOptions> = {}) {
  const follower = followRevocations({ url: `${server.url}/revocations`, fetch, now: () => server.deps.clock.now(), ...options });
  onCleanup(() => follower.close());
  return follower;
}

const revoke = (server: TestServer, sid: string) => revokeFamilyById(server.deps, { name: 'cli' }, sid, 'admin');

/** Polls fast until `check` holds, for at most 5 s of real time. */
async function within5s(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('following the revocation feed', () => {
  it('polls the JSON page where a proxy will not stream, and still refuses a revoked session within seconds', async () => {
    const { server, token, sid } = await setup();
    const contentTypes: string[] = [];
    // A proxy that ignores Accept: every answer is the JSON page.
    const proxy: typeof fetch = async (input, init) => {
      const res = await fetch(input, { ...init, headers: { accept: 'application/json' } });
      contentTypes.push(res.headers.get('content-type') ?? '');
      return res;
    };
    const verifier = createVerifier({
      issuer: server.url,
      audience: server.url,
      now: () => server.deps.clock.now(),
      fetch: proxy,
      revocations: { retryMs: 50 },
    });
    onCleanup(() => verifier.close());
    await verifier.verify(token);

    await revoke(server, sid);
    await within5s(() =>
      verifier.verify(token).then(
        () => false,
        (error: { code: string }) => error.code === 'ERR_TOKEN_REVOKED',
      ),
    );
    expect(contentTypes.filter((type) => type.startsWith('application/json')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a client_credentials token its client revoked at /revoke, and only that token', async () => {
    const server = await testServer();
    const { serviceSecret } = await seed(server.deps);
    const asBilling = (path: string, fields: Record<string, string>) =>
      server.fetch(path, { ...form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', serviceSecret) } });
    const serviceToken = async () => (await (await asBilling('/token', { grant_type: 'client_credentials', scope: 'read' })).json()).access_token as string;
    const [token, other] = [await serviceToken(), await serviceToken()];
    const verifier = createVerifier({ issuer: server.url, audience: server.url, now: () => server.deps.clock.now(), revocations: { retryMs: 50 } });
    onCleanup(() => verifier.close());
    await verifier.verify(token);

    expect((await asBilling('/revoke', { token })).status).toBe(200);
    await within5s(() =>
      verifier.verify(token).then(
        () => false,
        (error: { code: string }) => error.code === 'ERR_TOKEN_REVOKED',
      ),
    );
    await expect(verifier.verify(other)).resolves.toMatchObject({ client_id: 'billing' });
  });

  it('reopens a stream that has gone silent, resuming from its cursor', async () => {
    const { server, sid } = await setup();
    let streams = 0;
    // The first stream is a connection that went dead without closing: 200, then nothing at all.
    const flaky: typeof fetch = async (input, init) => {
      const accept = new Headers(init?.headers).get('accept') ?? '';
      if (accept.includes('text/event-stream') && ++streams === 1) {
        const silent = new ReadableStream<Uint8Array>({
          start(controller) {
            init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
          },
        });
        return new Response(silent, { headers: { 'content-type': 'text/event-stream' } });
      }
      return fetch(input, init);
    };
    const follower = follow(server, { fetch: flaky, idleMs: 300, retryMs: 100 });
    await follower.ready;
    await revoke(server, sid);
    await within5s(() => follower.isRevoked({ sid: sid }));
    expect(streams).toBeGreaterThanOrEqual(2);
  });

  it('forgets an entry once its expires_at has passed', async () => {
    const { server, sid } = await setup();
    const follower = follow(server);
    await revoke(server, sid);
    await within5s(() => follower.isRevoked({ sid: sid }));
    server.deps.clock.advance(599);
    expect(follower.isRevoked({ sid: sid })).toBe(true);
    server.deps.clock.advance(1);
    expect(follower.isRevoked({ sid: sid })).toBe(false);
    expect(follower.size).toBe(0);
  });

  it('drops expired entries of sessions nobody asks about, so a long-running verifier does not grow', async () => {
    const { server, sid } = await setup();
    const follower = follow(server);
    await revoke(server, sid);
    await within5s(() => follower.size === 1);
    server.deps.clock.advance(700);
    const next = decodeJwt((await loginAlice(server)).access_token).sid as string;
    await revoke(server, next);
    await within5s(() => follower.isRevoked({ sid: next }));
    expect(follower.size).toBe(1);
  });

  it('keeps refusing a revoked token for as long as the clock tolerance would still accept it', async () => {
    const { server, token, sid } = await setup();
    const verifier = createVerifier({ issuer: server.url, audience: server.url, now: () => server.deps.clock.now(), revocations: true, clockTolerance: 5 });
    onCleanup(() => verifier.close());
    await revoke(server, sid);
    const code = () =>
      verifier.verify(token).then(
        () => 'valid',
        (error: { code: string }) => error.code,
      );
    await within5s(async () => (await code()) === 'ERR_TOKEN_REVOKED');
    // The entry's expires_at has passed, but the token is still inside the tolerance: still refused.
    server.deps.clock.advance(600 + 4);
    expect(await code()).toBe('ERR_TOKEN_REVOKED');
    server.deps.clock.advance(2);
    expect(await code()).toBe('ERR_TOKEN_EXPIRED');
  });

  it('does not hold verification up when the feed hangs', async () => {
    const { server, token } = await setup();
    const hanging: typeof fetch = (input, init) =>
      String(input).includes('/revocations')
        ? new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
        : fetch(input, init);
    const follower = follow(server, { fetch: hanging, readyTimeoutMs: 200 });
    await follower.ready;
    expect(follower.isRevoked({ sid: 'fam_1' })).toBe(false);

    // The verifier's own wait is bounded the same way (5 s by default).
    const verifier = createVerifier({
      issuer: server.url,
      audience: server.url,
      now: () => server.deps.clock.now(),
      fetch: hanging,
      revocations: { readyTimeoutMs: 200 },
    });
    onCleanup(() => verifier.close());
    await expect(verifier.verify(token)).resolves.toMatchObject({ sid: 'fam_1' });
  });

  it("tells the verifier's onError why the feed cannot be read, and keeps verifying signatures meanwhile", async () => {
    const { server, token } = await setup();
    const refusing: typeof fetch = (input, init) =>
      String(input).includes('/revocations') ? Promise.resolve(new Response('no', { status: 502 })) : fetch(input, init);
    const errors: string[] = [];
    const verifier = createVerifier({
      issuer: server.url,
      audience: server.url,
      now: () => server.deps.clock.now(),
      fetch: refusing,
      revocations: { retryMs: 20, onError: (error) => errors.push(error.message) },
    });
    onCleanup(() => verifier.close());
    await expect(verifier.verify(token)).resolves.toMatchObject({ sid: 'fam_1' });
    // It keeps retrying at the given interval.
    await within5s(() => errors.length >= 3);
    expect(new Set(errors)).toEqual(new Set(['revocation feed answered 502']));
  });
});
