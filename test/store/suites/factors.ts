import { describe, expect, it } from 'vitest';
import type { Factor, Passkey } from '../../../src/domain/factors.js';
import { Conflict } from '../../../src/errors/domain.js';
import type { StoreSetup } from '../contract.js';
import { t0, user } from '../fixtures.js';

// Second factors, passkeys and WebAuthn challenges: every single use is one conditional write.
const ms = t0 + 123;

const totp = (o: Partial<Factor> = {}): Factor => ({
  id: 'fac_1',
  userId: 'usr_1',
  kind: 'totp',
  secret: 'v1.sealed.secret.tag',
  hash: null,
  createdAt: ms,
  confirmedAt: null,
  lastUsedStep: null,
  usedAt: null,
  ...o,
});

const code = (id: string, hash: string): Factor => ({ ...totp(), id, kind: 'recovery', secret: null, hash, confirmedAt: ms });

const passkey = (o: Partial<Passkey> = {}): Passkey => ({
  credentialId: 'cred-1',
  userId: 'usr_1',
  publicKey: 'pQECAyYgASFYIA',
  counter: 0,
  transports: ['internal'],
  deviceType: 'singleDevice',
  backedUp: false,
  name: 'Laptop',
  createdAt: ms,
  lastUsedAt: null,
  ...o,
});

export function factorSuite(setup: () => Promise<StoreSetup>) {
  describe('second factors and passkeys', () => {
    it('confirms a TOTP secret once, then accepts each time step once and never an earlier one', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.startTotp(totp());
      expect(await store.useTotpStep('fac_1', 10)).toBe(false); // not confirmed yet
      expect(await store.confirmTotp('usr_1', 'fac_1', 10, ms + 1, [{ type: 'factor.enrolled', data: { userId: 'usr_1', kind: 'totp' } }])).toBe(true);
      expect(await store.confirmTotp('usr_1', 'fac_1', 11, ms + 2)).toBe(false);
      expect(await store.useTotpStep('fac_1', 10)).toBe(false);
      expect(await store.useTotpStep('fac_1', 11)).toBe(true);
      expect(await store.useTotpStep('fac_1', 11)).toBe(false);
      expect(await store.useTotpStep('fac_1', 9)).toBe(false);
      const [event] = await store.listEvents({ after: 0, limit: 10, types: ['factor.enrolled'] });
      expect(event?.event).toEqual({ type: 'factor.enrolled', data: { userId: 'usr_1', kind: 'totp' } });
      // A new secret confirmed replaces the old one.
      await store.startTotp(totp({ id: 'fac_2' }));
      expect(await store.confirmTotp('usr_1', 'fac_2', 20, ms + 3)).toBe(true);
      expect((await store.listFactors('usr_1')).map((f) => f.id)).toEqual(['fac_2']);
    });

    it('spends a recovery code once, replaces the set, and of two racing uses lets one win', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.replaceRecoveryCodes('usr_1', [code('r1', 'h1'), code('r2', 'h2')]);
      const [a, b] = await Promise.all([store.useRecoveryCode('usr_1', 'h1', ms), store.useRecoveryCode('usr_1', 'h1', ms)]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await store.useRecoveryCode('usr_2', 'h2', ms)).toBe(false);
      await store.replaceRecoveryCodes('usr_1', [code('r3', 'h3')]);
      expect(await store.useRecoveryCode('usr_1', 'h2', ms)).toBe(false);
      expect((await store.listFactors('usr_1')).map((f) => f.id)).toEqual(['r3']);
    });

    it('keeps passkeys with their counter and backup state, refuses a credential twice, and removes only the owner’s', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.insertPasskey(passkey());
      await expect(store.insertPasskey(passkey({ userId: 'usr_2' }))).rejects.toBeInstanceOf(Conflict);
      await store.recordPasskeyUse('cred-1', 7, true, ms + 5);
      expect(await store.findPasskey('cred-1')).toEqual(passkey({ counter: 7, backedUp: true, lastUsedAt: ms + 5 }));
      expect(await store.deletePasskey('usr_2', 'cred-1', ms)).toBe(false);
      expect(await store.findPasskey('nope\0')).toBeNull();
      await store.replaceRecoveryCodes('usr_1', [code('r1', 'h1')]);
      expect(await store.deleteAllFactors('usr_1', ms)).toBe(2);
      expect(await store.listPasskeys('usr_1')).toEqual([]);
    });

    it('hands a challenge out once, for its purpose, until it expires', async () => {
      const { store } = await setup();
      const challenge = { id: 'ch-1', purpose: 'authenticate' as const, userId: null, createdAt: ms, expiresAt: ms + 300_000, usedAt: null };
      await store.insertChallenge(challenge);
      await store.insertChallenge({ ...challenge, id: 'ch-2' });
      expect(await store.consumeChallenge('ch-1', 'register', ms)).toBeNull();
      const [a, b] = await Promise.all([store.consumeChallenge('ch-1', 'authenticate', ms), store.consumeChallenge('ch-1', 'authenticate', ms)]);
      expect([a, b].filter(Boolean)).toEqual([{ ...challenge, usedAt: ms }]);
      expect(await store.consumeChallenge('ch-2', 'authenticate', ms + 300_000)).toBeNull();
    });
  });
}
