import { describe, expect, it } from 'vitest';
import type { ParRequest } from '../../../src/domain/types.js';
import type { StoreSetup } from '../contract.js';
import { client } from '../fixtures.js';

// Pushed authorization requests and used client assertion ids: single use, to the millisecond, pruned as they expire.
const ms = 1_700_000_000_123;

const pushed = (o: Partial<ParRequest> = {}): ParRequest => ({
  hash: 'par-hash-1',
  clientId: 'web-app',
  params: { response_type: 'code', client_id: 'web-app', scope: 'openid 읽기' },
  expiresAt: ms + 60_000,
  usedAt: null,
  ...o,
});

export function pushedSuite(setup: () => Promise<StoreSetup>, { overlapping }: { overlapping: boolean }): void {
  describe('pushed authorization requests', () => {
    it('gives a pushed request once, to its own client, before it expires', async () => {
      const { store } = await setup();
      await store.insertParRequest(pushed());
      await store.insertParRequest(pushed({ hash: 'par-hash-2' }));
      expect(await store.consumeParRequest('par-hash-1', 'other-client', ms)).toBeNull();
      expect(await store.consumeParRequest('par-hash-1', 'web-app', ms)).toEqual(pushed({ usedAt: ms }));
      expect(await store.consumeParRequest('par-hash-1', 'web-app', ms + 1)).toBeNull();
      expect(await store.consumeParRequest('par-hash-2', 'web-app', ms + 60_000)).toBeNull();
      expect(await store.consumeParRequest('par-hash-2', 'web-app', ms + 59_999)).toMatchObject({ hash: 'par-hash-2' });
      expect(await store.consumeParRequest('nope\0', 'web-app', ms)).toBeNull();
    });

    it.runIf(overlapping)('lets exactly one of concurrent uses have it', async () => {
      const { store } = await setup();
      await store.insertParRequest(pushed());
      const results = await Promise.all(Array.from({ length: 8 }, () => store.consumeParRequest('par-hash-1', 'web-app', ms)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('is pruned with the other expired rows', async () => {
      const { store } = await setup();
      await store.insertClient(client());
      await store.insertParRequest(pushed());
      await store.useClientAssertionJti('web-app', 'j-1', ms + 60_000);
      await store.deleteExpired(ms + 60_001, 0, 0);
      await store.insertParRequest(pushed());
      expect(await store.useClientAssertionJti('web-app', 'j-1', ms + 120_000)).toBe(true);
    });
  });

  describe('client assertion ids', () => {
    it('records a jti once per client', async () => {
      const { store } = await setup();
      expect(await store.useClientAssertionJti('bank', 'j-1', ms)).toBe(true);
      expect(await store.useClientAssertionJti('bank', 'j-1', ms)).toBe(false);
      expect(await store.useClientAssertionJti('other', 'j-1', ms)).toBe(true);
      expect(await store.useClientAssertionJti('bank', 'j\0', ms)).toBe(false);
    });
  });
}
