import { describe, expect, it } from 'vitest';
import { Conflict } from '../../../src/errors/store.js';
import type { StoreSetup } from '../contract.js';
import { client, t0, user } from '../fixtures.js';

export function recordSuite(setup: () => Promise<StoreSetup>): void {
  describe('users', () => {
    it('finds a user by id and by username, with scopes and timestamps intact', async () => {
      const { store } = await setup();
      const bob = user({ id: 'usr_2', username: 'bob', scopes: ['read', 'admin'], createdAt: 4_102_444_800, disabledAt: null });
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

    it('updates a password and says whether the user existed', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      expect(await store.updateUserPassword('usr_1', 'new-hash')).toBe(true);
      expect(await store.updateUserPassword('usr_9', 'new-hash')).toBe(false);
      expect((await store.findUserById('usr_1'))!.passwordHash).toBe('new-hash');
    });

    it('disables a user once', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      expect(await store.disableUser('usr_1', t0 + 5)).toBe(true);
      expect(await store.disableUser('usr_1', t0 + 9)).toBe(false);
      expect(await store.disableUser('usr_9', t0)).toBe(false);
      expect((await store.findUserById('usr_1'))!.disabledAt).toBe(t0 + 5);
    });
  });

  describe('clients', () => {
    it('stores a client with its grants, scopes and flags, and lists clients by id', async () => {
      const { store } = await setup();
      const service = client({ id: 'billing', secretHash: 'abc', grants: ['client_credentials'], scopes: [], audience: 'https://api', maxSessions: 1, refreshCookie: true });
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

    it('deletes a client once', async () => {
      const { store } = await setup();
      await store.insertClient(client());
      expect(await store.deleteClient('web-app')).toBe(true);
      expect(await store.deleteClient('web-app')).toBe(false);
      expect(await store.findClient('web-app')).toBeNull();
    });
  });
}
