import { describe, expect, it } from 'vitest';
import type { MailLink, QueuedMail } from '../../../src/domain/mail.js';
import { Conflict } from '../../../src/errors/domain.js';
import type { StoreSetup } from '../contract.js';
import { t0, user } from '../fixtures.js';

// Mailed single-use links and the mail queue (issue 26).

const link = (o: Partial<MailLink> = {}): MailLink => ({
  hash: 'hash-1',
  userId: 'usr_1',
  purpose: 'password_reset',
  address: 'alice@example.com',
  createdAt: t0,
  expiresAt: t0 + 1_800_000,
  usedAt: null,
  ...o,
});

const mail = (o: Partial<QueuedMail> = {}): QueuedMail => ({
  id: 'mail_1',
  kind: 'verify_email',
  userId: 'usr_1',
  address: 'alice@example.com',
  locale: 'ko',
  createdAt: t0,
  nextAttemptAt: t0,
  attempts: 0,
  ...o,
});

export function accountsSuite(setup: () => Promise<StoreSetup>): void {
  describe('mail links', () => {
    it('uses a link once, only for its purpose and before it expires', async () => {
      const { store } = await setup();
      await store.insertMailLink(link());
      await expect(store.insertMailLink(link())).rejects.toBeInstanceOf(Conflict);
      expect(await store.consumeMailLink('hash-1', 'verify_email', t0)).toBeNull();
      expect(await store.consumeMailLink('hash-1', 'password_reset', t0 + 1_800_000)).toBeNull();
      expect(await store.consumeMailLink('hash-1', 'password_reset', t0 + 5)).toEqual(link({ usedAt: t0 + 5 }));
      expect(await store.consumeMailLink('hash-1', 'password_reset', t0 + 6)).toBeNull();
      expect(await store.findMailLink('hash-1')).toEqual(link({ usedAt: t0 + 5 }));
      expect(await store.findMailLink('nope\u0000')).toBeNull();
    });

    it('gives a link to one of many concurrent uses', async () => {
      const { store } = await setup();
      await store.insertMailLink(link());
      const uses = await Promise.all(Array.from({ length: 8 }, () => store.consumeMailLink('hash-1', 'password_reset', t0 + 1)));
      expect(uses.filter((u) => u !== null)).toHaveLength(1);
    });

    it('marks an address verified only while it is still the user’s, with the events', async () => {
      const { store } = await setup();
      await store.insertUser(user({ email: 'alice@example.com' }));
      const events = [{ type: 'user.email_verified' as const, data: { userId: 'usr_1' } }];
      expect(await store.markEmailVerified('usr_1', 'old@example.com', t0 + 1, events)).toBe(false);
      expect(await store.lastEventSeq()).toBe(0);
      expect(await store.markEmailVerified('usr_1', 'alice@example.com', t0 + 2, events)).toBe(true);
      expect(await store.findUserById('usr_1')).toMatchObject({ emailVerified: true, updatedAt: t0 + 2 });
      expect((await store.listEvents({ after: 0, limit: 5 })).map((e) => e.event)).toEqual(events);
      expect(await store.markEmailVerified('usr_1', 'alice@example.com', t0 + 3, events)).toBe(false);
    });
  });

  describe('mail queue', () => {
    it('leases a due mail to one claimer, retries it later, and keeps a done one from being claimed again', async () => {
      const { store } = await setup();
      await store.queueMail(mail());
      await store.queueMail(mail({ id: 'mail_2', nextAttemptAt: t0 + 60_000 }));
      const claimed = await store.claimMail('a', t0, 1000);
      expect(claimed).toEqual(mail());
      expect(await store.claimMail('b', t0 + 1, 1000)).toBeNull();
      expect(await store.finishMail('mail_1', 'b', { nextAttemptAt: t0 + 15_000, attempts: 1 })).toBe(false);
      expect(await store.finishMail('mail_1', 'a', { nextAttemptAt: t0 + 15_000, attempts: 1 })).toBe(true);
      expect(await store.claimMail('b', t0 + 14_999, 1000)).toBeNull();
      expect(await store.claimMail('b', t0 + 15_000, 1000)).toEqual(mail({ nextAttemptAt: t0 + 15_000, attempts: 1 }));
      expect(await store.finishMail('mail_1', 'b', { doneAt: t0 + 15_001, outcome: 'sent', attempts: 2 })).toBe(true);
      expect(await store.findMail('mail_1')).toMatchObject({ attempts: 2, doneAt: t0 + 15_001, outcome: 'sent' });
      // Past its lease a mail goes to another claimer (an instance that died mid-send); a done one never does.
      expect((await store.claimMail('c', t0 + 60_000, 1000))?.id).toBe('mail_2');
      expect((await store.claimMail('d', t0 + 61_001, 1000))?.id).toBe('mail_2');
      expect((await store.claimMail('e', t0 + 10_000_000, 1000))?.id).toBe('mail_2');
      expect(await store.claimMail('f', t0 + 10_000_000, 1000)).toBeNull();
    });

    it('gives a mail to one of many concurrent claimers', async () => {
      const { store } = await setup();
      await store.queueMail(mail());
      const claims = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((owner) => store.claimMail(owner, t0, 1000)));
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
    });

    it('lets the cleanup remove expired links and mails sent over a day ago', async () => {
      const { store } = await setup();
      await store.insertMailLink(link());
      await store.queueMail(mail());
      await store.queueMail(mail({ id: 'mail_2' }));
      await store.claimMail('a', t0, 1000);
      await store.finishMail('mail_1', 'a', { doneAt: t0, outcome: 'sent', attempts: 1 });
      await store.deleteExpired(t0 + 86_400_001, 0, 0);
      expect(await store.findMailLink('hash-1')).toBeNull();
      expect(await store.findMail('mail_1')).toBeNull();
      expect(await store.findMail('mail_2')).not.toBeNull();
    });
  });
}
