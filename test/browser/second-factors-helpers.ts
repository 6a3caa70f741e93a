import * as oidc from 'openid-client';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { createClient, type NewClient } from '../../src/services/clients.js';
import { createUser } from '../../src/services/users.js';
import { fixedClock } from '../helpers/clock.js';
import { alicePassword } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';
import { callbackServer } from './harness.js';

// Tessera on http://localhost:PORT (WebAuthn refuses IP addresses), its clock at the real time so that
// openid-client's id_token checks hold, a first-party app whose redirect URI is the callback server, and alice.

export async function mfaSetup(options: { env?: Record<string, string>; app?: Partial<NewClient> } = {}) {
  const clock = fixedClock(Math.floor(Date.now() / 1000));
  const server = await testServer({ localhost: true, clock, env: { LOGIN_TITLE: 'Acme', ...options.env } });
  const callback = await callbackServer();
  await createClient(
    server.deps,
    { name: 'cli' },
    {
      id: 'acme-web',
      public: true,
      grants: ['authorization_code'],
      scopes: ['read'],
      redirectUris: ['http://127.0.0.1/callback'],
      ...options.app,
    },
  );
  const alice = await createUser(server.deps, { name: 'cli' }, { username: 'alice', password: alicePassword });
  const config = await oidc.discovery(new URL(server.url), 'acme-web', undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  return { server, callback, clock, alice, config };
}

export type MfaSetup = Awaited<ReturnType<typeof mfaSetup>>;

/** A TOTP code for `secret` at the server's clock, `steps` 30-second steps away. */
export function totpCode(s: MfaSetup, secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: s.clock.now().getTime() + steps * 30_000,
  });
}

/** Starts an authorization request in `page` through openid-client; `finish` exchanges the code and returns the id_token's claims. */
export async function startSignIn(s: MfaSetup, page: Page, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(s.config, {
    redirect_uri: s.callback.url,
    scope: 'openid read',
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  await page.goto(url.href);
  return {
    async finish() {
      await page.waitForURL(`${s.callback.url}?**`);
      const tokens = await oidc.authorizationCodeGrant(s.config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
      return { claims: tokens.claims()!, accessToken: tokens.access_token };
    },
  };
}

/** Fills the login form, in whichever language the page is (its fields by id, its one password button by the form's action). */
export async function typePassword(page: Page, password = alicePassword) {
  await page.locator('#username').fill('alice');
  await page.locator('#password').fill(password);
  await page.locator('form[action="/login"] button[type="submit"]').click();
}

/** Signs in at /account/security (the page sends a browser without a session to the login first) and enrolls TOTP; returns the secret and the recovery codes. */
export async function enrollTotp(s: MfaSetup, page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto(`${s.server.url}/account/security`);
  await typePassword(page);
  await page.waitForURL(`${s.server.url}/account/security`);
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = (await page.locator('#totp-secret').textContent())!;
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Code from the app').fill(totpCode(s, secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByText('On: a code from your app is asked after your password.').count()).resolves.toBe(1);
  const recoveryCodes = await page.locator('#recovery-codes code').allTextContents();
  return { secret, recoveryCodes };
}

/** Chromium's virtual authenticator in `page`'s context (CTAP2, resident keys, user verification that succeeds). */
export async function virtualAuthenticator(page: Page): Promise<{ credentials(): Promise<unknown[]> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}
