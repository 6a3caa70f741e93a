import { describe, expect, it } from 'vitest';
import { updateUser } from '../../src/services/users.js';
import { accountsServer } from '../helpers/accounts.js';
import { hiddenFields } from '../helpers/authorize.js';
import { mailLink } from '../helpers/smtp.js';

// Issue 26: the sign-up, reset and verification forms against hostile input, with sign-up open and mail on (the
// sweep of test/http/malformed.test.ts sees them as they are by default). Runs on PostgreSQL too (http-postgres).

const weird = [
  '%00',
  '\u0000',
  'a'.repeat(6000),
  '\uD800',
  '<script>alert(1)</script>',
  '"\'><',
  ' ',
  '../../etc/passwd',
  '\r\nSet-Cookie: x=1',
  '9'.repeat(40),
];
const markup = /<script>alert\(1\)<\/script>|"'><(?!\/)/;

async function expectPage(res: Response, label: string) {
  expect(res.status, label).toBeLessThan(500);
  expect(res.headers.get('location'), label).toBeNull();
  const html = await res.text();
  expect(html, label).not.toMatch(markup);
  expect(html, label).not.toMatch(/at .+\.(ts|js):\d+|Error:/);
  if (res.headers.get('content-type')?.startsWith('text/html')) expect(res.headers.get('content-security-policy'), label).toContain("frame-ancestors 'none'");
}

describe('hostile input to the account pages', () => {
  it('refuses every form without this browser CSRF token (403), changing nothing', async () => {
    const s = await accountsServer();
    const fields = { username: 'mallory', email: 'm@example.com', password: 'a long enough password', identifier: 'alice', token: 'x'.repeat(43) };
    for (const path of ['/signup', '/password-reset', '/verify-email']) {
      const res = await s.browser.post(path, { ...fields, csrf_token: 'forged-token-forged-token-forged-token-123' });
      expect(res.status, path).toBe(403);
    }
    expect(await s.deps.store.findUserByUsername('mallory')).toBeNull();
    expect((await s.deps.store.listAuditEvents({ type: 'password_reset.requested', limit: 5 })).items).toEqual([]);
  });

  it('never answers 500 nor echoes markup to odd values in any field or query, and signs nobody up or in', async () => {
    const s = await accountsServer();
    // A real reset link and a real verification link, so odd passwords reach the password rules.
    const askForm = hiddenFields(await (await s.browser.get('/password-reset')).text());
    await s.browser.post('/password-reset', { ...askForm, identifier: 'alice' });
    const reset = mailLink(await s.smtp.next(), s.url);
    const resetForm = hiddenFields(await (await s.browser.get(`${reset.pathname}${reset.search}`)).text());
    await updateUser(s.deps, { name: 'cli' }, s.alice.id, { email: 'alice@new.example' });
    const verify = mailLink(await s.smtp.next(), s.url);
    const verifyForm = hiddenFields(await (await s.browser.get(`${verify.pathname}${verify.search}`)).text());
    const signupForm = hiddenFields(await (await s.browser.get('/signup')).text());

    for (const value of weird) {
      const v = encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
      for (const path of [`/signup?request=${v}&ui_locales=${v}`, `/password-reset?token=${v}&ui_locales=${v}`, `/verify-email?token=${v}`]) {
        await expectPage(await s.browser.get(path), `GET ${path.slice(0, 60)}`);
      }
      const posts: [string, Record<string, string>][] = [
        ['/signup', { ...signupForm, username: value, email: value, password: value }],
        ['/signup', { ...signupForm, username: 'fine', email: 'fine@example.com', password: value, request: value, ui_locales: value }],
        ['/password-reset', { ...askForm, identifier: value, ui_locales: value }],
        ['/password-reset', { ...resetForm, password: value.length >= 8 && value.length <= 256 ? 'password' : value }],
        ['/password-reset', { ...resetForm, token: value, password: 'a long enough password' }],
        ['/verify-email', { ...verifyForm, token: value }],
      ];
      for (const [path, fields] of posts) await expectPage(await s.browser.post(path, fields), `POST ${path} ${JSON.stringify(fields).slice(0, 80)}`);
    }
    // Only `fine` could be made (once: a name taken afterwards), by an odd value that is a good password.
    expect((await s.deps.store.listUsers({ limit: 10 })).items.map((u) => u.username).filter((n) => n !== 'fine')).toEqual(['alice']);
    expect(s.browser.jar.has('__Host-tessera-session')).toBe(false);
    expect((await s.deps.store.findUserById(s.alice.id))!.emailVerified).toBe(false);
  });
});
