import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/types.js';
import type { StoreSetup } from '../contract.js';
import { addFamily, family, t0, token } from '../fixtures.js';

const rotation = (n: number, usedAt = t0 + 60) => ({
  tokenId: 'rt_1',
  usedAt,
  successor: token({ id: `rt_next_${n}`, createdAt: usedAt }),
  successorSealed: `sealed-${n}`,
});

async function rotateConcurrently(stores: Store[], attempts: number) {
  const results = await Promise.all(Array.from({ length: attempts }, (_, n) => stores[n % stores.length]!.rotateRefreshToken(rotation(n))));
  const successors = await Promise.all(Array.from({ length: attempts }, (_, n) => stores[0]!.findRefreshToken(`rt_next_${n}`)));
  return { results, successors: successors.filter((s) => s !== null) };
}

/**
 * `overlapping`: whether calls on a store can run at the same time, as on PostgreSQL (a pool of connections).
 * better-sqlite3 runs each call to its end before the next one starts, so on SQLite the same calls only show
 * that every rotation after the first loses; two processes racing on one file are tested in
 * test/multi-instance/refresh.test.ts.
 */
export function refreshTokenSuite(setup: () => Promise<StoreSetup>, { overlapping }: { overlapping: boolean }): void {
  const raceOnOneStore = overlapping ? 'lets exactly one of many concurrent rotations win' : 'lets only the first of many back-to-back rotations win';
  const raceOnTwoStores = overlapping
    ? 'lets exactly one rotation win across two stores on one database'
    : 'lets only the first of back-to-back rotations through two stores on one database win';
  describe('refresh tokens', () => {
    it('finds a token with its family by its hash, and a token by its id', async () => {
      const { store } = await setup();
      await addFamily(store, family(), token());
      expect(await store.findRefreshTokenWithFamily(token().hash)).toEqual({ token: token(), family: family(), userActive: true });
      await store.disableUser(family().userId, t0 + 1);
      expect(await store.findRefreshTokenWithFamily(token().hash)).toMatchObject({ token: { id: 'rt_1' }, userActive: false });
      await store.deleteUser(family().userId, t0 + 2);
      expect(await store.findRefreshTokenWithFamily(token().hash)).toMatchObject({ token: { id: 'rt_1' }, userActive: false });
      expect(await store.findRefreshToken('rt_1')).toEqual(token());
      expect(await store.findRefreshTokenWithFamily('hash-of-nothing')).toBeNull();
      expect(await store.findRefreshToken('rt_9')).toBeNull();
    });

    it('rotates an unused token: marks it used, records the sealed successor, inserts it and records the family as used', async () => {
      const { store } = await setup();
      await addFamily(store, family(), token());
      expect(await store.rotateRefreshToken(rotation(1))).toBe(true);
      expect(await store.findRefreshToken('rt_1')).toEqual(token({ usedAt: t0 + 60, successorId: 'rt_next_1', successorSealed: 'sealed-1' }));
      expect(await store.findRefreshToken('rt_next_1')).toEqual(rotation(1).successor);
      expect((await store.findFamily('fam_1'))!.lastUsedAt).toBe(t0 + 60);
    });

    it('refuses to rotate a used token and changes nothing', async () => {
      const { store } = await setup();
      await addFamily(store, family(), token());
      await store.rotateRefreshToken(rotation(1));
      expect(await store.rotateRefreshToken(rotation(2, t0 + 90))).toBe(false);
      expect(await store.findRefreshToken('rt_1')).toMatchObject({ usedAt: t0 + 60, successorId: 'rt_next_1', successorSealed: 'sealed-1' });
      expect(await store.findRefreshToken('rt_next_2')).toBeNull();
      expect((await store.findFamily('fam_1'))!.lastUsedAt).toBe(t0 + 60);
    });

    it('rotates nothing for an unknown token', async () => {
      const { store } = await setup();
      expect(await store.rotateRefreshToken(rotation(1))).toBe(false);
      expect(await store.findRefreshToken('rt_next_1')).toBeNull();
    });

    it(raceOnOneStore, async () => {
      const { store } = await setup();
      await addFamily(store, family(), token());
      const { results, successors } = await rotateConcurrently([store], 16);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(successors.map((s) => s.id)).toEqual([`rt_next_${winner}`]);
      expect((await store.findRefreshToken('rt_1'))!.successorId).toBe(`rt_next_${winner}`);
    });

    it(raceOnTwoStores, async () => {
      const { store, open } = await setup();
      const second = await open();
      await addFamily(store, family(), token());
      const { results, successors } = await rotateConcurrently([store, second], 16);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(successors).toHaveLength(1);
      expect((await second.findRefreshToken('rt_1'))!.successorId).toBe(successors[0]!.id);
    });
  });
}
