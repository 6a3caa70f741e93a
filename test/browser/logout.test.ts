import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { createUser } from '../../src/services/users.js';
import { authorizeQuery, pkce } from '../helpers/authorize.js';
import { onCleanup } from '../helpers/deps.js';
import { alicePassword } from '../helpers/fixtures.js';
import { form, testServer } from '../helpers/server.js';
import { expectAccessible } from './axe.js';
import { browserMissing, callbackServer, testBrowser } from './harness.js';

/** Another site on loopback (another port: another origin), serving one page. */
async function otherSite(html: string) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Tessera, the app acme-web with a post-logout page, alice, and a browser page. */
async function setup() {
  const server = await testServer({ env: { LOGIN_TITLE: 'Acme' } });
  const callback = await callbackServer();
  const bye = callback.url.replace('/callback', '/bye');
  await createClient(
    server.deps,
    { name: 'cli' },
    {
      id: 'acme-web',
      public: true,
      grants: ['authorization_code'],
      scopes: ['read'],
      redirectUris: ['http://127.0.0.1/callback'],
      postLogoutRedirectUris: [bye],
    },
  );
  await createUser(server.deps, { name: 'cli' }, { username: 'alice', password: alicePassword });
  const page = await (await (await testBrowser()).newContext()).newPage();
  const authorize = (v = pkce()) =>
    `${server.url}${authorizeQuery({ response_type: 'code', client_id: 'acme-web', redirect_uri: callback.url, scope: 'openid read', state: 's', code_challenge: v.challenge, code_challenge_method: 'S256' })}`;
  /** Signs alice in; returns the code. */
  const signIn = async (v = pkce()) => {
    await page.goto(authorize(v));
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(alicePassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${callback.url}?**`);
    return new URL(page.url()).searchParams.get('code')!;
  };
  /** Whether /authorize in this browser goes straight back to the app, without asking for the password. */
  const stillSignedIn = async () => {
    await page.goto(authorize());
    return page.url().startsWith(callback.url);
  };
  return { server, callback, bye, page, authorize, signIn, stillSignedIn };
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

describe.skipIf(browserMissing)('/logout in Chromium', () => {
  it('another site cannot sign the user out by an image, a link or a navigation; the confirmation page can', async () => {
    const s = await setup();
    await s.signIn();
    const logout = `${s.server.url}/logout`;
    const site = await otherSite(`<!doctype html><title>Other site</title><img src="${logout}" alt=""><a href="${logout}">Free prizes</a>`);

    await s.page.goto(site);
    await s.page.getByRole('link', { name: 'Free prizes' }).click();
    await s.page.waitForURL(logout);
    expect(await heading(s.page)).toBe('Sign out of Acme?');
    await expectAccessible(s.page);
    await s.page.goto(site);
    await s.page.goto(logout);
    expect(await s.stillSignedIn()).toBe(true);

    // The user's own answer, by keyboard: the button is the page's one control.
    await s.page.goto(logout);
    await s.page.keyboard.press('Tab');
    expect(await s.page.evaluate(() => document.activeElement?.textContent)).toBe('Sign out');
    await s.page.keyboard.press('Enter');
    await s.page.waitForURL(logout);
    expect(await heading(s.page)).toBe('You are signed out');
    await expectAccessible(s.page);
    expect(await s.stillSignedIn()).toBe(false);
  });

  it('refuses a forged confirmation posted from another site', async () => {
    const s = await setup();
    await s.signIn();
    const site = await otherSite(
      `<!doctype html><title>Other site</title><form method="post" action="${s.server.url}/logout"><input type="hidden" name="confirm" value="yes"><button>Win</button></form>`,
    );
    await s.page.goto(site);
    await s.page.getByRole('button', { name: 'Win' }).click();
    await s.page.waitForURL(`${s.server.url}/logout`);
    expect(await s.page.getByRole('alert').textContent()).toMatch(/was not sent from this site/);
    expect(await s.stillSignedIn()).toBe(true);
  });

  it('with the id_token as hint signs out at once and returns to the registered page with the state', async () => {
    const s = await setup();
    const v = pkce();
    const code = await s.signIn(v);
    const tokens = await s.server.fetch(
      '/token',
      form({ grant_type: 'authorization_code', client_id: 'acme-web', code, redirect_uri: s.callback.url, code_verifier: v.verifier }),
    );
    const { id_token } = (await tokens.json()) as { id_token: string };
    await s.page.goto(`${s.server.url}/logout?${new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: s.bye, state: 'bye' })}`);
    await s.page.waitForURL(`${s.bye}?state=bye`);
    expect(await s.stillSignedIn()).toBe(false);
  });
});
