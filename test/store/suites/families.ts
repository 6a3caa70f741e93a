import { describe, expect, it } from 'vitest';
import type { StoreSetup } from '../contract.js';
import { family, t0, token, user } from '../fixtures.js';

export function familySuite(setup: () => Promise<StoreSetup>): void {
  describe('families', () => {
    it('inserts a family with its first refresh token', async () => {
      const { store } = await setup();
      await store.insertFamily(family(), token());
      expect(await store.findFamily('fam_1')).toEqual(family());
      expect(await store.findRefreshToken('rt_1')).toEqual(token());
      expect(await store.findFamily('fam_9')).toBeNull();
    });

    it('inserts neither the family nor the token when the token cannot be stored', async () => {
      const { store } = await setup();
      await store.insertFamily(family(), token());
      await expect(store.insertFamily(family({ id: 'fam_2' }), token({ id: 'rt_2', familyId: 'fam_2', hash: token().hash }))).rejects.toThrow();
      expect(await store.findFamily('fam_2')).toBeNull();
      expect(await store.findRefreshToken('rt_2')).toBeNull();
    });

    it("lists a user's families newest first in pages, ties broken by id", async () => {
      const { store } = await setup();
      const created = [t0, t0 + 10, t0 + 10, t0 + 20, t0 + 30];
      for (const [i, at] of created.entries()) await store.insertFamily(family({ id: `fam_${i + 1}`, createdAt: at }), token({ id: `rt_${i + 1}`, familyId: `fam_${i + 1}` }));
      await store.insertFamily(family({ id: 'fam_x', userId: 'usr_2' }), token({ id: 'rt_x', familyId: 'fam_x' }));

      const ids: string[] = [];
      let cursor: string | undefined;
      const pages: number[] = [];
      do {
        const page = await store.listFamilies({ userId: 'usr_1', cursor, limit: 2 });
        ids.push(...page.items.map((f) => f.id));
        pages.push(page.items.length);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(ids).toEqual(['fam_5', 'fam_4', 'fam_3', 'fam_2', 'fam_1']);
      expect(pages).toEqual([2, 2, 1]);
      expect((await store.listFamilies({ userId: 'usr_1', limit: 5 })).nextCursor).toBeNull();
    });

    it("lists a user's live families for one client, oldest first", async () => {
      const { store } = await setup();
      const add = (id: string, o: Parameters<typeof family>[0]) => store.insertFamily(family({ id, ...o }), token({ id: `rt_${id}`, familyId: id }));
      await add('fam_new', { createdAt: t0 + 50 });
      await add('fam_old', { createdAt: t0 });
      await add('fam_revoked', { revokedAt: t0 + 1, revokeReason: 'logout' });
      await add('fam_expired', { expiresAt: t0 + 100 });
      await add('fam_other_client', { clientId: 'mobile' });
      await add('fam_other_user', { userId: 'usr_2' });
      const live = await store.listActiveFamilies('usr_1', 'web-app', t0 + 100);
      expect(live.map((f) => f.id)).toEqual(['fam_old', 'fam_new']);
      expect(await store.countActiveFamilies(t0 + 100)).toBe(4);
      expect(await store.countActiveFamilies(t0 + 99)).toBe(5);
    });

    it('finds nothing, and changes nothing, for ids with a NUL character in them', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.insertFamily(family(), token());
      await store.insertAuditEvent({ id: 'evt_1', at: t0, type: 't', actor: 'cli', userId: 'usr_1', clientId: null, familyId: null, ip: null, userAgent: null, details: {} });
      const nul = 'usr_1\0';
      expect(await store.findUserById(nul)).toBeNull();
      expect(await store.findUserByUsername('alice\0')).toBeNull();
      expect(await store.updateUserPassword(nul, 'x')).toBe(false);
      expect(await store.disableUser(nul, t0)).toBe(false);
      expect(await store.findClient('web-app\0')).toBeNull();
      expect(await store.deleteClient('web-app\0')).toBe(false);
      expect(await store.findFamily('fam_1\0')).toBeNull();
      expect(await store.listFamilies({ userId: nul, limit: 5 })).toEqual({ items: [], nextCursor: null });
      expect(await store.listActiveFamilies(nul, 'web-app', t0)).toEqual([]);
      expect(await store.revokeFamily('fam_1\0', 'admin', t0)).toBe(false);
      expect(await store.revokeUserFamilies(nul, 'admin', t0)).toEqual([]);
      expect(await store.revokeClientFamilies('web-app\0', 'admin', t0)).toEqual([]);
      expect(await store.findRefreshTokenByHash(`${token().hash}\0`)).toBeNull();
      expect(await store.findRefreshToken('rt_1\0')).toBeNull();
      expect(await store.listAuditEvents({ userId: nul, limit: 5 })).toEqual({ items: [], nextCursor: null });
      expect(await store.listAuditEvents({ type: 't\0', limit: 5 })).toEqual({ items: [], nextCursor: null });
      expect(await store.findFamily('fam_1')).toEqual(family());
    });

    it('records when a family was last used', async () => {
      const { store } = await setup();
      await store.insertFamily(family(), token());
      await store.touchFamily('fam_1', t0 + 42);
      expect((await store.findFamily('fam_1'))!.lastUsedAt).toBe(t0 + 42);
    });

    it('revokes a family once, keeping the first reason and time', async () => {
      const { store } = await setup();
      await store.insertFamily(family(), token());
      expect(await store.revokeFamily('fam_1', 'reuse_detected', t0 + 5)).toBe(true);
      expect(await store.revokeFamily('fam_1', 'logout', t0 + 9)).toBe(false);
      expect(await store.revokeFamily('fam_9', 'logout', t0 + 9)).toBe(false);
      expect(await store.findFamily('fam_1')).toMatchObject({ revokedAt: t0 + 5, revokeReason: 'reuse_detected' });
    });

    it("revokes a user's or a client's live families and returns only those it revoked", async () => {
      const { store } = await setup();
      const add = (id: string, o: Parameters<typeof family>[0] = {}) => store.insertFamily(family({ id, ...o }), token({ id: `rt_${id}`, familyId: id }));
      await add('fam_a');
      await add('fam_b', { clientId: 'mobile' });
      await add('fam_done', { revokedAt: t0, revokeReason: 'logout' });
      await add('fam_expired', { expiresAt: t0 + 10 });
      await add('fam_bob', { userId: 'usr_2' });
      await add('fam_bob_mobile', { userId: 'usr_2', clientId: 'mobile' });

      expect((await store.revokeUserFamilies('usr_1', 'password_changed', t0 + 10)).sort()).toEqual(['fam_a', 'fam_b']);
      expect(await store.revokeUserFamilies('usr_1', 'password_changed', t0 + 11)).toEqual([]);
      expect(await store.revokeClientFamilies('mobile', 'admin', t0 + 12)).toEqual(['fam_bob_mobile']);
      expect(await store.findFamily('fam_done')).toMatchObject({ revokedAt: t0, revokeReason: 'logout' });
      expect(await store.findFamily('fam_expired')).toMatchObject({ revokedAt: null });
      expect(await store.findFamily('fam_bob')).toMatchObject({ revokedAt: null });
      expect(await store.findFamily('fam_b')).toMatchObject({ revokedAt: t0 + 10, revokeReason: 'password_changed' });
    });

    it('lists revocations since a time, oldest first, leaving out those whose access tokens have all expired', async () => {
      const { store } = await setup();
      for (const [id, at] of [['fam_3', 300], ['fam_1', 100], ['fam_2', 200], ['fam_2b', 200]] as const) {
        await store.insertFamily(family({ id }), token({ id: `rt_${id}`, familyId: id }));
        await store.revokeFamily(id, 'logout', t0 + at);
      }
      await store.insertFamily(family({ id: 'fam_live' }), token({ id: 'rt_live', familyId: 'fam_live' }));
      const ttl = 600;
      expect(await store.listRevocations(0, t0 + 700, ttl)).toEqual([
        { sid: 'fam_1', revokedAt: t0 + 100, expiresAt: t0 + 700 },
        { sid: 'fam_2', revokedAt: t0 + 200, expiresAt: t0 + 800 },
        { sid: 'fam_2b', revokedAt: t0 + 200, expiresAt: t0 + 800 },
        { sid: 'fam_3', revokedAt: t0 + 300, expiresAt: t0 + 900 },
      ]);
      expect((await store.listRevocations(t0 + 200, t0 + 700, ttl)).map((r) => r.sid)).toEqual(['fam_2', 'fam_2b', 'fam_3']);
      expect((await store.listRevocations(0, t0 + 850, ttl)).map((r) => r.sid)).toEqual(['fam_3']);
    });
  });
}
