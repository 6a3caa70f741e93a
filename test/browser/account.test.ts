import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { createUser } from '../../src/services/users.js';
import { authorizeQuery, pkce } from '../helpers/authorize.js';
import { alicePassword } from '../helpers/fixtures.js';
import { form, testServer } from '../helpers/server.js';
import { expectAccessible } from './axe.js';
import { browserMissing, callbackServer, testBrowser } from './harness.js';

const operator = { name: 'cli' };

/** Tessera over HTTP, a first-party app that may ask for scope account, and alice. */
async function setup() {
  const server = await testServer({ env: { LOGIN_TITLE: 'Acme' } });
  const callback = await callbackServer();
  await createClient(server.deps, operator, {
    id: 'acme-web',
    name: 'Acme Web',
    public: true,
    grants: ['authorization_code'],
    scopes: ['read', 'account'],
    redirectUris: ['http://127.0.0.1/callback'],
  });
  await createUser(server.deps, operator, { username: 'alice', password: alicePassword, email: 'alice@example.com', emailVerified: true });
  const browser = await testBrowser();
  const refresh = (refreshToken: string) => server.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'acme-web', refresh_token: refreshToken }));

  /** Signs `context` in to Acme Web through the hosted login; the app's tokens for that browser. */
  async function signIn(context: BrowserContext, query: Record<string, string> = {}) {
    const page = await context.newPage();
    const v = pkce();
    const url = authorizeQuery({
      response_type: 'code',
      client_id: 'acme-web',
      redirect_uri: callback.url,
      scope: 'openid account',
      state: 's',
      code_challenge: v.challenge,
      code_challenge_method: 'S256',
      ...query,
    });
    await page.goto(`${server.url}${url}`);
    await page.locator('#username').fill('alice');
    await page.locator('#password').fill(alicePassword);
    await page.locator('#password').press('Enter');
    await page.waitForURL(`${callback.url}?**`);
    const code = callback.hits.at(-1)!.searchParams.get('code')!;
    const res = await server.fetch(
      '/token',
      form({ grant_type: 'authorization_code', client_id: 'acme-web', code, redirect_uri: callback.url, code_verifier: v.verifier }),
    );
    expect(res.status).toBe(200);
    await page.close();
    return (await res.json()) as { access_token: string; refresh_token: string };
  }
  return { server, browser, signIn, refresh };
}

describe.skipIf(browserMissing)('the account page in Chromium', () => {
  it('lists the sessions of two browsers, marks this one, and ends the other: its refresh token is then refused at /token', async () => {
    const s = await setup();
    const [mine, other] = [
      await s.browser.newContext(),
      await s.browser.newContext({
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      }),
    ];
    const mineTokens = await s.signIn(mine);
    const otherTokens = await s.signIn(other);

    const page = await mine.newPage();
    await page.goto(`${s.server.url}/account`);
    expect(await page.title()).toBe('Your account · Acme');
    const sessions = page.getByRole('list', { name: 'Where you are signed in' }).getByRole('listitem');
    await expect(sessions.count()).resolves.toBe(2);
    const here = sessions.filter({ hasText: 'This browser' });
    await expect(here.count()).resolves.toBe(1);
    const phone = sessions.filter({ hasNotText: 'This browser' });
    await expect(phone.textContent()).resolves.toContain('Mobile Safari on iOS');
    await expectAccessible(page);

    await phone.getByRole('button', { name: /^Sign out/ }).click();
    await page.waitForURL('**/account?done=session_ended');
    await expect(page.getByRole('status').textContent()).resolves.toBe('The session was ended.');
    await expect(sessions.count()).resolves.toBe(1);
    expect((await s.refresh(otherTokens.refresh_token)).status).toBe(400);
    expect((await s.refresh(mineTokens.refresh_token)).status).toBe(200);
  });

  it('changes the password, which ends the other browser’s sessions and keeps this one signed in', async () => {
    const s = await setup();
    const [mine, other] = [await s.browser.newContext(), await s.browser.newContext()];
    await s.signIn(mine);
    const otherTokens = await s.signIn(other);
    const page = await mine.newPage();
    await page.goto(`${s.server.url}/account`);
    await page.getByLabel('Current password').fill(alicePassword);
    await page.getByLabel('New password').fill('a much longer new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL('**/account?done=password_changed');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your password was changed');
    expect((await s.refresh(otherTokens.refresh_token)).status).toBe(400);
    const otherPage = await other.newPage();
    await otherPage.goto(`${s.server.url}/account`);
    expect(otherPage.url()).toBe(`${s.server.url}/account/login`);
    await expectAccessible(otherPage);
  });

  it('asks the password again after 5 minutes before the e-mail can change', async () => {
    const s = await setup();
    const context = await s.browser.newContext();
    await s.signIn(context);
    s.server.deps.clock.advance(5 * 60 + 1);
    const page = await context.newPage();
    await page.goto(`${s.server.url}/account`);
    await expect(page.getByLabel('New e-mail address').count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Confirm your password' }).click();
    await page.waitForURL('**/account/reauth');
    expect(await page.title()).toBe('Confirm it is you · Acme');
    await expectAccessible(page);
    await page.getByLabel('Password').fill(alicePassword);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/account?done=reauthenticated');
    await page.getByLabel('New e-mail address').fill('alice@new.example');
    await page.getByRole('button', { name: 'Change e-mail' }).click();
    await page.waitForURL('**/account?done=email_changed');
    await expect(page.locator('.facts').textContent()).resolves.toContain('alice@new.examplenot verified');
  });

  it('shows the login page in Korean for Accept-Language ko and for ui_locales=ko, and the account page in Korean', async () => {
    const s = await setup();
    const korean = await s.browser.newContext({ locale: 'ko-KR' });
    const page = await korean.newPage();
    await page.goto(`${s.server.url}/account/login`);
    expect(await page.title()).toBe('로그인 · Acme');
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    await expectAccessible(page);
    await page.getByLabel('아이디').fill('alice');
    await page.getByLabel('비밀번호').fill(alicePassword);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForURL('**/account');
    expect(await page.title()).toBe('내 계정 · Acme');
    await expectAccessible(page);
    // Signed in: /logout asks first, in Korean too.
    await page.goto(`${s.server.url}/logout`);
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    await expect(page.getByRole('button', { name: '로그아웃' }).count()).resolves.toBe(1);
    await expectAccessible(page);

    const english = await (await s.browser.newContext({ locale: 'en-US' })).newPage();
    const v = pkce();
    await english.goto(
      `${s.server.url}${authorizeQuery({ response_type: 'code', client_id: 'acme-web', redirect_uri: 'http://127.0.0.1/callback', code_challenge: v.challenge, code_challenge_method: 'S256', ui_locales: 'ko' })}`,
    );
    expect(await english.getAttribute('html', 'lang')).toBe('ko');
    await expect(english.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('로그인');
    await expectAccessible(english);
  });
});
