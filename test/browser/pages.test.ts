import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { createUser } from '../../src/services/users.js';
import { authorizeQuery, pkce } from '../helpers/authorize.js';
import { alicePassword } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';
import { expectAccessible } from './axe.js';
import { browserMissing, callbackServer, testBrowser } from './harness.js';

describe.skipIf(browserMissing)('the hosted pages in Chromium, for a person', () => {
  it('sign in and consent by keyboard alone, pass axe-core, name the application, and find everything they load', async () => {
    const server = await testServer({ env: { LOGIN_TITLE: 'Acme' } });
    const callback = await callbackServer();
    await createClient(
      server.deps,
      { name: 'cli' },
      {
        id: 'photo-printer',
        name: 'Photo Printer',
        grants: ['authorization_code'],
        scopes: ['photos.read'],
        redirectUris: ['http://127.0.0.1/callback'],
        thirdParty: true,
      },
    );
    await createUser(server.deps, { name: 'cli' }, { username: 'alice', password: alicePassword });
    const page = await (await (await testBrowser()).newContext()).newPage();
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    const query = { response_type: 'code', client_id: 'photo-printer', redirect_uri: callback.url, scope: 'openid photos.read', state: 's' };

    await page.goto(`${server.url}${authorizeQuery({ ...query, code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`);
    expect(await page.locator('.lead strong').textContent()).toBe('Photo Printer');
    await expectAccessible(page);
    await page.keyboard.type('alice');
    await page.keyboard.press('Tab');
    await page.keyboard.type(alicePassword);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/login`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Allow Photo Printer to access your account?');
    await expectAccessible(page);
    await page.keyboard.press('Tab'); // Deny
    await page.keyboard.press('Tab'); // Allow
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Allow');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${callback.url}?**`);
    // Whatever Chromium asked for on the way (the stylesheet, the icon when it fetches one) was there.
    expect(failed).toEqual([]);

    await page.goto(`${server.url}${authorizeQuery({ ...query, client_id: 'nobody' })}`);
    expect(await page.getByRole('alert').textContent()).toMatch(/^The application that sent you here/);
    await expectAccessible(page);
  });

  // What an operator names and scopes may hold: a long scope without a place to break
  // wraps inside the card, and a right-to-left override in a name stays inside the name.
  it('keeps a long scope inside the card on a phone, and a name’s bidi controls out of the page’s own words', async () => {
    const server = await testServer();
    const callback = await callbackServer();
    const scope = 'photos.read.all.albums.shared.with.me.and.with.everyone.else';
    await createClient(
      server.deps,
      { name: 'cli' },
      {
        id: 'printer',
        name: 'Photo\u202EPrinter',
        grants: ['authorization_code'],
        scopes: [scope],
        redirectUris: ['http://127.0.0.1/callback'],
        thirdParty: true,
      },
    );
    await createUser(server.deps, { name: 'cli' }, { username: 'alice', password: alicePassword });
    const page = await (await (await testBrowser()).newContext({ viewport: { width: 360, height: 740 } })).newPage();
    const query = { response_type: 'code', client_id: 'printer', redirect_uri: callback.url, scope, state: 's' };
    await page.goto(`${server.url}${authorizeQuery({ ...query, code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(alicePassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${server.url}/login`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(360);
    // "access your account?" reads left to right after the name: "access" starts left of "account".
    const lefts = await page.evaluate(() => {
      const text = Array.from(document.querySelector('h1')!.childNodes).find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes('account'))!;
      const left = (word: string) => {
        const range = document.createRange();
        const at = text.textContent!.indexOf(word);
        range.setStart(text, at);
        range.setEnd(text, at + word.length);
        return range.getBoundingClientRect().left;
      };
      return { access: left('access'), account: left('account') };
    });
    expect(lefts.access).toBeLessThan(lefts.account);
  });
});
