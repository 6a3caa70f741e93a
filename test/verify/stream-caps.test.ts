import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { revokeFamilyById } from '../../src/services/sessions/families.js';
import { followRevocations } from '../../packages/verify/src/revocation-follower.js';
import { onCleanup } from '../helpers/deps.js';
import { loginAlice, seed } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';

describe('following the revocation feed while its live streams are full', () => {
  it('polls the JSON page instead, and still learns of a revocation within seconds', async () => {
    const server = await testServer({ env: { FEED_MAX_STREAMS_PER_IP: '1' } });
    await seed(server.deps);
    const sid = decodeJwt((await loginAlice(server)).access_token).sid as string;
    // Another reader from this address holds the only stream slot.
    const holder = new AbortController();
    onCleanup(() => holder.abort());
    const held = await server.fetch('/revocations', { headers: { accept: 'text/event-stream' }, signal: holder.signal });
    expect(held.status).toBe(200);

    const statuses: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    };
    const follower = followRevocations({ url: `${server.url}/revocations`, fetch: counting, now: () => server.deps.clock.now(), retryMs: 100 });
    onCleanup(() => follower.close());
    await follower.ready;
    await revokeFamilyById(server.deps, { name: 'cli' }, sid, 'admin');

    const deadline = Date.now() + 5000;
    while (!follower.isRevoked({ sid }) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(follower.isRevoked({ sid })).toBe(true);
    expect(statuses).toContain(503);
  });
});
