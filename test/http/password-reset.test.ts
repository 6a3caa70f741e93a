import { describe, expect, it } from 'vitest';
import { accountsServer } from '../helpers/accounts.js';
import { hiddenFields } from '../helpers/authorize.js';
import { alicePassword, loginAlice, passwordGrant } from '../helpers/fixtures.js';
import { mailLink } from '../helpers/smtp.js';

// Issue 26, contract section 11: "Forgot your password?" by mail, over real HTTP and a real SMTP server.

const newPassword = 'a brand new password';

/** Asks for a reset on the form at /password-reset, as a browser without JavaScript does. */
async function askReset(b: Awaited<ReturnType<typeof accountsServer>>['browser'], identifier: string) {
  const form = await b.get('/password-reset');
  expect(form.status).toBe(200);
  return b.post('/password-reset', { ...hiddenFields(await form.text()), identifier });
}

describe('password reset', () => {
  it('mails a known user a single-use link; the new password ends every session and the old one is refused', async () => {
    const s = await accountsServer();
    const before = await loginAlice(s);
    const answered = await askReset(s.browser, 'alice');
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('Check your mail');

    const mail = await s.smtp.next((m) => m.to === 'alice@example.com');
    expect(mail.subject).toBe('Reset your Tessera password');
    expect(mail.parsed.from?.value).toEqual([{ name: 'Tessera', address: 'no-reply@example.com' }]);
    expect(mail.html).toContain('Choose a new password');
    expect(mail.html).not.toMatch(/<img|src=|url\(/i);
    const link = mailLink(mail, s.url);
    expect(link.pathname).toBe('/password-reset');
    const token = link.searchParams.get('token')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const form = await s.browser.get(`${link.pathname}${link.search}`);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('autocomplete="new-password"');
    const fields = hiddenFields(html);

    const weak = await s.browser.post('/password-reset', { ...fields, password: 'password1' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('one of the most common or leaked passwords');

    const set = await s.browser.post('/password-reset', { ...fields, password: newPassword });
    expect(set.status).toBe(200);
    expect(await set.text()).toContain('Your password is changed');

    // The old password and the old session are refused; the new password signs in.
    expect((await passwordGrant(s)).status).toBe(400);
    const refreshed = await s.fetch('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token: before.refresh_token }).toString(),
    });
    expect(refreshed.status).toBe(400);
    expect((await refreshed.json()).error).toBe('invalid_grant');
    s.deps.clock.advance(1); // the fixed clock: a login in the very millisecond of the change counts as before it
    await loginAlice(s, { password: newPassword });
    // The family is on the revocation feed, with the reason of every password change.
    const feed = await (await s.fetch('/revocations')).json();
    expect(feed.revocations.map((r: { sid: string }) => r.sid)).toContain(
      JSON.parse(Buffer.from(before.access_token.split('.')[1]!, 'base64url').toString()).sid,
    );

    // The link is used: a second use is refused, and the notice went out.
    const again = await s.browser.post('/password-reset', { ...fields, password: 'yet another new password' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This link does not work');
    expect((await s.browser.get(`${link.pathname}${link.search}`)).status).toBe(400);
    const notice = await s.smtp.next((m) => m.subject === 'Your Tessera password was changed');
    expect(notice.to).toBe('alice@example.com');

    const audit = (await s.deps.store.listAuditEvents({ userId: s.alice.id, limit: 20 })).items.map((e) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['password_reset.requested', 'password_reset.sent', 'user.password_changed', 'password_reset.completed']));
  });

  it('answers an unknown user with the same page, doing the same work, and mails nobody', async () => {
    const s = await accountsServer();
    const known = await askReset(s.browser, 'alice@example.com');
    const unknown = await askReset(s.browser, 'nobody@example.com');
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());
    await s.smtp.next((m) => m.to === 'alice@example.com');
    // Each request queued one mail and wrote one audit event; the unknown one's mail is dropped, not sent.
    const requested = (await s.deps.store.listAuditEvents({ type: 'password_reset.requested', limit: 5 })).items;
    expect(requested.map((e) => e.details)).toEqual([{ matched: false }, { matched: true }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.smtp.mails).toEqual([]);
  });

  it('mails no link for an unverified address', async () => {
    const s = await accountsServer();
    await s.deps.store.updateUser(s.alice.id, { emailVerified: false, updatedAt: 1 });
    expect((await askReset(s.browser, 'alice')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.smtp.mails).toEqual([]);
  });

  it('refuses an expired link', async () => {
    const s = await accountsServer({ env: { PASSWORD_RESET_TTL: '600' } });
    await askReset(s.browser, 'alice');
    const link = mailLink(await s.smtp.next(), s.url);
    const fields = hiddenFields(await (await s.browser.get(`${link.pathname}${link.search}`)).text());
    s.deps.clock.advance(601);
    const res = await s.browser.post('/password-reset', { ...fields, password: newPassword });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This link does not work');
    await loginAlice(s, { password: alicePassword });
  });

  it('limits requests per account: the sixth in an hour is refused with 429 and Retry-After', async () => {
    const s = await accountsServer();
    for (let i = 0; i < 5; i++) expect((await askReset(s.browser, 'alice')).status).toBe(200);
    const sixth = await askReset(s.browser, 'ALICE');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sixth.text()).toContain('Too many requests');
  });

  it('says so when mail is off', async () => {
    const s = await accountsServer({ env: { SMTP_URL: '' } });
    const res = await s.browser.get('/password-reset');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('This service does not send mail');
  });

  it('answers in Korean for Accept-Language: ko, and mails in Korean', async () => {
    const s = await accountsServer();
    const form = await s.browser.send('/password-reset', { headers: { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5' } });
    const html = await form.text();
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain('비밀번호를 잊으셨나요?');
    const sent = await s.browser.post('/password-reset', { ...hiddenFields(html), identifier: 'alice' });
    expect(await sent.text()).toContain('메일을 확인하세요');
    const mail = await s.smtp.next();
    expect(mail.subject).toBe('Tessera 비밀번호 재설정');
    expect(mailLink(mail, s.url).searchParams.get('ui_locales')).toBe('ko');
  });
});
