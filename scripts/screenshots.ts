// npm run screenshots: renders the hosted login (with a "Continue with Google" provider), consent,
// logout confirmation and error pages and the /docs page in Chromium and saves them to
// docs/screenshots/ for the README. Runs a throwaway Tessera on a temporary SQLite file.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { buildDeps } from '../src/compose.js';
import { loadConfig } from '../src/config/load.js';
import { createApp } from '../src/http/app.js';
import { createClient } from '../src/services/clients.js';
import { storedSecret } from '../src/services/upstream/client.js';
import { createUser } from '../src/services/users.js';
import { launchChromium } from '../test/browser/harness.js';

const out = 'docs/screenshots';
const password = 'correct horse battery staple';

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-screenshots-'));
  const server = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ ISSUER: url, DATABASE_URL: `file:${join(dir, 'tessera.db')}`, LOGIN_TITLE: 'Acme', LOG_LEVEL: 'silent' });
  const deps = await buildDeps(config, pino({ level: 'silent' }));
  await deps.store.migrate();
  await deps.keys.refresh(deps.clock.now());
  const app = createApp(deps);

  const cli = { name: 'cli' };
  const redirectUris = ['https://photos.example/callback'];
  await createClient(deps, cli, {
    id: 'photo-printer',
    name: 'Photo Printer',
    grants: ['authorization_code'],
    scopes: ['photos.read', 'orders.write'],
    redirectUris,
    thirdParty: true,
  });
  await createUser(deps, cli, { username: 'alice', password, email: 'alice@example.com' });
  await createClient(deps, cli, { id: 'acme-mobile', name: 'Acme Mobile', public: true, grants: ['password', 'refresh_token'], scopes: ['account'] });
  // Two sessions on the account page: the mobile app on a phone and on a tablet.
  for (const userAgent of [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  ]) {
    const body = new URLSearchParams({ grant_type: 'password', client_id: 'acme-mobile', username: 'alice', password });
    await fetch(`${url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent }, body });
  }
  // Straight into the store: `providers add` would discover Google over the network, which a picture does not need.
  await deps.store.insertProvider({
    id: 'google',
    issuer: 'https://accounts.google.com',
    clientId: 'screenshot',
    clientSecret: storedSecret(config, 'google', 'screenshot'),
    name: 'Google',
    scope: 'openid email profile',
    signup: true,
    linkByEmail: false,
    allowTokenExchange: false,
    createdAt: Date.now(),
  });
  const authorize = `${url}/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: 'photo-printer',
    redirect_uri: redirectUris[0]!,
    scope: 'openid email photos.read orders.write',
    state: 'x',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  })}`;

  mkdirSync(out, { recursive: true });
  const browser = await launchChromium();
  try {
    const desktop = await (await browser.newContext({ viewport: { width: 960, height: 720 } })).newPage();
    await desktop.goto(authorize);
    await desktop.screenshot({ path: `${out}/login.png` });
    await desktop.getByLabel('Username').fill('alice');
    await desktop.getByLabel('Password').fill('wrong password');
    await desktop.getByRole('button', { name: 'Sign in', exact: true }).click();
    await desktop.waitForLoadState();
    await desktop.screenshot({ path: `${out}/login-error.png` });
    await desktop.getByLabel('Password').fill(password);
    await desktop.getByRole('button', { name: 'Sign in', exact: true }).click();
    await desktop.getByRole('button', { name: 'Allow' }).waitFor();
    await desktop.screenshot({ path: `${out}/consent.png`, fullPage: true });

    // Signed in now: /logout without an id_token_hint asks first.
    await desktop.goto(`${url}/logout?client_id=photo-printer`);
    await desktop.screenshot({ path: `${out}/logout.png` });
    // An unregistered redirect URI: the error page, with the request id to report.
    await desktop.goto(authorize.replace(encodeURIComponent(redirectUris[0]!), encodeURIComponent('https://elsewhere.example/callback')));
    await desktop.screenshot({ path: `${out}/error.png`, fullPage: true });

    // The API reference at /docs: one admin operation with its responses, their fields and examples.
    const wide = await (await browser.newContext({ viewport: { width: 1280, height: 1500 } })).newPage();
    await wide.goto(`${url}/docs#op-adminShowUser`);
    await wide.screenshot({ path: `${out}/docs.png` });

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })).newPage();
    await phone.goto(authorize);
    await phone.screenshot({ path: `${out}/login-phone.png` });

    // The Korean login page (Accept-Language ko), desktop and phone.
    const korean = await browser.newContext({ viewport: { width: 960, height: 720 }, locale: 'ko-KR' });
    const koDesktop = await korean.newPage();
    await koDesktop.goto(authorize);
    await koDesktop.screenshot({ path: `${out}/login-ko.png` });
    const koPhoneContext = await browser.newContext({
      viewport: { width: 390, height: 780 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      locale: 'ko-KR',
    });
    const koPhone = await koPhoneContext.newPage();
    await koPhone.goto(authorize);
    await koPhone.screenshot({ path: `${out}/login-ko-phone.png` });

    // The account page: alice signed in here (desktop) and on a phone, each in its language.
    for (const [name, context, page] of [
      ['account', desktop.context(), desktop],
      ['account-ko', korean, koDesktop],
      ['account-phone', phone.context(), phone],
      ['account-ko-phone', koPhoneContext, koPhone],
    ] as const) {
      if ((await context.cookies()).every((c) => c.name !== '__Host-tessera-session')) {
        await page.goto(`${url}/account/login`);
        await page.locator('#username').fill('alice');
        await page.locator('#password').fill(password);
        await page.locator('#password').press('Enter');
        await page.waitForURL(`${url}/account`);
      }
      await page.goto(`${url}/account`);
      await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    }
  } finally {
    await browser.close();
    server.close();
    await deps.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const name of [
    'login',
    'login-error',
    'consent',
    'logout',
    'error',
    'login-phone',
    'docs',
    'login-ko',
    'login-ko-phone',
    'account',
    'account-ko',
    'account-phone',
    'account-ko-phone',
  ])
    console.log(`${out}/${name}.png`);
}

main().catch((error: Error) => {
  console.error(`screenshots: ${error.message}`);
  process.exit(1);
});
