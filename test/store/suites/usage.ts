import { describe, expect, it } from 'vitest';
import type { StoreSetup } from '../contract.js';
import { addFamily, event, family, t0, token } from '../fixtures.js';

export function usageSuite(setup: () => Promise<StoreSetup>): void {
  describe('audit events', () => {
    it('lists events newest first with their details, filtered by user, type and time', async () => {
      const { store } = await setup();
      await store.insertAuditEvent(
        event({ id: 'evt_1', at: t0, details: { reason: 'wrong_password', nested: { n: 1 } }, type: 'login.failed', requestId: 'req-42' }),
      );
      await store.insertAuditEvent(event({ id: 'evt_2', at: t0 + 10 }));
      await store.insertAuditEvent(event({ id: 'evt_3', at: t0 + 20, userId: 'usr_2', ip: '10.0.0.1', userAgent: 'curl' }));
      expect((await store.listAuditEvents({ limit: 10 })).items.map((e) => e.id)).toEqual(['evt_3', 'evt_2', 'evt_1']);
      expect((await store.listAuditEvents({ userId: 'usr_1', limit: 10 })).items.map((e) => e.id)).toEqual(['evt_2', 'evt_1']);
      expect((await store.listAuditEvents({ type: 'login.failed', limit: 10 })).items).toEqual([
        event({ id: 'evt_1', at: t0, details: { reason: 'wrong_password', nested: { n: 1 } }, type: 'login.failed', requestId: 'req-42' }),
      ]);
      expect((await store.listAuditEvents({ since: t0 + 10, limit: 10 })).items.map((e) => e.id)).toEqual(['evt_3', 'evt_2']);
    });

    it('pages through events with a cursor, ties in time broken by id', async () => {
      const { store } = await setup();
      for (const [id, at] of [
        ['evt_a', t0],
        ['evt_b', t0 + 5],
        ['evt_c', t0 + 5],
        ['evt_d', t0 + 9],
      ] as const)
        await store.insertAuditEvent(event({ id, at }));
      const first = await store.listAuditEvents({ limit: 3 });
      expect(first.items.map((e) => e.id)).toEqual(['evt_d', 'evt_c', 'evt_b']);
      const second = await store.listAuditEvents({ limit: 3, cursor: first.nextCursor! });
      expect(second).toEqual({ items: [event({ id: 'evt_a', at: t0 })], nextCursor: null });
    });
  });

  describe('rate limits', () => {
    it('counts hits per key and window', async () => {
      const { store } = await setup();
      expect([await store.hitRateLimit('user:alice', t0), await store.hitRateLimit('user:alice', t0), await store.hitRateLimit('user:alice', t0)]).toEqual([
        1, 2, 3,
      ]);
      expect(await store.hitRateLimit('user:alice', t0 + 60)).toBe(1);
      expect(await store.hitRateLimit('ip:127.0.0.1', t0)).toBe(1);
    });

    it('reads a count without counting, 0 for a key or window never hit, on every store of the database', async () => {
      const { store, open } = await setup();
      expect(await store.peekRateLimit('user:alice', t0)).toBe(0);
      await store.hitRateLimit('user:alice', t0);
      await store.hitRateLimit('user:alice', t0);
      expect(await store.peekRateLimit('user:alice', t0)).toBe(2);
      expect(await (await open()).peekRateLimit('user:alice', t0)).toBe(2);
      expect(await store.peekRateLimit('user:alice', t0)).toBe(2);
      expect(await store.peekRateLimit('user:alice', t0 + 60)).toBe(0);
      expect(await store.peekRateLimit('user:bob', t0)).toBe(0);
      expect(await store.peekRateLimit('user:\0', t0)).toBe(0);
    });

    it('counts every concurrent hit once, across two stores on one database', async () => {
      const { store, open } = await setup();
      const second = await open();
      const counts = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? second : store).hitRateLimit('ip:10.0.0.1', t0)));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    });
  });

  describe('DPoP proofs', () => {
    it('records a proof once: a second record, from any store on the database, is refused', async () => {
      const { store, open } = await setup();
      expect(await store.recordDpopProof('proof-hash-1', t0 + 61_000)).toBe(true);
      expect(await store.recordDpopProof('proof-hash-1', t0 + 61_000)).toBe(false);
      expect(await (await open()).recordDpopProof('proof-hash-1', t0 + 61_000)).toBe(false);
      expect(await store.recordDpopProof('proof-hash-2', t0 + 61_000)).toBe(true);
    });

    it('lets exactly one of concurrent records of one proof through, across two stores', async () => {
      const { store, open } = await setup();
      const second = await open();
      const results = await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 ? second : store).recordDpopProof('raced', t0 + 61_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('forgets a proof once it has expired (deleteExpired)', async () => {
      const { store } = await setup();
      await store.recordDpopProof('old', t0 + 1000);
      await store.recordDpopProof('new', t0 + 5000);
      expect(await store.deleteExpired(t0 + 2000, 0, 0)).toBe(1);
      expect(await store.recordDpopProof('old', t0 + 3000)).toBe(true);
      expect(await store.recordDpopProof('new', t0 + 5000)).toBe(false);
    });
  });

  describe('deleteExpired', () => {
    it('deletes expired refresh tokens, old audit events, long-ended families and old rate-limit windows, and counts them', async () => {
      const { store } = await setup();
      await addFamily(store, family(), token({ id: 'rt_old', expiresAt: t0 + 100 }));
      await addFamily(store, family({ id: 'fam_2' }), token({ id: 'rt_live', familyId: 'fam_2', expiresAt: t0 + 5_000_000 }));
      await addFamily(store, family({ id: 'fam_ended', expiresAt: t0 + 200 }), token({ id: 'rt_ended', familyId: 'fam_ended', expiresAt: t0 + 200 }));
      await store.insertAuditEvent(event({ id: 'evt_old', at: t0 }));
      await store.insertAuditEvent(event({ id: 'evt_new', at: t0 + 900 }));
      await store.hitRateLimit('k', t0);
      await store.hitRateLimit('k', t0 + 3_600_001);

      expect(await store.deleteExpired(t0 + 3_600_001, t0 + 500, t0 + 300)).toBe(5);
      expect(await store.findFamily('fam_ended')).toBeNull();
      expect(await store.findFamily('fam_2')).not.toBeNull();
      expect(await store.findRefreshToken('rt_old')).toBeNull();
      expect(await store.findRefreshToken('rt_live')).not.toBeNull();
      expect((await store.listAuditEvents({ limit: 10 })).items.map((e) => e.id)).toEqual(['evt_new']);
      expect(await store.hitRateLimit('k', t0 + 3_600_001)).toBe(2);
      expect(await store.hitRateLimit('k', t0)).toBe(1);
      expect(await store.deleteExpired(t0 + 3_600_001, t0 + 500, t0 + 300)).toBe(1);
    });
  });
}
