import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freshSchema, pgSkipReason, testDatabaseUrl } from '../helpers/postgres.js';
import { describeStoreContract } from './contract.js';
import { addFamily, family, t0, token } from './fixtures.js';

// A fresh schema per test in a database of this file's own; every opener call is another pool, like a second instance.
if (testDatabaseUrl) {
  describeStoreContract('postgres', freshSchema, { overlapping: true });

  describe('refresh token rotation on PostgreSQL', () => {
    afterEach(() => vi.restoreAllMocks());

    // Issue 12: the write of a refresh is one round trip (BEGIN, three statements and COMMIT were five).
    it('is one statement sent to the database, and rotates', async () => {
      const store = await (await freshSchema())();
      await addFamily(store, family(), token());
      const sent: string[] = [];
      const query = pg.Client.prototype.query;
      vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
        const [config] = args;
        sent.push(typeof config === 'string' ? config : (config as { text: string }).text);
        return (query as (...a: unknown[]) => unknown).apply(this, args) as never;
      });
      const successor = token({ id: 'rt_2', createdAt: t0 + 60 });
      expect(await store.rotateRefreshToken({ tokenId: 'rt_1', usedAt: t0 + 60, successor, successorSealed: 'sealed' })).toBe(true);
      expect(await store.rotateRefreshToken({ tokenId: 'rt_1', usedAt: t0 + 61, successor: token({ id: 'rt_3' }), successorSealed: 's' })).toBe(false);
      expect(sent).toHaveLength(2);
      expect(sent[0]).toMatch(/^with marked as \(/);
      vi.restoreAllMocks();
      expect(await store.findRefreshToken('rt_2')).toEqual(successor);
      expect(await store.findRefreshToken('rt_3')).toBeNull();
      expect((await store.findFamily('fam_1'))!.lastUsedAt).toBe(t0 + 60);
    });
  });
} else {
  describe.skip(`Store contract: postgres (${pgSkipReason})`, () => {
    it('runs every Store behaviour on PostgreSQL', () => {});
  });
}
