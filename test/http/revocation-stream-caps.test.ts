import { describe, expect, it } from 'vitest';
import { onCleanup } from '../helpers/deps.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { testServer, type TestServer } from '../helpers/server.js';

const full = {
  error: 'temporarily_unavailable',
  error_description: 'too many live revocation streams are open; read the JSON page of the feed meanwhile',
};

/** Opens a live stream (as `forwardedFor`, when given) and reads up to its catch-up; a refusal is returned as is. */
async function openStream(server: TestServer, forwardedFor?: string) {
  const abort = new AbortController();
  onCleanup(() => abort.abort());
  const headers: Record<string, string> = { accept: 'text/event-stream', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) };
  const res = await server.fetch('/revocations', { headers, signal: abort.signal });
  if (res.status === 200) await res.body!.getReader().read(); // ": caught up"
  return { res, close: () => abort.abort() };
}

describe('GET /revocations live stream caps', () => {
  it('refuses a stream beyond the per-IP or the total cap with 503 and Retry-After, and frees the slot when a stream ends', async () => {
    // Every request comes from 127.0.0.1; as a trusted proxy it names the client in X-Forwarded-For.
    const server = await testServer({ env: { FEED_MAX_STREAMS: '2', FEED_MAX_STREAMS_PER_IP: '1', TRUST_PROXY: '127.0.0.1/32' } });
    const first = await openStream(server, '198.51.100.1');
    expect(first.res.status).toBe(200);

    const sameIp = await openStream(server, '198.51.100.1');
    expect(sameIp.res.status).toBe(503);
    expect(sameIp.res.headers.get('retry-after')).toBe('30');
    await expectMatchesSpec(sameIp.res.clone(), { method: 'get', path: '/revocations' });
    expect(await sameIp.res.json()).toEqual(full);
    // The JSON page is not capped.
    expect((await server.fetch('/revocations', { headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(200);

    expect((await openStream(server, '198.51.100.2')).res.status).toBe(200);
    const overTotal = await openStream(server, '198.51.100.3');
    expect(overTotal.res.status).toBe(503);
    expect(await overTotal.res.json()).toEqual(full);

    first.close();
    let again = await openStream(server, '198.51.100.1');
    for (const deadline = Date.now() + 5000; again.res.status === 503 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await openStream(server, '198.51.100.1');
    }
    expect(again.res.status).toBe(200);
    expect((await openStream(server, '198.51.100.4')).res.status).toBe(503);
  });

  it('counts a forged X-Forwarded-For from an untrusted peer against the peer', async () => {
    const server = await testServer({ env: { FEED_MAX_STREAMS_PER_IP: '1' } });
    expect((await openStream(server)).res.status).toBe(200);
    expect((await openStream(server, '203.0.113.7')).res.status).toBe(503);
  });
});
