import { describe, expect, it } from 'vitest';
import { Conflict } from '../../../src/errors/domain.js';
import type { StoreSetup } from '../contract.js';
import { signingKey, t0 } from '../fixtures.js';

export function keySuite(setup: () => Promise<StoreSetup>): void {
  describe('signing keys', () => {
    it('lists keys in rotation order', async () => {
      const { store } = await setup();
      const keys = [
        signingKey({ seq: 2, activatesAt: t0 + 300 }),
        signingKey({ seq: 1 }),
        signingKey({ seq: 3, alg: 'RS256', activatesAt: 4_102_444_800_000 }),
      ];
      for (const key of keys) await store.insertSigningKey(key);
      expect(await store.listSigningKeys()).toEqual([keys[1], keys[0], keys[2]]);
    });

    it('refuses a taken seq with Conflict, so only one of two rotating instances wins', async () => {
      const { store, open } = await setup();
      const second = await open();
      const attempts = await Promise.allSettled([
        store.insertSigningKey(signingKey({ kid: 'from-a', seq: 1 })),
        second.insertSigningKey(signingKey({ kid: 'from-b', seq: 1 })),
        store.insertSigningKey(signingKey({ kid: 'from-a2', seq: 1 })),
      ]);
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const a of attempts) if (a.status === 'rejected') expect(a.reason).toMatchObject({ code: Conflict.code });
      expect(await second.listSigningKeys()).toHaveLength(1);
    });

    it('replaces a private key and deletes a key', async () => {
      const { store } = await setup();
      await store.insertSigningKey(signingKey({ seq: 1 }));
      await store.insertSigningKey(signingKey({ seq: 2 }));
      await store.updateSigningKeyPrivate('kid-1', 'sealed:abc');
      await store.deleteSigningKey('kid-2');
      await store.deleteSigningKey('kid-9');
      expect(await store.listSigningKeys()).toEqual([signingKey({ seq: 1, privateJwk: 'sealed:abc' })]);
    });
  });
}
