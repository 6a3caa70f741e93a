import { describe, expect, it } from 'vitest';
import type { AuthorizationCode, BrowserSession } from '../../../src/domain/types.js';
import type { StoreSetup } from '../contract.js';
import { client, user } from '../fixtures.js';

// Authorization codes, browser sessions and consents keep epoch milliseconds.
const ms = 1_700_000_000_123;

const code = (o: Partial<AuthorizationCode> = {}): AuthorizationCode => ({
  hash: 'code-hash-1',
  clientId: 'web-app',
  userId: 'usr_1',
  redirectUri: 'https://app.example/cb',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  scope: 'openid read',
  nonce: 'n-1',
  authTime: ms - 5000,
  createdAt: ms,
  expiresAt: ms + 60_000,
  usedAt: null,
  familyId: null,
  provider: null,
  dpopJkt: null,
  browserSessionId: null,
  grants: null,
  audience: null,
  amr: 'pwd',
  ...o,
});

const session = (o: Partial<BrowserSession> = {}): BrowserSession => ({
  id: 'session-hash-1',
  userId: 'usr_1',
  createdAt: ms,
  authTime: ms,
  expiresAt: ms + 43_200_000,
  endedAt: null,
  provider: null,
  ip: '127.0.0.1',
  userAgent: 'Chromium',
  amr: 'pwd otp mfa',
  ...o,
});

export function authorizationSuite(setup: () => Promise<StoreSetup>): void {
  describe('authorization codes', () => {
    it('stores a code by its hash, to the millisecond', async () => {
      const { store } = await setup();
      await store.insertAuthorizationCode(code());
      await store.insertAuthorizationCode(code({ hash: 'code-hash-2', nonce: null }));
      expect(await store.findAuthorizationCode('code-hash-1')).toEqual(code());
      expect(await store.findAuthorizationCode('code-hash-2')).toEqual(code({ hash: 'code-hash-2', nonce: null }));
      expect(await store.findAuthorizationCode('nope')).toBeNull();
      expect(await store.findAuthorizationCode('nul\0')).toBeNull();
    });

    it('uses a code up once, recording the family, even when two instances race', async () => {
      const { store, open } = await setup();
      const other = await open();
      await store.insertAuthorizationCode(code());
      const results = await Promise.all([
        store.consumeAuthorizationCode('code-hash-1', ms + 1, 'fam_a'),
        other.consumeAuthorizationCode('code-hash-1', ms + 2, 'fam_b'),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? { usedAt: ms + 1, familyId: 'fam_a' } : { usedAt: ms + 2, familyId: 'fam_b' };
      expect(await store.findAuthorizationCode('code-hash-1')).toEqual(code(winner));
      expect(await store.consumeAuthorizationCode('code-hash-1', ms + 3, 'fam_c')).toBe(false);
      expect(await store.consumeAuthorizationCode('unknown', ms, 'fam_d')).toBe(false);
    });
  });

  describe('browser sessions', () => {
    it('stores a session and ends it once', async () => {
      const { store } = await setup();
      await store.insertBrowserSession(session());
      expect(await store.findBrowserSession('session-hash-1')).toEqual(session());
      expect(await store.endBrowserSession('session-hash-1', ms + 10)).toBe(true);
      expect(await store.endBrowserSession('session-hash-1', ms + 20)).toBe(false);
      expect(await store.endBrowserSession('nope', ms)).toBe(false);
      expect(await store.findBrowserSession('session-hash-1')).toEqual(session({ endedAt: ms + 10 }));
      expect(await store.findBrowserSession('nul\0')).toBeNull();
    });

    it('renews the sign-in time of a live session only (re-authentication)', async () => {
      const { store } = await setup();
      await store.insertBrowserSession(session());
      expect(await store.renewBrowserSession('session-hash-1', ms + 300_000)).toBe(true);
      expect((await store.findBrowserSession('session-hash-1'))!.authTime).toBe(ms + 300_000);
      await store.endBrowserSession('session-hash-1', ms + 400_000);
      expect(await store.renewBrowserSession('session-hash-1', ms + 500_000)).toBe(false);
      expect(await store.renewBrowserSession('nope\0', ms)).toBe(false);
      expect((await store.findBrowserSession('session-hash-1'))!.authTime).toBe(ms + 300_000);
    });

    it('keeps the browser session that approved a code', async () => {
      const { store } = await setup();
      await store.insertAuthorizationCode(code({ browserSessionId: 'session-hash-1' }));
      expect((await store.findAuthorizationCode('code-hash-1'))?.browserSessionId).toBe('session-hash-1');
    });

    it("ends every live session of one user, and nobody else's", async () => {
      const { store } = await setup();
      await store.insertBrowserSession(session({ id: 'a' }));
      await store.insertBrowserSession(session({ id: 'b' }));
      await store.insertBrowserSession(session({ id: 'ended', endedAt: ms + 1 }));
      await store.insertBrowserSession(session({ id: 'bob', userId: 'usr_2' }));
      expect(await store.endUserBrowserSessions('usr_1', ms + 5)).toBe(2);
      expect((await store.findBrowserSession('a'))!.endedAt).toBe(ms + 5);
      expect((await store.findBrowserSession('ended'))!.endedAt).toBe(ms + 1);
      expect((await store.findBrowserSession('bob'))!.endedAt).toBeNull();
    });
  });

  describe('consents', () => {
    it('keeps one consent per user and client, replaced by the next', async () => {
      const { store } = await setup();
      await store.saveConsent({ userId: 'usr_1', clientId: 'partner', scopes: ['read'], grantedAt: ms });
      await store.saveConsent({ userId: 'usr_2', clientId: 'partner', scopes: ['write'], grantedAt: ms });
      await store.saveConsent({ userId: 'usr_1', clientId: 'partner', scopes: ['read', 'openid'], grantedAt: ms + 1 });
      expect(await store.findConsent('usr_1', 'partner')).toEqual({ userId: 'usr_1', clientId: 'partner', scopes: ['read', 'openid'], grantedAt: ms + 1 });
      expect(await store.findConsent('usr_2', 'partner')).toEqual({ userId: 'usr_2', clientId: 'partner', scopes: ['write'], grantedAt: ms });
      expect(await store.findConsent('usr_1', 'other')).toBeNull();
    });

    it('forgets the consents given to a client when it is deleted', async () => {
      const { store } = await setup();
      await store.insertClient(client({ id: 'partner' }));
      await store.saveConsent({ userId: 'usr_1', clientId: 'partner', scopes: ['read'], grantedAt: ms });
      expect(await store.deleteClient('partner', ms)).toEqual([]);
      expect(await store.findConsent('usr_1', 'partner')).toBeNull();
    });
  });

  describe('deleteExpired', () => {
    it('deletes browser sessions past their expiry, and codes a day after theirs (a late replay still finds its family)', async () => {
      const { store } = await setup();
      const now = ms + 100_000_000;
      await store.insertAuthorizationCode(code({ hash: 'old', expiresAt: now - 86_400_001 }));
      await store.insertAuthorizationCode(code({ hash: 'recent', expiresAt: now - 86_399_999 }));
      await store.insertBrowserSession(session({ id: 'gone', expiresAt: now - 1 }));
      await store.insertBrowserSession(session({ id: 'live', expiresAt: now + 1 }));
      expect(await store.deleteExpired(now, 0, 0)).toBe(2);
      expect(await store.findAuthorizationCode('old')).toBeNull();
      expect(await store.findAuthorizationCode('recent')).not.toBeNull();
      expect(await store.findBrowserSession('gone')).toBeNull();
      expect(await store.findBrowserSession('live')).not.toBeNull();
    });
  });

  describe('users and clients of the authorization code flow', () => {
    it('keep e-mail, redirect URIs, post-logout URIs and the third-party flag', async () => {
      const { store } = await setup();
      const partner = client({
        id: 'partner',
        grants: ['authorization_code', 'refresh_token'],
        redirectUris: ['https://p.example/cb', 'http://127.0.0.1/cb'],
        postLogoutRedirectUris: ['https://p.example/bye'],
        thirdParty: true,
      });
      await store.insertClient(partner);
      await store.insertUser(user({ email: 'alice@example.com', emailVerified: true }));
      expect(await store.findClient('partner')).toEqual(partner);
      expect(await store.findUserById('usr_1')).toEqual(user({ email: 'alice@example.com', emailVerified: true }));
    });
  });
}
