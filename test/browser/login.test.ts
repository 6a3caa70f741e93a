import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { createUser } from '../../src/services/users.js';
import { authorizeQuery, pkce } from '../helpers/authorize.js';
import { alicePassword } from '../helpers/fixtures.js';
import { basic, form, testServer } from '../helpers/server.js';
import { browserMissing, callbackServer, testBrowser } from './harness.js';

const operator = { name: 'cli' };

/** Tessera over HTTP, a third-party and a first-party app whose redirect URI is the callback server, and alice. */
async function setup() {
  const server = await testServer({ env: { LOGIN_TITLE: 'Acme' } });
  const callback = await callbackServer();
  const partner = await createClient(server.deps, operator, {
    id: 'photo-printer',
    grants: ['authorization_code'],
    scopes: ['read'],
    redirectUris: ['http://127.0.0.1/callback'],
    thirdParty: true,
  });
  await createClient(server.deps, operator, {
    id: 'acme-web',
    public: true,
    grants: ['authorization_code'],
    scopes: ['read'],
    redirectUris: ['http://127.0.0.1/callback'],
  });
  await createUser(server.deps, operator, { username: 'alice', password: alicePassword });
  const authorizeUrl = (clientId: string, challenge: string, state: string) =>
    `${server.url}${authorizeQuery({ response_type: 'code', client_id: clientId, redirect_uri: callback.url, scope: 'openid read', state, code_challenge: challenge, code_challenge_method: 'S256' })}`;
  return { server, callback, partnerSecret: partner.secret!, authorizeUrl };
}

describe.skipIf(browserMissing)('the hosted pages in Chromium', () => {
  it('signs in, approves consent for a third-party app, reaches the callback, and the code is exchanged; a second app skips the password and exchanges its code from the page', async () => {
    const { server, callback, partnerSecret, authorizeUrl } = await setup();
    const context = await (await testBrowser()).newContext();
    const page = await context.newPage();
    const v = pkce();

    await page.goto(authorizeUrl('photo-printer', v.challenge, 'first'));
    expect(await page.title()).toBe('Sign in · Acme');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(alicePassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await page.waitForURL(/\/login$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Allow photo-printer to access your account?');
    await page.locator('button[name="decision"][value="allow"]').click();

    await page.waitForURL(`${callback.url}?**`);
    const landed = callback.hits.at(-1)!;
    expect(Object.fromEntries(landed.searchParams)).toEqual({ code: expect.any(String), state: 'first', iss: server.url });
    const tokens = await server.fetch('/token', {
      ...form({ grant_type: 'authorization_code', code: landed.searchParams.get('code')!, redirect_uri: callback.url, code_verifier: v.verifier }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('photo-printer', partnerSecret) },
    });
    expect(tokens.status).toBe(200);
    expect(await tokens.json()).toMatchObject({ scope: 'openid read', id_token: expect.any(String), refresh_token: expect.any(String) });

    // Same browser, a first-party app: no password, no consent, straight back with a code, which the
    // page itself exchanges across origins (the app at the callback's port, Tessera at another).
    const spa = pkce();
    await page.goto(authorizeUrl('acme-web', spa.challenge, 'second'));
    await page.waitForURL(`${callback.url}?**`);
    expect(callback.hits.at(-1)!.searchParams.get('state')).toBe('second');
    expect(callback.hits).toHaveLength(2);
    const exchanged = await page.evaluate(
      async ({ tokenUrl, verifier, redirectUri }) => {
        const code = new URL(location.href).searchParams.get('code')!;
        const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: 'acme-web', code, redirect_uri: redirectUri, code_verifier: verifier });
        const res = await fetch(tokenUrl, { method: 'POST', body });
        return { status: res.status, body: await res.json() };
      },
      { tokenUrl: `${server.url}/token`, verifier: spa.verifier, redirectUri: callback.url },
    );
    expect(exchanged).toMatchObject({ status: 200, body: { token_type: 'Bearer', scope: 'openid read', id_token: expect.any(String) } });
    const info = await page.evaluate(async ({ userinfoUrl, token }) => (await fetch(userinfoUrl, { headers: { authorization: `Bearer ${token}` } })).json(), {
      userinfoUrl: `${server.url}/userinfo`,
      token: exchanged.body.access_token as string,
    });
    // Without scope profile, no profile claims: the id of who signed in (issue 24 item 7).
    expect(info).toEqual({ sub: expect.stringMatching(/^usr_/) });
  });

  it('shows the error on a wrong password, keeps the username, and sends no code', async () => {
    const { callback, authorizeUrl } = await setup();
    const page = await (await (await testBrowser()).newContext()).newPage();
    await page.goto(authorizeUrl('acme-web', pkce().challenge, 's'));
    // Keyboard only: the username field has focus, Tab moves to the password, Enter submits.
    await page.waitForFunction(() => document.activeElement?.id === 'username');
    await page.keyboard.type('alice');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The username or password is incorrect.');
    expect(await page.getByLabel('Username').inputValue()).toBe('alice');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
    expect(callback.hits).toEqual([]);
  });

  it('fits a phone screen without sideways scrolling, and loads nothing from elsewhere', async () => {
    const { server, authorizeUrl } = await setup();
    const context = await (await testBrowser()).newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(authorizeUrl('acme-web', pkce().challenge, 's'));
    // Against the screen's width: with isMobile, Chromium widens window.innerWidth to whatever the page overflows to.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const button = await page.getByRole('button', { name: 'Sign in', exact: true }).boundingBox();
    expect(button!.height).toBeGreaterThanOrEqual(44);
    expect(requested.every((url) => url.startsWith(server.url))).toBe(true);
    expect(requested.some((url) => url.includes('/assets/tessera.css'))).toBe(true);
  });
});
