import { describe, expect, it } from 'vitest';
import type { FreshDatabase, StoreSetup } from '../contract.js';
import { user } from '../fixtures.js';

export function lifecycleSuite(setup: () => Promise<StoreSetup>, freshDatabase: FreshDatabase): void {
  describe('migrate, ping, close', () => {
    it('migrates idempotently, keeping the data', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      // Nothing left to apply: it says so, by naming none.
      expect(await store.migrate()).toEqual([]);
      expect(await store.findUserById('usr_1')).toEqual(user());
    });

    it('lets several stores migrate one empty database at once', async () => {
      const open = await freshDatabase();
      const stores = await Promise.all([open(), open(), open()]);
      await stores[0]!.insertUser(user());
      expect(await stores[2]!.findUserByUsername('alice')).toEqual(user());
    });

    it('answers ping while open, rejects it after close, and closes twice without error', async () => {
      const { store } = await setup();
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.ping()).rejects.toThrow();
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
}
