import { describe, expect, it } from 'vitest';
import { accountsServer } from '../helpers/accounts.js';
import { hiddenFields, pkce, redirectParams, spaRedirect, spaRequest } from '../helpers/authorize.js';
import { mailLink } from '../helpers/smtp.js';
import { testServer } from '../helpers/server.js';

// Issue 26, contract section 11: sign-up (SIGNUP=open) and e-mail verification, over real HTTP and a real SMTP server.

const good = { username: 'bob', email: 'bob@example.com', password: 'bob has a long password' };

describe('GET|POST /signup', () => {
  it('is not there unless SIGNUP=open', async () => {
    const s = await testServer();
    expect((await s.fetch('/signup')).status).toBe(404);
    expect((await s.fetch('/signup', { method: 'POST' })).status).toBe(404);
  });

  it('starts from the login page, refuses a common password, and then signs the new user in to the application', async () => {
    const s = await accountsServer();
    const login = await s.browser.get(spaRequest(pkce().challenge));
    const loginHtml = await login.text();
    const href = /<a href="(\/signup\?[^"]+)">Create an account<\/a>/.exec(loginHtml)?.[1]?.replaceAll('&amp;', '&');
    expect(href).toBeDefined();
    expect(loginHtml).toContain('<a href="/password-reset?ui_locales=en">Forgot your password?</a>');

    const form = await s.browser.get(href!);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('autocomplete="new-password"');
    expect(form.headers.get('content-security-policy')).toContain("form-action 'self' https://spa.example");
    const fields = hiddenFields(html);

    const weak = await s.browser.post('/signup', { ...fields, ...good, password: 'iloveyou1' });
    expect(weak.status).toBe(400);
    const weakHtml = await weak.text();
    expect(weakHtml).toContain('one of the most common or leaked passwords');
    expect(weakHtml).toContain('value="bob@example.com"');
    expect(await s.deps.store.findUserByUsername('bob')).toBeNull();

    const made = await s.browser.post('/signup', { ...hiddenFields(weakHtml), ...good });
    expect(made.status).toBe(303);
    expect(made.headers.get('location')!.startsWith(`${spaRedirect}?`)).toBe(true);
    expect(redirectParams(made)).toMatchObject({ state: 'state-123', code: expect.any(String) });
    const bob = await s.deps.store.findUserByUsername('bob');
    expect(bob).toMatchObject({ email: 'bob@example.com', emailVerified: false });

    const mail = await s.smtp.next((m) => m.to === 'bob@example.com');
    expect(mail.subject).toBe('Confirm your e-mail address for Tessera');
    expect(mail.text).toContain('bob@example.com');
    const link = mailLink(mail, s.url);
    expect(link.pathname).toBe('/verify-email');

    // Following the link changes nothing until the button is pressed (mail scanners fetch links).
    const page = await s.browser.get(`${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect((await s.deps.store.findUserById(bob!.id))!.emailVerified).toBe(false);
    const pageFields = hiddenFields(await page.text());
    const confirmed = await s.browser.post('/verify-email', pageFields);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Your address is confirmed');
    expect((await s.deps.store.findUserById(bob!.id))!.emailVerified).toBe(true);

    // Used once: the link's page and a second confirmation are refused.
    expect((await s.browser.get(`${link.pathname}${link.search}`)).status).toBe(400);
    expect((await s.browser.post('/verify-email', pageFields)).status).toBe(400);
    const events = (await s.deps.store.listEvents({ after: 0, limit: 100 })).map((e) => e.event.type);
    expect(events).toEqual(expect.arrayContaining(['user.created', 'user.email_verified', 'user.updated']));
    const audit = (await s.deps.store.listAuditEvents({ userId: bob!.id, limit: 20 })).items.map((e) => [e.type, e.actor]);
    expect(audit).toEqual(
      expect.arrayContaining([
        ['user.created', 'signup'],
        ['email_verification.sent', 'system'],
        ['user.email_verified', 'verify-email'],
      ]),
    );
  });

  it('ends on a page saying what comes next when it did not start from an application', async () => {
    const s = await accountsServer();
    const fields = hiddenFields(await (await s.browser.get('/signup')).text());
    const res = await s.browser.post('/signup', { ...fields, ...good });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('We sent a link to bob@example.com');
  });

  it.each([
    ['a taken username', { username: 'alice' }, 'This username is taken'],
    ['a username with other letters', { username: 'аlice' }, 'Use 1 to 64 lower-case letters'],
    ['a bad address', { email: 'bob at example' }, 'Enter an e-mail address like name@example.com'],
    ['a short password', { password: 'short' }, 'This password is too short'],
    ['a password over 256 characters', { password: 'x'.repeat(257) }, 'This password is too long'],
  ])('refuses %s with 400 and the form again', async (_name, over, message) => {
    const s = await accountsServer();
    const fields = hiddenFields(await (await s.browser.get('/signup')).text());
    const res = await s.browser.post('/signup', { ...fields, ...good, ...over });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(message);
    expect((await s.deps.store.listUsers({ limit: 10 })).items.map((u) => u.username)).toEqual(['alice']);
  });

  it('limits sign-ups per IP', async () => {
    const s = await accountsServer();
    const fields = hiddenFields(await (await s.browser.get('/signup')).text());
    for (let i = 0; i < 10; i++) expect((await s.browser.post('/signup', { ...fields, ...good, username: `user${i}` })).status).toBe(200);
    const res = await s.browser.post('/signup', { ...fields, ...good, username: 'user10' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('e-mail verification', () => {
  it('mails a new address an operator gives, and refuses a link for an address the user no longer has', async () => {
    const s = await accountsServer();
    const { updateUser } = await import('../../src/services/users.js');
    await updateUser(s.deps, { name: 'cli' }, s.alice.id, { email: 'alice@new.example' });
    const first = mailLink(await s.smtp.next((m) => m.to === 'alice@new.example'), s.url);
    await updateUser(s.deps, { name: 'cli' }, s.alice.id, { email: 'alice@newer.example' });
    await s.smtp.next((m) => m.to === 'alice@newer.example');
    const res = await s.browser.get(`${first.pathname}${first.search}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This link does not work');
    expect((await s.deps.store.findUserById(s.alice.id))!.emailVerified).toBe(false);
  });

  it('refuses an expired link and a token that is not one', async () => {
    const s = await accountsServer({ env: { EMAIL_VERIFY_TTL: '3600' } });
    const { updateUser } = await import('../../src/services/users.js');
    await updateUser(s.deps, { name: 'cli' }, s.alice.id, { email: 'alice@new.example' });
    const link = mailLink(await s.smtp.next(), s.url);
    const fields = hiddenFields(await (await s.browser.get(`${link.pathname}${link.search}`)).text());
    s.deps.clock.advance(3601);
    expect((await s.browser.post('/verify-email', fields)).status).toBe(400);
    expect((await s.browser.get('/verify-email?token=nope')).status).toBe(400);
    expect((await s.deps.store.findUserById(s.alice.id))!.emailVerified).toBe(false);
  });
});
