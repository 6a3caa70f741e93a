import { describe, expect, it } from 'vitest';
import { updateUser } from '../../src/services/users.js';
import { accountsServer } from '../helpers/accounts.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { mailLink, testSmtpServer } from '../helpers/smtp.js';
import { adminSetup, cli } from './setup.js';

// Issue 26: the operator's `users verify-email` and `users send-reset`, by the admin API and the CLI.

/** The admin setup with mail going to a real SMTP server (sent by the app's own sender, looking every 50 ms). */
async function mailAdmin() {
  const smtp = await testSmtpServer();
  const s = await adminSetup({ env: { SMTP_URL: smtp.url }, app: { mail: { pollMs: 50 } } });
  return { ...s, smtp };
}

describe('POST /admin/users/{id}/verify-email', () => {
  it('mails the user a verification link (202), which verifies the address', async () => {
    const s = await mailAdmin();
    await s.deps.store.updateUser(s.alice.id, { email: 'alice@example.com', updatedAt: 1 });
    const res = await s.admin('POST', `/admin/users/${s.alice.id}/verify-email`);
    expect(res.status).toBe(202);
    await expectMatchesSpec(res, { method: 'POST', path: '/admin/users/{id}/verify-email' });
    expect(await res.json()).toEqual({ user_id: s.alice.id, email: 'alice@example.com', mail_id: expect.stringMatching(/^mail_/) });
    const link = mailLink(await s.smtp.next(), s.url);
    expect(link.pathname).toBe('/verify-email');
    const [event] = (await s.deps.store.listAuditEvents({ type: 'email_verification.requested', limit: 1 })).items;
    expect(event).toMatchObject({ actor: 'admin:billing', userId: s.alice.id });
  });

  it.each([
    ['no address', async () => {}, 400, 'invalid_request'],
    [
      'a verified address',
      async (id: string, d: Parameters<typeof updateUser>[0]) =>
        void (await updateUser(d, { name: 'cli' }, id, { email: 'a@example.com', emailVerified: true })),
      409,
      'conflict',
    ],
  ])('refuses a user with %s', async (_name, arrange, status, error) => {
    const s = await mailAdmin();
    await arrange(s.alice.id, s.deps);
    const res = await s.admin('POST', `/admin/users/${s.alice.id}/verify-email`);
    expect(res.status).toBe(status);
    expect((await res.json()).error).toBe(error);
  });

  it('refuses with 409 when mail is off, saying how to mark the address verified instead', async () => {
    const s = await adminSetup();
    await s.deps.store.updateUser(s.alice.id, { email: 'alice@example.com', updatedAt: 1 });
    const res = await s.admin('POST', `/admin/users/${s.alice.id}/verify-email`);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: 'conflict',
      error_description: 'mail is off (SMTP_URL is not set), so no link can be sent; to mark the address verified yourself, set email_verified',
    });
  });
});

describe('POST /admin/users/{id}/password-reset', () => {
  it('mails a reset link to the verified address (202); an unverified address gets none (400)', async () => {
    const s = await mailAdmin();
    await s.deps.store.updateUser(s.alice.id, { email: 'alice@example.com', updatedAt: 1 });
    const refused = await s.admin('POST', `/admin/users/${s.alice.id}/password-reset`);
    expect(refused.status).toBe(400);
    await s.deps.store.updateUser(s.alice.id, { emailVerified: true, updatedAt: 2 });
    const res = await s.admin('POST', `/admin/users/${s.alice.id}/password-reset`);
    expect(res.status).toBe(202);
    await expectMatchesSpec(res, { method: 'POST', path: '/admin/users/{id}/password-reset' });
    const link = mailLink(await s.smtp.next(), s.url);
    expect(link.pathname).toBe('/password-reset');
  });
});

describe('tessera users verify-email / send-reset', () => {
  it('queues the mail and sends it from the CLI at once', async () => {
    const s = await accountsServer();
    await s.deps.store.updateUser(s.alice.id, { email: 'alice@new.example', emailVerified: false, updatedAt: 1 });
    const verify = await cli(s.deps, ['users', 'verify-email', 'alice', '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ user_id: s.alice.id, email: 'alice@new.example', sent: true });
    expect((await s.smtp.next((m) => m.to === 'alice@new.example')).subject).toBe('Confirm your e-mail address for Tessera');

    await s.deps.store.updateUser(s.alice.id, { emailVerified: true, updatedAt: 2 });
    const reset = await cli(s.deps, ['users', 'send-reset', 'alice']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/password-reset link sent to alice@new.example/);
    expect((await s.smtp.next()).subject).toBe('Reset your Tessera password');
  });

  it('fails with one line when the user has no verified address', async () => {
    const s = await accountsServer();
    await s.deps.store.updateUser(s.alice.id, { emailVerified: false, updatedAt: 1 });
    const out = await cli(s.deps, ['users', 'send-reset', 'alice']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('the user has no verified e-mail address');
  });
});
