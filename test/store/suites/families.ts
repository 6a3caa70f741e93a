import { describe, expect, it } from 'vitest';
import { positionOf } from '../../../src/services/revocations.js';
import type { Store } from '../../../src/store/types.js';
import type { StoreSetup } from '../contract.js';
import { addFamily, client, family, t0, token, user } from '../fixtures.js';

/** A login at `at` for usr_1 on web-app, as startFamily sees it. */
const login = (store: Store, id: string, at: number, o: { maxSessions?: number | null; authTime?: number; userId?: string } = {}) =>
  store.startFamily({
    family: family({ id, createdAt: at, lastUsedAt: at, userId: o.userId ?? 'usr_1' }),
    firstToken: token({ id: `rt_${id}`, familyId: id, createdAt: at }),
    authTime: o.authTime ?? at,
    maxSessions: o.maxSessions ?? null,
  });

const liveIds = async (store: Store, userId = 'usr_1') =>
  (await store.listFamilies({ userId, limit: 100 })).items
    .filter((f) => f.revokedAt === null)
    .map((f) => f.id)
    .sort();

export function familySuite(setup: () => Promise<StoreSetup>): void {
  describe('families', () => {
    it('lists the live families of a user, newest first, with the browser each started in', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.insertUser(user({ id: 'usr_2', username: 'bob' }));
      await addFamily(store, family({ id: 'fam_old', createdAt: t0, browserSessionId: 'browser-a' }), token({ id: 'rt_a', familyId: 'fam_old', hash: 'h-a' }));
      await addFamily(store, family({ id: 'fam_new', createdAt: t0 + 1 }), token({ id: 'rt_b', familyId: 'fam_new', hash: 'h-b' }));
      await addFamily(store, family({ id: 'fam_gone', createdAt: t0 + 2 }), token({ id: 'rt_c', familyId: 'fam_gone', hash: 'h-c' }));
      await addFamily(store, family({ id: 'fam_bob', userId: 'usr_2', createdAt: t0 + 3 }), token({ id: 'rt_d', familyId: 'fam_bob', hash: 'h-d' }));
      await store.revokeFamily('fam_gone', 'logout', t0 + 5);
      const live = await store.listLiveFamilies('usr_1', t0 + 10, 10);
      expect(live.map((f) => [f.id, f.browserSessionId])).toEqual([
        ['fam_new', null],
        ['fam_old', 'browser-a'],
      ]);
      expect((await store.listLiveFamilies('usr_1', t0 + 10, 1)).map((f) => f.id)).toEqual(['fam_new']);
      expect(await store.listLiveFamilies('usr_1', family().expiresAt, 10)).toEqual([]);
    });

    it("revokes every live family of a user but one browser's, with a session.revoked event each", async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.insertUser(user({ id: 'usr_2', username: 'bob' }));
      await addFamily(store, family({ id: 'fam_here', browserSessionId: 'browser-a' }), token({ id: 'rt_a', familyId: 'fam_here', hash: 'h-a' }));
      await addFamily(store, family({ id: 'fam_there', browserSessionId: 'browser-b' }), token({ id: 'rt_b', familyId: 'fam_there', hash: 'h-b' }));
      await addFamily(store, family({ id: 'fam_api' }), token({ id: 'rt_c', familyId: 'fam_api', hash: 'h-c' }));
      await addFamily(store, family({ id: 'fam_bob', userId: 'usr_2' }), token({ id: 'rt_d', familyId: 'fam_bob', hash: 'h-d' }));
      const after = await store.lastEventSeq();
      expect((await store.revokeOtherFamilies('usr_1', 'browser-a', 'user_signed_out', t0 + 10)).sort()).toEqual(['fam_api', 'fam_there']);
      expect(await liveIds(store)).toEqual(['fam_here']);
      expect(await liveIds(store, 'usr_2')).toEqual(['fam_bob']);
      const events = (await store.listEvents({ after, limit: 10 })).map((e) => e.event);
      expect(events).toHaveLength(2);
      expect(events.every((e) => e.type === 'session.revoked' && e.data.reason === 'user_signed_out')).toBe(true);
      expect(await store.revokeOtherFamilies('usr_1', null, 'user_signed_out', t0 + 20)).toEqual(['fam_here']);
    });

    it('starts a family with its first refresh token', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      expect(await store.startFamily({ family: family(), firstToken: token(), authTime: t0, maxSessions: null })).toEqual({ evicted: [] });
      expect(await store.findFamily('fam_1')).toEqual(family());
      expect(await store.findRefreshToken('rt_1')).toEqual(token());
      expect(await store.findFamily('fam_9')).toBeNull();
    });

    it('inserts neither the family nor the token when the token cannot be stored', async () => {
      const { store } = await setup();
      await addFamily(store, family(), token());
      await expect(addFamily(store, family({ id: 'fam_3' }), token({ id: 'rt_3', familyId: 'fam_3', hash: token().hash }))).rejects.toThrow();
      expect(await store.findFamily('fam_3')).toBeNull();
      expect(await store.findRefreshToken('rt_3')).toBeNull();
    });

    it('starts no session for a missing or disabled user, or for a login checked before a password change', async () => {
      const { store } = await setup();
      expect(await login(store, 'fam_nobody', t0)).toBeNull();
      await store.insertUser(user());
      await store.changePassword('usr_1', 'new-hash', t0 + 10);
      expect(await login(store, 'fam_stale', t0 + 20, { authTime: t0 + 9 })).toBeNull();
      expect(await login(store, 'fam_same_ms', t0 + 20, { authTime: t0 + 10 })).toBeNull();
      expect(await login(store, 'fam_fresh', t0 + 20, { authTime: t0 + 11 })).toEqual({ evicted: [] });
      await store.disableUser('usr_1', t0 + 30);
      expect(await login(store, 'fam_after_disable', t0 + 40)).toBeNull();
      expect(await store.findFamily('fam_stale')).toBeNull();
      expect(await store.findRefreshToken('rt_fam_stale')).toBeNull();
      expect(await store.findFamily('fam_after_disable')).toBeNull();
    });

    it('ends every session on a password change or disable, returning the ids it revoked', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await login(store, 'fam_a', t0);
      await login(store, 'fam_b', t0 + 1);
      expect((await store.changePassword('usr_1', 'h2', t0 + 5))!.sort()).toEqual(['fam_a', 'fam_b']);
      expect(await store.findFamily('fam_a')).toMatchObject({ revokedAt: t0 + 5, revokeReason: 'password_changed' });
      await login(store, 'fam_c', t0 + 6);
      expect(await store.disableUser('usr_1', t0 + 7)).toEqual(['fam_c']);
      expect(await store.findFamily('fam_c')).toMatchObject({ revokedAt: t0 + 7, revokeReason: 'user_disabled' });
    });

    it('applies max_sessions by revoking the oldest live sessions, to the millisecond, never the new one', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      // Ids sort against creation order, so only the millisecond times can put them in order.
      expect(await login(store, 'fam_z', t0, { maxSessions: 2 })).toEqual({ evicted: [] });
      expect(await login(store, 'fam_y', t0 + 1, { maxSessions: 2 })).toEqual({ evicted: [] });
      expect(await login(store, 'fam_x', t0 + 2, { maxSessions: 2 })).toEqual({ evicted: ['fam_z'] });
      expect(await store.findFamily('fam_z')).toMatchObject({ revokedAt: t0 + 2, revokeReason: 'max_sessions' });
      // Equal times: the newcomer still survives.
      expect(await login(store, 'fam_a', t0 + 2, { maxSessions: 1 })).toEqual({ evicted: ['fam_y', 'fam_x'] });
      expect(await liveIds(store)).toEqual(['fam_a']);
    });

    it('keeps max_sessions exact when logins race across two stores on one database', async () => {
      const { store, open } = await setup();
      const second = await open();
      await store.insertUser(user());
      // Real concurrency on PostgreSQL (the user's row lock serialises the logins); SQLite runs transactions one at a time.
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, n) => login(n % 2 ? second : store, `fam_${String(n).padStart(2, '0')}`, t0 + n, { maxSessions: 1 })),
      );
      expect(results.every((r) => r !== null)).toBe(true);
      expect(await liveIds(store)).toHaveLength(1);
    });

    it("lists a user's families newest first in pages, ties broken by id", async () => {
      const { store } = await setup();
      const created = [t0, t0 + 10, t0 + 10, t0 + 20, t0 + 30];
      for (const [i, at] of created.entries())
        await addFamily(store, family({ id: `fam_${i + 1}`, createdAt: at }), token({ id: `rt_${i + 1}`, familyId: `fam_${i + 1}` }));
      await addFamily(store, family({ id: 'fam_x', userId: 'usr_2' }), token({ id: 'rt_x', familyId: 'fam_x' }));

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

    it('counts the live families', async () => {
      const { store } = await setup();
      const add = (id: string, o: Parameters<typeof family>[0]) => addFamily(store, family({ id, ...o }), token({ id: `rt_${id}`, familyId: id }));
      await add('fam_new', { createdAt: t0 + 50 });
      await add('fam_old', { createdAt: t0 });
      await add('fam_revoked', {});
      await store.revokeFamily('fam_revoked', 'logout', t0 + 1);
      await add('fam_expired', { expiresAt: t0 + 100 });
      await add('fam_other_client', { clientId: 'mobile' });
      expect(await store.countActiveFamilies(t0 + 100)).toBe(3);
      expect(await store.countActiveFamilies(t0 + 99)).toBe(4);
    });

    it('finds nothing, and changes nothing, for ids with a NUL character in them', async () => {
      const { store } = await setup();
      await addFamily(store, family(), token());
      await store.insertClient(client());
      await store.insertAuditEvent({
        id: 'evt_1',
        at: t0,
        type: 't',
        actor: 'cli',
        userId: 'usr_1',
        clientId: null,
        familyId: null,
        ip: null,
        userAgent: null,
        requestId: null,
        details: {},
      });
      const nul = 'usr_1\0';
      expect(await store.findUserById(nul)).toBeNull();
      expect(await store.findUserByUsername('alice\0')).toBeNull();
      expect(await store.changePassword(nul, 'x', t0)).toBeNull();
      expect(await store.disableUser(nul, t0)).toBeNull();
      expect(await store.findClient('web-app\0')).toBeNull();
      expect(await store.deleteClient('web-app\0', t0)).toBeNull();
      expect(await store.disableClient('web-app\0', t0)).toBeNull();
      expect(await store.enableClient('web-app\0')).toBe(false);
      expect(await store.findFamily('fam_1\0')).toBeNull();
      expect(await store.listFamilies({ userId: nul, limit: 5 })).toEqual({ items: [], nextCursor: null });
      expect(await store.revokeFamily('fam_1\0', 'admin', t0)).toBe(false);
      expect(await store.revokeUserFamilies(nul, 'admin', t0)).toEqual([]);
      expect(await store.findRefreshTokenWithFamily(`${token().hash}\0`)).toBeNull();
      expect(await store.findRefreshToken('rt_1\0')).toBeNull();
      expect(await store.listAuditEvents({ userId: nul, limit: 5 })).toEqual({ items: [], nextCursor: null });
      expect(await store.listAuditEvents({ type: 't\0', limit: 5 })).toEqual({ items: [], nextCursor: null });
      expect(await store.findFamily('fam_1')).toEqual(family());
      expect(await store.findClient('web-app')).toEqual(client());
    });

    it('records when a family was last used', async () => {
      const { store } = await setup();
      await addFamily(store);
      await store.touchFamily('fam_1', t0 + 42);
      expect((await store.findFamily('fam_1'))!.lastUsedAt).toBe(t0 + 42);
    });

    it('revokes a family once, keeping the first reason and time', async () => {
      const { store } = await setup();
      await addFamily(store);
      expect(await store.revokeFamily('fam_1', 'reuse_detected', t0 + 5)).toBe(true);
      expect(await store.revokeFamily('fam_1', 'logout', t0 + 9)).toBe(false);
      expect(await store.revokeFamily('fam_9', 'logout', t0 + 9)).toBe(false);
      expect(await store.findFamily('fam_1')).toMatchObject({ revokedAt: t0 + 5, revokeReason: 'reuse_detected' });
    });

    it("revokes a user's or a client's live families and returns only those it revoked", async () => {
      const { store } = await setup();
      const add = (id: string, o: Parameters<typeof family>[0] = {}) => addFamily(store, family({ id, ...o }), token({ id: `rt_${id}`, familyId: id }));
      await store.insertClient(client({ id: 'mobile' }));
      await add('fam_a');
      await add('fam_b', { clientId: 'mobile' });
      await add('fam_done');
      await store.revokeFamily('fam_done', 'logout', t0);
      await add('fam_expired', { expiresAt: t0 + 10 });
      await add('fam_bob', { userId: 'usr_2' });
      await add('fam_bob_mobile', { userId: 'usr_2', clientId: 'mobile' });

      expect((await store.revokeUserFamilies('usr_1', 'admin', t0 + 10)).sort()).toEqual(['fam_a', 'fam_b']);
      expect(await store.revokeUserFamilies('usr_1', 'admin', t0 + 11)).toEqual([]);
      expect(await store.disableClient('mobile', t0 + 12)).toEqual(['fam_bob_mobile']);
      expect(await store.findFamily('fam_bob_mobile')).toMatchObject({ revokedAt: t0 + 12, revokeReason: 'client_disabled' });
      expect(await store.findFamily('fam_done')).toMatchObject({ revokedAt: t0, revokeReason: 'logout' });
      expect(await store.findFamily('fam_expired')).toMatchObject({ revokedAt: null });
      expect(await store.findFamily('fam_bob')).toMatchObject({ revokedAt: null });
      expect(await store.findFamily('fam_b')).toMatchObject({ revokedAt: t0 + 10, revokeReason: 'admin' });
    });
  });

  describe('revocation feed', () => {
    /** Revokes `id` at `at` (a new family of usr_1 on web-app). */
    const revoked = async (store: Store, id: string, at: number, clientId = 'web-app') => {
      await addFamily(store, family({ id, clientId }), token({ id: `rt_${id}`, familyId: id }));
      await store.revokeFamily(id, 'logout', at);
    };

    it('lists revoked families and ended clients in feed order, from an instant, leaving out what the client entry covers', async () => {
      const { store } = await setup();
      for (const [id, at] of [
        ['fam_3', 300],
        ['fam_1', 100],
        ['fam_2b', 200],
        ['fam_2', 200],
      ] as const)
        await revoked(store, id, t0 + at);
      await store.insertClient(client({ id: 'gone' }));
      await addFamily(store, family({ id: 'fam_of_gone', clientId: 'gone' }), token({ id: 'rt_gone', familyId: 'fam_of_gone' }));
      expect(await store.deleteClient('gone', t0 + 200)).toEqual(['fam_of_gone']);
      await addFamily(store, family({ id: 'fam_live' }), token({ id: 'rt_live', familyId: 'fam_live' }));

      expect(await store.listRevocations({ after: null, from: 0, limit: 10 })).toEqual([
        { kind: 'family', sid: 'fam_1', revokedAt: t0 + 100 },
        { kind: 'family', sid: 'fam_2', revokedAt: t0 + 200 },
        { kind: 'family', sid: 'fam_2b', revokedAt: t0 + 200 },
        { kind: 'client', clientId: 'gone', revokedAt: t0 + 200 },
        { kind: 'family', sid: 'fam_3', revokedAt: t0 + 300 },
      ]);
      const ids = async (q: Partial<Parameters<Store['listRevocations']>[0]>) =>
        (await store.listRevocations({ after: null, from: 0, limit: 10, ...q })).map((r) => positionOf(r).id);
      expect(await ids({ from: t0 + 200 })).toEqual(['fam_2', 'fam_2b', 'gone', 'fam_3']);
      expect(await ids({ after: { at: t0 + 200, kind: 'family', id: 'fam_2' } })).toEqual(['fam_2b', 'gone', 'fam_3']);
      expect(await ids({ after: { at: t0 + 200, kind: 'family', id: 'fam_2b' } })).toEqual(['gone', 'fam_3']);
      expect(await ids({ after: { at: t0 + 200, kind: 'client', id: 'gone' } })).toEqual(['fam_3']);
      expect(await ids({ upTo: { at: t0 + 200, kind: 'family', id: 'fam_2' } })).toEqual(['fam_1', 'fam_2']);
      expect(await ids({ from: t0 + 150, upTo: { at: t0 + 200, kind: 'client', id: 'gone' } })).toEqual(['fam_2', 'fam_2b', 'gone']);
      expect(await ids({ limit: 2 })).toEqual(['fam_1', 'fam_2']);
    });

    it('pages through a burst of revocations at one instant, each entry exactly once', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      for (let n = 0; n < 25; n++) await login(store, `fam_${String(n).padStart(2, '0')}`, t0);
      await store.insertClient(client({ id: 'svc' }));
      await store.revokeUserFamilies('usr_1', 'admin', t0 + 1);
      await store.disableClient('svc', t0 + 1);
      const seen: string[] = [];
      let after = null;
      for (;;) {
        const page = await store.listRevocations({ after, from: 0, limit: 7 });
        seen.push(...page.map((r) => positionOf(r).id));
        if (page.length < 7) break;
        after = positionOf(page.at(-1)!);
      }
      expect(seen).toHaveLength(26);
      expect(new Set(seen).size).toBe(26);
      expect(seen.at(-1)).toBe('svc');
    });

    it('lists revoked access tokens by jti after families and clients of the same instant, while their token lives', async () => {
      const { store } = await setup();
      await revoked(store, 'fam_1', t0 + 200);
      await store.insertClient(client({ id: 'svc' }));
      await store.disableClient('svc', t0 + 200);
      const tokenAt = (jti: string, revokedAt: number, expiresAt: number) => ({ jti, clientId: 'svc', revokedAt, expiresAt });
      expect(await store.revokeAccessToken(tokenAt('jti_b', t0 + 200, t0 + 900))).toBe(true);
      expect(await store.revokeAccessToken(tokenAt('jti_a', t0 + 200, t0 + 500))).toBe(true);
      expect(await store.revokeAccessToken(tokenAt('jti_0', t0 + 100, t0 + 700))).toBe(true);
      // Revoked again: nothing changes, the first record stays.
      expect(await store.revokeAccessToken(tokenAt('jti_a', t0 + 300, t0 + 500))).toBe(false);
      expect(await store.isAccessTokenRevoked('jti_a')).toBe(true);
      expect(await store.isAccessTokenRevoked('jti_other')).toBe(false);
      expect(await store.isAccessTokenRevoked('jti\0')).toBe(false);

      expect(await store.listRevocations({ after: null, from: 0, limit: 10 })).toEqual([
        { kind: 'token', jti: 'jti_0', revokedAt: t0 + 100, expiresAt: t0 + 700 },
        { kind: 'family', sid: 'fam_1', revokedAt: t0 + 200 },
        { kind: 'client', clientId: 'svc', revokedAt: t0 + 200 },
        { kind: 'token', jti: 'jti_a', revokedAt: t0 + 200, expiresAt: t0 + 500 },
        { kind: 'token', jti: 'jti_b', revokedAt: t0 + 200, expiresAt: t0 + 900 },
      ]);
      const ids = async (q: Partial<Parameters<Store['listRevocations']>[0]>) =>
        (await store.listRevocations({ after: null, from: 0, limit: 10, ...q })).map((r) => positionOf(r).id);
      expect(await ids({ after: { at: t0 + 200, kind: 'client', id: 'svc' } })).toEqual(['jti_a', 'jti_b']);
      expect(await ids({ after: { at: t0 + 200, kind: 'token', id: 'jti_a' } })).toEqual(['jti_b']);
      expect(await ids({ upTo: { at: t0 + 200, kind: 'token', id: 'jti_a' }, from: t0 + 150 })).toEqual(['fam_1', 'svc', 'jti_a']);
      // Once a token has expired its entry is of no use to anyone: it is left out, and the cleanup removes it.
      expect(await ids({ aliveAt: t0 + 500 })).toEqual(['jti_0', 'fam_1', 'svc', 'jti_b']);
      expect(await store.deleteExpired(t0 + 701, 0, 0)).toBe(2);
      expect(await ids({})).toEqual(['fam_1', 'svc', 'jti_b']);
      expect(await store.isAccessTokenRevoked('jti_a')).toBe(false);
    });
  });
}
