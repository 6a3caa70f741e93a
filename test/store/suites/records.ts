import { describe, expect, it } from 'vitest';
import { Conflict } from '../../../src/errors/domain.js';
import type { StoreSetup } from '../contract.js';
import { addFamily, client, family, t0, token, user } from '../fixtures.js';

export function recordSuite(setup: () => Promise<StoreSetup>): void {
  describe('users', () => {
    it('finds a user by id and by username, with scopes and timestamps intact', async () => {
      const { store } = await setup();
      const bob = user({ id: 'usr_2', username: 'bob', scopes: ['read', 'admin'], createdAt: 4_102_444_800_000, disabledAt: null });
      await store.insertUser(user());
      await store.insertUser(bob);
      expect(await store.findUserById('usr_2')).toEqual(bob);
      expect(await store.findUserByUsername('alice')).toEqual(user());
      expect(await store.findUserById('usr_9')).toBeNull();
      expect(await store.findUserByUsername('carol')).toBeNull();
    });

    it('refuses a taken username with Conflict and keeps the first user', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await expect(store.insertUser(user({ id: 'usr_2', passwordHash: 'other' }))).rejects.toMatchObject({ code: Conflict.code });
      expect(await store.findUserByUsername('alice')).toEqual(user());
      expect(await store.findUserById('usr_2')).toBeNull();
    });

    it('changes a password, stamping when sessions became invalid, and says whether the user existed', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      expect(await store.changePassword('usr_1', 'new-hash', t0 + 5)).toEqual([]);
      expect(await store.changePassword('usr_9', 'new-hash', t0 + 5)).toBeNull();
      expect(await store.findUserById('usr_1')).toMatchObject({ passwordHash: 'new-hash', sessionsValidAfter: t0 + 5 });
    });

    it('disables a user once', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      expect(await store.disableUser('usr_1', t0 + 5)).toEqual([]);
      expect(await store.disableUser('usr_1', t0 + 9)).toBeNull();
      expect(await store.disableUser('usr_9', t0)).toBeNull();
      expect(await store.findUserById('usr_1')).toMatchObject({ disabledAt: t0 + 5, sessionsValidAfter: t0 + 5 });
    });

    it('enables a disabled user once, keeping the sessions it ended ended', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      expect(await store.enableUser('usr_1')).toBe(false);
      await store.disableUser('usr_1', t0 + 5);
      expect(await store.enableUser('usr_1')).toBe(true);
      expect(await store.enableUser('usr_1')).toBe(false);
      expect(await store.enableUser('usr_9')).toBe(false);
      expect(await store.findUserById('usr_1')).toEqual(user({ disabledAt: null, sessionsValidAfter: t0 + 5 }));
    });

    it('deletes a user once, revoking its live families so the feed publishes them, and frees the username', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await addFamily(store, family({ id: 'fam_live', userId: 'usr_1' }), token({ id: 'rt_1', familyId: 'fam_live' }));
      await addFamily(store, family({ id: 'fam_other', userId: 'usr_2' }), token({ id: 'rt_2', familyId: 'fam_other' }));
      expect(await store.deleteUser('usr_1', t0 + 5)).toEqual(['fam_live']);
      expect(await store.deleteUser('usr_1', t0 + 6)).toBeNull();
      expect(await store.findUserById('usr_1')).toBeNull();
      expect(await store.findFamily('fam_live')).toMatchObject({ revokedAt: t0 + 5, revokeReason: 'user_deleted' });
      expect(await store.findFamily('fam_other')).toMatchObject({ revokedAt: null });
      expect((await store.listRevocations({ after: null, from: t0, limit: 10 })).map((r) => r.kind === 'family' && r.sid)).toEqual(['fam_live']);
      await store.insertUser(user({ id: 'usr_3' }));
      expect(await store.findUserByUsername('alice')).toMatchObject({ id: 'usr_3' });
    });

    it('lists users newest first, a page at a time', async () => {
      const { store } = await setup();
      for (const [id, at] of [
        ['usr_a', t0],
        ['usr_b', t0 + 5],
        ['usr_c', t0 + 5],
        ['usr_d', t0 + 9],
      ] as const) {
        await store.insertUser(user({ id, username: id, createdAt: at }));
      }
      const first = await store.listUsers({ limit: 3 });
      expect(first.items.map((u) => u.id)).toEqual(['usr_d', 'usr_c', 'usr_b']);
      const second = await store.listUsers({ limit: 3, cursor: first.nextCursor! });
      expect(second).toEqual({ items: [user({ id: 'usr_a', username: 'usr_a' })], nextCursor: null });
    });
  });

  describe('clients', () => {
    it('stores a client with its grants, scopes and flags, and lists clients by id', async () => {
      const { store } = await setup();
      const service = client({
        id: 'billing',
        secretHash: 'abc',
        grants: ['client_credentials'],
        scopes: [],
        audience: 'https://api',
        maxSessions: 1,
        refreshCookie: true,
        disabledAt: t0,
        tokensRevokedAt: t0,
      });
      await store.insertClient(client());
      await store.insertClient(service);
      expect(await store.findClient('billing')).toEqual(service);
      expect(await store.findClient('nobody')).toBeNull();
      expect(await store.listClients()).toEqual([service, client()]);
    });

    it('refuses a taken client id with Conflict and keeps the first client', async () => {
      const { store } = await setup();
      await store.insertClient(client());
      await expect(store.insertClient(client({ scopes: ['admin'] }))).rejects.toMatchObject({ code: Conflict.code });
      expect(await store.listClients()).toEqual([client()]);
    });

    it('updates the settings and secrets given, leaves the rest, and returns the client as it is now', async () => {
      const { store } = await setup();
      await store.insertClient(client({ secretHash: 'old-hash' }));
      const changed = {
        grants: ['authorization_code' as const, 'refresh_token' as const],
        scopes: ['read'],
        audience: 'https://api',
        maxSessions: 3,
        redirectUris: ['https://app.example/cb', 'http://127.0.0.1/cb'],
        postLogoutRedirectUris: ['https://app.example/bye'],
        thirdParty: true,
        secretHash: 'new-hash',
        previousSecretHash: 'old-hash',
        previousSecretExpiresAt: t0 + 60_000,
      };
      const expected = client({ ...changed });
      expect(await store.updateClient('web-app', changed)).toEqual(expected);
      expect(await store.findClient('web-app')).toEqual(expected);
      expect(await store.updateClient('web-app', { previousSecretHash: null, previousSecretExpiresAt: null })).toEqual(
        client({ ...changed, previousSecretHash: null, previousSecretExpiresAt: null }),
      );
      expect(await store.updateClient('web-app', {})).toEqual(client({ ...changed, previousSecretHash: null, previousSecretExpiresAt: null }));
      expect(await store.updateClient('nobody', { scopes: [] })).toBeNull();
      expect(await store.updateClient('nobody', {})).toBeNull();
    });

    it('deletes a client once', async () => {
      const { store } = await setup();
      await store.insertClient(client());
      expect(await store.deleteClient('web-app', t0)).toEqual([]);
      expect(await store.deleteClient('web-app', t0 + 1)).toBeNull();
      expect(await store.findClient('web-app')).toBeNull();
    });

    it('disables and enables a client, each once', async () => {
      const { store } = await setup();
      await store.insertClient(client());
      expect(await store.disableClient('web-app', t0 + 5)).toEqual([]);
      expect(await store.disableClient('web-app', t0 + 6)).toBeNull();
      expect(await store.findClient('web-app')).toEqual(client({ disabledAt: t0 + 5, tokensRevokedAt: t0 + 5 }));
      expect(await store.enableClient('web-app')).toBe(true);
      expect(await store.enableClient('web-app')).toBe(false);
      expect(await store.disableClient('nobody', t0)).toBeNull();
      expect(await store.enableClient('nobody')).toBe(false);
      expect(await store.findClient('web-app')).toEqual(client({ tokensRevokedAt: t0 + 5 }));
    });
  });
}
