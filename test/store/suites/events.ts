import { describe, expect, it } from 'vitest';
import type { Audited } from '../../../src/domain/audit.js';
import type { DomainEvent } from '../../../src/domain/events.js';
import { Conflict } from '../../../src/errors/domain.js';
import type { StoreSetup } from '../contract.js';
import { addFamily, event, family, t0, token, user } from '../fixtures.js';

const created = (userId: string): DomainEvent => ({ type: 'user.created', data: { userId, username: userId } });

export function eventSuite(setup: () => Promise<StoreSetup>, { overlapping }: { overlapping: boolean }): void {
  describe('outbox', () => {
    it('keeps the events of a change that is made, in commit order, and none of a change that is refused', async () => {
      const { store, open } = await setup();
      expect(await store.lastEventSeq()).toBe(0);
      await store.insertUser(user({ id: 'usr_1', username: 'alice' }), [created('usr_1')]);
      await expect(store.insertUser(user({ id: 'usr_2', username: 'alice' }), [created('usr_2')])).rejects.toThrow(Conflict);
      await store.insertUser(user({ id: 'usr_3', username: 'bob', createdAt: t0 + 5 }), [created('usr_3')]);
      expect(await store.updateUser('usr_gone', { updatedAt: t0 + 6 }, [{ type: 'user.updated', data: { userId: 'usr_gone', fields: [] } }])).toBeNull();
      const other = await open();
      expect(await other.listEvents({ after: 0, limit: 10 })).toEqual([
        { seq: 1, at: t0, event: created('usr_1') },
        { seq: 2, at: t0 + 5, event: created('usr_3') },
      ]);
      expect(await other.listEvents({ after: 1, limit: 10, types: ['user.deleted'] })).toEqual([]);
      expect(await other.lastEventSeq()).toBe(2);
    });

    it('adds a session.revoked event for every family a change ends, with the reason; an operator text is the note', async () => {
      const { store } = await setup();
      for (const f of [family({ id: 'fam_1' }), family({ id: 'fam_2', clientId: 'cli' }), family({ id: 'fam_3', userId: 'usr_2' })])
        await addFamily(store, f, token({ id: `rt_${f.id}`, hash: `hash_${f.id}`, familyId: f.id }));
      const after = await store.lastEventSeq();
      expect(await store.revokeFamily('fam_3', 'lost phone', t0 + 1)).toBe(true);
      expect(await store.revokeFamily('fam_3', 'lost phone', t0 + 2, [created('never')])).toBe(false);
      const changed: DomainEvent = { type: 'user.password_changed', data: { userId: 'usr_1' } };
      expect(await store.changePassword('usr_1', 'hash', t0 + 3, [changed])).toEqual(expect.arrayContaining(['fam_1', 'fam_2']));
      const events = await store.listEvents({ after, limit: 10 });
      expect(events.map((e) => e.seq)).toEqual([after + 1, after + 2, after + 3, after + 4]);
      const revoked = (sessionId: string, clientId: string): DomainEvent => ({
        type: 'session.revoked',
        data: { sessionId, userId: 'usr_1', clientId, reason: 'password_changed' },
      });
      expect(events.map((e) => e.event)).toEqual([
        { type: 'session.revoked', data: { sessionId: 'fam_3', userId: 'usr_2', clientId: 'web-app', reason: 'operator', note: 'lost phone' } },
        changed,
        // The families of one change come in the order the database ended them.
        ...(events[2]!.event.type === 'session.revoked' && events[2]!.event.data.sessionId === 'fam_1'
          ? [revoked('fam_1', 'web-app'), revoked('fam_2', 'cli')]
          : [revoked('fam_2', 'cli'), revoked('fam_1', 'web-app')]),
      ]);
    });

    it('never numbers an event below one already given, even after retention removed every old event', async () => {
      const { store } = await setup();
      await store.insertUser(user({ id: 'usr_1', username: 'alice' }), [created('usr_1')]);
      await store.insertUser(user({ id: 'usr_2', username: 'bob' }), [created('usr_2')]);
      await store.deleteExpired(t0 + 10_000, t0 + 10_000, 0);
      await store.insertUser(user({ id: 'usr_3', username: 'carol', createdAt: t0 + 20_000 }), [created('usr_3')]);
      expect((await store.listEvents({ after: 0, limit: 10 })).map((e) => e.seq)).toEqual([2, 3]);
    });

    it.runIf(overlapping)('numbers events of concurrent changes without gaps or repeats', async () => {
      const { store } = await setup();
      await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.insertUser(user({ id: `usr_${i}`, username: `u${i}` }), [created(`usr_${i}`), created(`usr_${i}`)])),
      );
      const events = await store.listEvents({ after: 0, limit: 100 });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      // Both events of one change are next to each other: nothing else committed between them.
      for (let i = 0; i < 24; i += 2) expect(events[i]!.event).toEqual(events[i + 1]!.event);
    });
  });

  describe('audit records with the change', () => {
    const actor = { name: 'admin:ops', ip: '10.0.0.7', userAgent: 'curl', requestId: 'req-1' };
    const ids =
      (...list: string[]) =>
      () =>
        list.shift() ?? 'evt_spare';
    const audited = (newId: () => string, o: Partial<Audited> = {}): Audited => ({
      actor,
      newId,
      entries: [{ type: 'user.password_changed', userId: 'usr_1', ended: 'count' }],
      ...o,
    });
    const changed: DomainEvent = { type: 'user.password_changed', data: { userId: 'usr_1' } };

    it('commits a change, its events and its audit records together, or none of them when one write fails', async () => {
      const { store, open } = await setup();
      await addFamily(store, family({ id: 'fam_1' }), token({ id: 'rt_1', hash: 'hash_1' }));
      await store.insertAuditEvent(event({ id: 'evt_taken', type: 'key.encrypted' }));
      const eventsBefore = await store.lastEventSeq();

      // The audit write is the one that fails (its id is taken), after the password and the session have changed.
      await expect(store.changePassword('usr_1', 'new hash', t0 + 1, [changed], audited(ids('evt_taken')))).rejects.toThrow();
      const other = await open();
      expect((await other.findUserById('usr_1'))?.passwordHash).toBe(user().passwordHash);
      expect((await other.findFamily('fam_1'))?.revokedAt).toBeNull();
      expect(await other.lastEventSeq()).toBe(eventsBefore);
      expect((await other.listAuditEvents({ limit: 10 })).items.map((e) => e.id)).toEqual(['evt_taken']);

      expect(await store.changePassword('usr_1', 'new hash', t0 + 1, [changed], audited(ids('evt_2')))).toEqual(['fam_1']);
      expect((await other.findUserById('usr_1'))?.passwordHash).toBe('new hash');
      expect((await other.listEvents({ after: eventsBefore, limit: 10 })).map((e) => e.event.type)).toEqual(['user.password_changed', 'session.revoked']);
      expect((await other.listAuditEvents({ type: 'user.password_changed', limit: 10 })).items).toEqual([
        {
          id: 'evt_2',
          at: t0 + 1,
          type: 'user.password_changed',
          actor: 'admin:ops',
          userId: 'usr_1',
          clientId: null,
          familyId: null,
          ip: '10.0.0.7',
          userAgent: 'curl',
          requestId: 'req-1',
          details: { revoked_families: 1 },
        },
      ]);
    });

    it("writes a family.revoked record for each session a change ends, from the change's session.revoked events", async () => {
      const { store } = await setup();
      await addFamily(store, family({ id: 'fam_1' }), token({ id: 'rt_1', hash: 'hash_1' }));
      await addFamily(store, family({ id: 'fam_2', createdAt: t0 + 1 }), token({ id: 'rt_2', hash: 'hash_2', familyId: 'fam_2' }));
      const login = { type: 'login.succeeded' as const, userId: 'usr_1', clientId: 'web-app', familyId: 'fam_3' };
      const started = await store.startFamily(
        {
          family: family({ id: 'fam_3', createdAt: t0 + 2 }),
          firstToken: token({ id: 'rt_3', hash: 'hash_3', familyId: 'fam_3' }),
          authTime: t0 + 2,
          maxSessions: 1,
        },
        [],
        audited(ids('evt_1', 'evt_2', 'evt_3'), { entries: [login], eachEnded: true }),
      );
      expect(started?.evicted).toEqual(['fam_1', 'fam_2']);
      const records = (await store.listAuditEvents({ limit: 10 })).items.map((e) => [e.id, e.type, e.familyId, e.details]);
      expect(records).toEqual([
        ['evt_3', 'login.succeeded', 'fam_3', {}],
        ['evt_2', 'family.revoked', expect.any(String), { reason: 'max_sessions' }],
        ['evt_1', 'family.revoked', expect.any(String), { reason: 'max_sessions' }],
      ]);
      expect(
        records
          .slice(1)
          .map((r) => r[2])
          .sort(),
      ).toEqual(['fam_1', 'fam_2']);

      // A revocation that found the session ended already writes no family.revoked record, and the change's own record still.
      const reuse = { type: 'refresh.reuse_detected' as const, familyId: 'fam_1' };
      expect(await store.revokeFamily('fam_1', 'reuse_detected', t0 + 3, [], audited(ids('evt_4', 'evt_5'), { entries: [reuse], eachEnded: true }))).toBe(
        false,
      );
      expect((await store.listAuditEvents({ since: t0 + 3, limit: 10 })).items.map((e) => [e.id, e.type])).toEqual([['evt_4', 'refresh.reuse_detected']]);
    });
  });

  describe('webhooks', () => {
    const endpoint = { id: 'wh_1', url: 'http://127.0.0.1:9/hook', events: ['user.created' as const], secret: 'clear.s', createdAt: t0, nextAttemptAt: t0 };

    it('starts an endpoint after the last committed event, lists it and deletes it with its log', async () => {
      const { store } = await setup();
      await store.insertUser(user(), [created('usr_1')]);
      const added = await store.insertWebhook(endpoint);
      expect(added).toEqual({ ...endpoint, position: 1, failures: 0, failingSince: null, disabledAt: null });
      await expect(store.insertWebhook(endpoint)).rejects.toThrow(Conflict);
      expect(await store.findWebhook('wh_1')).toEqual(added);
      expect(await store.listWebhooks({ limit: 10 })).toEqual({ items: [added], nextCursor: null });
      const delivery = {
        id: 'dlv_1',
        webhookId: 'wh_1',
        messageId: 'msg_1',
        type: 'user.created',
        attempt: 1,
        at: t0,
        status: 500,
        ok: false,
        error: 'HTTP 500',
      };
      await store.recordDelivery(delivery);
      expect(await store.listDeliveries({ webhookId: 'wh_1', limit: 10 })).toEqual({ items: [delivery], nextCursor: null });
      expect(await store.deleteWebhook('wh_1')).toBe(true);
      expect(await store.deleteWebhook('wh_1')).toBe(false);
      expect(await store.listDeliveries({ webhookId: 'wh_1', limit: 10 })).toEqual({ items: [], nextCursor: null });
    });

    it('claims an endpoint only while an event lies past its position, so an idle one is left alone', async () => {
      const { store } = await setup();
      await store.insertUser(user(), [created('usr_1')]);
      await store.insertWebhook(endpoint);
      expect(await store.claimWebhook('a', t0, 60_000)).toBeNull();
      await store.insertUser(user({ id: 'usr_2', username: 'bob' }), [created('usr_2')]);
      expect(await store.claimWebhook('a', t0, 60_000)).toMatchObject({ id: 'wh_1', position: 1 });
      expect(await store.finishAttempt('wh_1', 'a', { position: 2 })).toBe(true);
      expect(await store.claimWebhook('a', t0, 60_000)).toBeNull();
    });

    it('leases a due endpoint to one instance at a time until it finishes its attempt or the lease runs out', async () => {
      const { store, open } = await setup();
      const other = await open();
      await store.insertWebhook(endpoint);
      await store.insertUser(user(), [created('usr_1')]);
      const claims = await Promise.all([store.claimWebhook('a', t0, 60_000), other.claimWebhook('b', t0, 60_000)]);
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
      const winner = claims[0] ? 'a' : 'b';
      const loser = winner === 'a' ? 'b' : 'a';
      expect(await store.claimWebhook(loser, t0 + 59_999, 60_000)).toBeNull();
      expect(await store.finishAttempt('wh_1', loser, { position: 5 })).toBe(false);
      expect(await store.finishAttempt('wh_1', winner, { failures: 1, failingSince: t0, nextAttemptAt: t0 + 5_000 })).toBe(true);
      expect(await store.claimWebhook(loser, t0 + 4_999, 60_000)).toBeNull();
      expect(await store.claimWebhook(loser, t0 + 5_000, 60_000)).toMatchObject({ id: 'wh_1', failures: 1, position: 0 });
      // The holder died: after its lease another instance takes over.
      expect(await store.claimWebhook(winner, t0 + 65_000, 60_000)).toMatchObject({ id: 'wh_1' });
      expect(await store.finishAttempt('wh_1', winner, { disabledAt: t0 + 65_000 })).toBe(true);
      expect(await store.claimWebhook(loser, t0 + 999_999, 60_000)).toBeNull();
    });
  });
}
