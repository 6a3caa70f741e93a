import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { expectAccessible } from './axe.js';
import { browserMissing, testBrowser } from './harness.js';
import { enrollTotp, mfaSetup, startSignIn, totpCode, typePassword, virtualAuthenticator } from './second-factors-helpers.js';

describe.skipIf(browserMissing)('passkeys and the sign-in policy in Chromium', { timeout: 90_000 }, () => {
  it('registers a passkey on the security page through the virtual authenticator and signs in with it from the login page, without a password: amr hwk+user+mfa, acr mfa', async () => {
    const s = await mfaSetup();
    const context = await (await testBrowser()).newContext();
    const page = await context.newPage();
    const authenticator = await virtualAuthenticator(page);
    await page.goto(`${s.server.url}/account/security`);
    await typePassword(page);
    await page.waitForURL(`${s.server.url}/account/security`);
    await page.getByLabel('Name for the new passkey').fill('Laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect(page.locator('ul.passkeys li').first().textContent()).resolves.toContain('Laptop');
    expect(await authenticator.credentials()).toHaveLength(1);
    await expect(page.locator('#recovery-codes code').count()).resolves.toBe(10);
    await expectAccessible(page);

    // Signed out (no cookies, same authenticator): the login page asks for a passkey by conditional
    // mediation (the username field's autocomplete="username webauthn"); the virtual authenticator, which
    // answers at once, picks it, and the sign-in completes without a password.
    await context.clearCookies();
    const signIn = await startSignIn(s, page);
    const { claims } = await signIn.finish();
    expect(claims).toMatchObject({ sub: s.alice.id, amr: ['hwk', 'user', 'mfa'], acr: 'urn:tessera:mfa' });
  });

  it('steps up inside single sign-on: acr_values=urn:tessera:mfa asks the second factor again, without the password', async () => {
    const s = await mfaSetup();
    const browser = await testBrowser();
    const { secret } = await enrollTotp(s, await (await browser.newContext()).newPage());
    const page = await (await browser.newContext()).newPage();
    s.clock.advance(30);
    const first = await startSignIn(s, page);
    await typePassword(page);
    await page.getByLabel('Code from your authenticator app').fill(totpCode(s, secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    expect((await first.finish()).claims.acr).toBe('urn:tessera:mfa');

    // Single sign-on: no page at all without acr_values; with it, the code page (no password).
    const sso = await startSignIn(s, page);
    expect((await sso.finish()).claims.acr).toBe('urn:tessera:mfa');
    s.clock.advance(30);
    const stepUp = await startSignIn(s, page, { acr_values: 'urn:tessera:mfa' });
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Two-step verification');
    await expect(page.locator('#password').count()).resolves.toBe(0);
    await page.getByLabel('Code from your authenticator app').fill(totpCode(s, secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    expect((await stepUp.finish()).claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'urn:tessera:mfa' });
  });

  it('forces enrollment for a client registered with --require-mfa, then carries the sign-in on: amr pwd+otp+mfa', async () => {
    const s = await mfaSetup({ app: { requireMfa: true } });
    const page = await (await (await testBrowser()).newContext()).newPage();
    const signIn = await startSignIn(s, page);
    await typePassword(page);
    await page.waitForURL(`${s.server.url}/account/security?**`);
    await expect(page.getByText('A second factor is required to continue.').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.locator('#totp-secret').textContent())!;
    await page.getByLabel('Code from the app').fill(totpCode(s, secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('button', { name: /^Continue to / }).click();
    expect((await signIn.finish()).claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'urn:tessera:mfa' });
  });

  it('tessera users reset-factors removes every factor: users show lists none, and the next sign-in is by password alone (amr pwd, acr pwd)', async () => {
    const s = await mfaSetup();
    const browser = await testBrowser();
    await enrollTotp(s, await (await browser.newContext()).newPage());
    const shown = JSON.parse((await cli(s.server.deps, ['users', 'show', 'alice', '--json'])).stdout);
    expect(shown.factors).toEqual({ totp: true, recovery_codes_left: 10, passkeys: [] });

    expect(await cli(s.server.deps, ['users', 'reset-factors', 'alice'])).toEqual({
      code: 0,
      stdout: 'removed 11 factor(s) and passkey(s) of alice\n',
      stderr: '',
    });
    expect(JSON.parse((await cli(s.server.deps, ['users', 'show', 'alice', '--json'])).stdout).factors).toEqual({
      totp: false,
      recovery_codes_left: 0,
      passkeys: [],
    });
    const audit = await s.server.deps.store.listAuditEvents({ limit: 5, type: 'factors.reset' });
    expect(audit.items.map((e) => e.details)).toEqual([{ removed: 11 }]);

    const page = await (await browser.newContext()).newPage();
    const signIn = await startSignIn(s, page);
    await typePassword(page);
    expect((await signIn.finish()).claims).toMatchObject({ amr: ['pwd'], acr: 'urn:tessera:pwd' });
  });
});
