import { describe, expect, it } from 'vitest';
import type { Identity, Provider, UpstreamLogin } from '../../../src/domain/upstream.js';
import { Conflict } from '../../../src/errors/domain.js';
import type { StoreSetup } from '../contract.js';
import { family, t0, user } from '../fixtures.js';

// Upstream providers, the identities linked to users, and the one-use round trips to a provider.
const ms = t0 + 123;

const provider = (o: Partial<Provider> = {}): Provider => ({
  id: 'google',
  issuer: 'https://accounts.google.com',
  clientId: 'tessera-client',
  clientSecret: 'v1.sealed.secret.tag',
  name: 'Google',
  scope: 'openid email profile',
  signup: true,
  linkByEmail: false,
  allowTokenExchange: false,
  createdAt: ms,
  ...o,
});

const identity = (o: Partial<Identity> = {}): Identity => ({
  providerId: 'google',
  subject: 'sub-1',
  userId: 'usr_1',
  email: 'alice@example.com',
  emailVerified: false,
  linkedAt: ms,
  ...o,
});

const login = (o: Partial<UpstreamLogin> = {}): UpstreamLogin => ({
  id: 'state-hash-1',
  providerId: 'google',
  browser: 'browser-hash-1',
  nonce: 'nonce-1',
  codeVerifier: 'verifier-1',
  request: '{"clientId":"spa"}',
  createdAt: ms,
  expiresAt: ms + 600_000,
  usedAt: null,
  ...o,
});

export function upstreamSuite(setup: () => Promise<StoreSetup>): void {
  describe('upstream providers', () => {
    it('stores providers, lists them by id, refuses a taken id', async () => {
      const { store } = await setup();
      await store.insertProvider(provider({ id: 'kakao', name: 'Kakao', signup: false, linkByEmail: true }));
      await store.insertProvider(provider());
      await expect(store.insertProvider(provider())).rejects.toBeInstanceOf(Conflict);
      expect(await store.findProvider('google')).toEqual(provider());
      expect(await store.findProvider('nul\0')).toBeNull();
      expect((await store.listProviders()).map((p) => p.id)).toEqual(['google', 'kakao']);
    });

    it('removes a provider with its identities and its round trips in flight, and no other', async () => {
      const { store } = await setup();
      await store.insertProvider(provider());
      await store.insertProvider(provider({ id: 'kakao' }));
      await store.insertUser(user());
      await store.insertIdentity(identity());
      await store.insertIdentity(identity({ providerId: 'kakao' }));
      await store.insertUpstreamLogin(login());
      expect(await store.deleteProvider('google')).toBe(1);
      expect(await store.deleteProvider('google')).toBeNull();
      expect(await store.findIdentity('google', 'sub-1')).toBeNull();
      expect(await store.findUpstreamLogin('state-hash-1')).toBeNull();
      expect(await store.listIdentities('usr_1')).toEqual([identity({ providerId: 'kakao' })]);
    });
  });

  describe('identities', () => {
    it('links an identity to one user only, lists and unlinks it', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.insertIdentity(identity());
      await expect(store.insertIdentity(identity({ userId: 'usr_2' }))).rejects.toBeInstanceOf(Conflict);
      await store.insertIdentity(identity({ providerId: 'kakao', subject: 'sub-1', linkedAt: ms + 1 }));
      expect(await store.findIdentity('google', 'sub-1')).toEqual(identity());
      expect(await store.findIdentity('google', 'sub-2')).toBeNull();
      expect(await store.listIdentities('usr_1')).toEqual([identity(), identity({ providerId: 'kakao', linkedAt: ms + 1 })]);
      expect(await store.deleteIdentity('google', 'usr_2', ms)).toBe(false);
      expect(await store.deleteIdentity('google', 'usr_1', ms)).toBe(true);
      expect(await store.deleteIdentity('google', 'usr_1', ms)).toBe(false);
      expect(await store.listIdentities('usr_1')).toEqual([identity({ providerId: 'kakao', linkedAt: ms + 1 })]);
    });

    it('writes the events of an unlink in its transaction, and none when there was nothing to unlink', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.insertIdentity(identity());
      const after = await store.lastEventSeq();
      const unlinked = [{ type: 'identity.unlinked' as const, data: { userId: 'usr_1', providerId: 'google' } }];
      expect(await store.deleteIdentity('google', 'usr_1', ms, unlinked)).toBe(true);
      expect(await store.deleteIdentity('google', 'usr_1', ms, unlinked)).toBe(false);
      expect((await store.listEvents({ after, limit: 10 })).map((e) => e.event)).toEqual(unlinked);
    });

    it('keeps whether a user knows a password, which a password change sets', async () => {
      const { store } = await setup();
      await store.insertUser(user({ passwordSet: false }));
      expect((await store.findUserById('usr_1'))?.passwordSet).toBe(false);
      await store.changePassword('usr_1', 'new-hash', ms);
      expect((await store.findUserById('usr_1'))?.passwordSet).toBe(true);
    });

    it('creates a user with its identity in one transaction: a taken username or a linked identity creates neither', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await expect(store.insertUserWithIdentity(user({ id: 'usr_2' }), identity({ userId: 'usr_2', subject: 'sub-2' }))).rejects.toBeInstanceOf(Conflict);
      expect(await store.findIdentity('google', 'sub-2')).toBeNull();
      await store.insertIdentity(identity());
      await expect(store.insertUserWithIdentity(user({ id: 'usr_3', username: 'carol' }), identity({ userId: 'usr_3' }))).rejects.toBeInstanceOf(Conflict);
      expect(await store.findUserById('usr_3')).toBeNull();
      await store.insertUserWithIdentity(user({ id: 'usr_4', username: 'dave' }), identity({ userId: 'usr_4', subject: 'sub-4' }));
      expect(await store.listIdentities('usr_4')).toEqual([identity({ userId: 'usr_4', subject: 'sub-4' })]);
    });

    it('finds users by a verified e-mail address without regard to case, never by an unverified one', async () => {
      const { store } = await setup();
      await store.insertUser(user({ email: 'Alice@Example.com', emailVerified: true }));
      await store.insertUser(user({ id: 'usr_2', username: 'bob', email: 'bob@example.com', emailVerified: true }));
      await store.insertUser(user({ id: 'usr_3', username: 'mallory', email: 'alice@example.com', emailVerified: false }));
      expect((await store.findUsersByVerifiedEmail('alice@EXAMPLE.com')).map((u) => u.id)).toEqual(['usr_1']);
      expect(await store.findUsersByVerifiedEmail('nobody@example.com')).toEqual([]);
      expect(await store.findUsersByVerifiedEmail('nul\0')).toEqual([]);
    });

    it('goes with its user when the user is deleted', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.insertIdentity(identity());
      await store.deleteUser('usr_1', ms);
      expect(await store.findIdentity('google', 'sub-1')).toBeNull();
    });

    it('keeps the provider of a family', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      const f = family({ provider: 'google' });
      await store.startFamily({
        family: f,
        firstToken: { id: 'rt_1', familyId: f.id, hash: 'h', createdAt: t0, expiresAt: t0 + 1000, usedAt: null, successorId: null, successorSealed: null },
        authTime: t0,
        maxSessions: null,
      });
      expect((await store.findFamily('fam_1'))?.provider).toBe('google');
    });
  });

  describe('upstream round trips', () => {
    it('uses one up once, only from the browser that started it, at its provider and before it expires, even when two instances race', async () => {
      const { store, open } = await setup();
      const other = await open();
      await store.insertUpstreamLogin(login());
      await store.insertUpstreamLogin(login({ id: 'state-hash-2' }));
      expect(await store.consumeUpstreamLogin('state-hash-1', 'another-browser', 'google', ms + 1)).toBeNull();
      expect(await store.consumeUpstreamLogin('state-hash-1', 'browser-hash-1', 'github', ms + 1)).toBeNull();
      expect(await store.consumeUpstreamLogin('state-hash-2', 'browser-hash-1', 'google', ms + 600_000)).toBeNull();
      const results = await Promise.all([
        store.consumeUpstreamLogin('state-hash-1', 'browser-hash-1', 'google', ms + 1),
        other.consumeUpstreamLogin('state-hash-1', 'browser-hash-1', 'google', ms + 2),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const used = results.find((r) => r !== null)!;
      expect(used).toEqual(login({ usedAt: used.usedAt }));
      expect(await store.consumeUpstreamLogin('state-hash-1', 'browser-hash-1', 'google', ms + 3)).toBeNull();
      expect(await store.findUpstreamLogin('state-hash-1')).toEqual(used);
      expect(await store.consumeUpstreamLogin('nul\0', 'browser-hash-1', 'google', ms)).toBeNull();
    });

    it('are cleaned up once expired', async () => {
      const { store } = await setup();
      await store.insertUpstreamLogin(login());
      await store.insertUpstreamLogin(login({ id: 'later', expiresAt: ms + 900_000 }));
      await store.deleteExpired(ms + 600_001, 0, 0);
      expect(await store.findUpstreamLogin('state-hash-1')).toBeNull();
      expect(await store.findUpstreamLogin('later')).not.toBeNull();
    });
  });
}
