import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/services/apis.js';
import { createClient } from '../../src/services/clients.js';
import { createRole, setUserRoles } from '../../src/services/roles.js';
import { createUser } from '../../src/services/users.js';
import { pkce } from '../helpers/authorize.js';
import { alicePassword } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';
import { expectAccessible } from './axe.js';
import { browserMissing, callbackServer, saveScreenshot, testBrowser } from './harness.js';

// The consent page of a third-party app asking for two APIs: each API's scopes under its name, with the
// operator's descriptions, in English and Korean, on a desktop and a phone; TESSERA_SCREENSHOTS=1 saves them as docs/screenshots/consent-apis-*.png.

describe.skipIf(browserMissing)('the consent page for APIs, in Chromium', () => {
  it.each([
    ['en', 'In Orders', { width: 1000, height: 800 }, 'consent-apis-en.png'],
    ['ko', 'Orders에서', { width: 360, height: 740 }, 'consent-apis-ko-phone.png'],
    ['en', 'In Orders', { width: 360, height: 740 }, 'consent-apis-en-phone.png'],
    ['ko', 'Orders에서', { width: 1000, height: 800 }, 'consent-apis-ko.png'],
  ] as const)('lists each API with its scopes and descriptions (%s), passes axe-core, and allows', async (locale, heading, viewport, file) => {
    const server = await testServer({ env: { LOGIN_TITLE: 'Acme' } });
    const callback = await callbackServer();
    const { deps } = server;
    const operator = { name: 'cli' };
    await createApi(deps, operator, {
      id: 'orders',
      identifier: 'https://orders.example.com',
      name: 'Orders',
      scopes: [
        { name: 'orders:read', description: locale === 'ko' ? '주문 내역 보기' : 'See your orders' },
        { name: 'orders:write', description: locale === 'ko' ? '주문하고 취소하기' : 'Place and cancel orders' },
      ],
    });
    await createApi(deps, operator, {
      id: 'billing',
      identifier: 'https://billing.example.com',
      name: 'Billing',
      scopes: [{ name: 'billing:read', description: '' }],
    });
    await createRole(deps, operator, { name: 'shopper', grants: ['orders:orders:read', 'orders:orders:write', 'billing:billing:read'] });
    await createClient(deps, operator, {
      id: 'printer',
      name: 'Receipt Printer',
      grants: ['authorization_code'],
      redirectUris: ['http://127.0.0.1/callback'],
      thirdParty: true,
      apis: ['orders', 'billing'],
    });
    const alice = await createUser(deps, operator, { username: 'alice', password: alicePassword });
    await setUserRoles(deps, operator, alice.id, ['shopper']);

    const context = await (await testBrowser()).newContext({ viewport, locale: locale === 'ko' ? 'ko-KR' : 'en-US' });
    const page = await context.newPage();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'printer',
      redirect_uri: callback.url,
      scope: 'openid orders:read orders:write billing:read',
      state: 's',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
    query.append('resource', 'https://orders.example.com');
    query.append('resource', 'https://billing.example.com');
    await page.goto(`${server.url}/authorize?${query}`);
    await page.locator('#username').fill('alice');
    await page.locator('#password').fill(alicePassword);
    await page.locator('#password').press('Enter');
    await page.waitForURL(`${server.url}/login`);
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(
      locale === 'ko' ? ['내 계정', 'Orders에서', 'Billing에서'] : ['Your account', 'In Orders', 'In Billing'],
    );
    await expect.poll(() => page.getByText(heading).count()).toBe(1);
    expect(await page.locator('.scope-text').allTextContents()).toContain(locale === 'ko' ? '주문 내역 보기' : 'See your orders');
    // A scope without a description says so, rather than showing nothing.
    expect(await page.locator('.scope-text').allTextContents()).toContain(locale === 'ko' ? '설명이 없습니다' : 'No description given');
    await expectAccessible(page);
    await saveScreenshot(page, file.replace(/\.png$/, ''));
    await page.getByRole('button', { name: locale === 'ko' ? '허용' : 'Allow' }).click();
    await page.waitForURL(`${callback.url}?**`);
  });
});
