import { describe, expect, it } from 'vitest';
import type { RegistrationToken } from '../../../src/domain/types.js';
import { Conflict } from '../../../src/errors/domain.js';
import type { StoreSetup } from '../contract.js';
import { client, t0 } from '../fixtures.js';

// Initial access tokens for dynamic client registration: kept by hash, their uses counted atomically.
const token = (o: Partial<RegistrationToken> = {}): RegistrationToken => ({
  id: 'rgt_1',
  hash: 'hash-1',
  createdAt: t0,
  expiresAt: null,
  maxUses: null,
  uses: 0,
  revokedAt: null,
  ...o,
});

export function registrationTokenSuite(setup: () => Promise<StoreSetup>, { overlapping }: { overlapping: boolean }) {
  describe('registration tokens', () => {
    it('keeps a token by id and hash, lists them oldest first, and refuses a taken id or hash', async () => {
      const { store } = await setup();
      await store.insertRegistrationToken(token({ id: 'rgt_2', hash: 'hash-2', createdAt: t0 + 5 }));
      await store.insertRegistrationToken(token({ expiresAt: t0 + 1000, maxUses: 3 }));
      expect(await store.listRegistrationTokens()).toEqual([
        token({ expiresAt: t0 + 1000, maxUses: 3 }),
        token({ id: 'rgt_2', hash: 'hash-2', createdAt: t0 + 5 }),
      ]);
      await expect(store.insertRegistrationToken(token({ hash: 'other' }))).rejects.toBeInstanceOf(Conflict);
      await expect(store.insertRegistrationToken(token({ id: 'rgt_3' }))).rejects.toBeInstanceOf(Conflict);
    });

    it('counts a use only while the token is live: not after its expiry, its last use, or its revocation', async () => {
      const { store } = await setup();
      await store.insertRegistrationToken(token({ expiresAt: t0 + 1000, maxUses: 2 }));
      expect(await store.useRegistrationToken('hash-1', t0 + 1)).toEqual(token({ expiresAt: t0 + 1000, maxUses: 2, uses: 1 }));
      expect(await store.useRegistrationToken('hash-1', t0 + 1000)).toBeNull();
      expect((await store.useRegistrationToken('hash-1', t0 + 999))?.uses).toBe(2);
      expect(await store.useRegistrationToken('hash-1', t0 + 2)).toBeNull();
      expect(await store.useRegistrationToken('no-such-hash', t0)).toBeNull();
      expect(await store.useRegistrationToken('nul\u0000hash', t0)).toBeNull();

      await store.insertRegistrationToken(token({ id: 'rgt_2', hash: 'hash-2' }));
      expect(await store.revokeRegistrationToken('rgt_2', t0 + 3)).toBe(true);
      expect(await store.revokeRegistrationToken('rgt_2', t0 + 4)).toBe(false);
      expect(await store.revokeRegistrationToken('rgt_9', t0 + 4)).toBe(false);
      expect(await store.useRegistrationToken('hash-2', t0 + 5)).toBeNull();
      expect((await store.listRegistrationTokens()).map((t) => [t.id, t.uses, t.revokedAt])).toEqual([
        ['rgt_1', 2, null],
        ['rgt_2', 0, t0 + 3],
      ]);
    });

    it('lets concurrent registrations use a token no more often than its uses allow', async () => {
      const { store, open } = await setup();
      await store.insertRegistrationToken(token({ maxUses: 3 }));
      const other = overlapping ? await open() : store;
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).useRegistrationToken('hash-1', t0 + 1)));
      expect(results.filter((r) => r !== null)).toHaveLength(3);
      expect((await store.listRegistrationTokens())[0]!.uses).toBe(3);
    });

    it('keeps whether a client was registered by an operator or by itself', async () => {
      const { store } = await setup();
      await store.insertClient(client({ id: 'dyn_1', registeredBy: 'dynamic' }));
      await store.insertClient(client());
      expect((await store.listClients()).map((c) => [c.id, c.registeredBy])).toEqual([
        ['dyn_1', 'dynamic'],
        ['web-app', 'operator'],
      ]);
    });
  });
}
