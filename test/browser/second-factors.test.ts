import { describe, expect, it } from 'vitest';
import { expectAccessible } from './axe.js';
import { browserMissing, saveScreenshot, testBrowser } from './harness.js';
import { enrollTotp, mfaSetup, startSignIn, totpCode, typePassword } from './second-factors-helpers.js';

describe.skipIf(browserMissing)('second factors in Chromium', { timeout: 60_000 }, () => {
  it('enrolls TOTP from the page’s secret; signs in with a generated code after the password (a wrong code and a used code refused); id_token amr pwd+otp, acr mfa', async () => {
    const s = await mfaSetup();
    const browser = await testBrowser();
    const account = await (await browser.newContext()).newPage();
    const { secret, recoveryCodes } = await enrollTotp(s, account);
    expect(recoveryCodes).toHaveLength(10);
    await expectAccessible(account);

    const page = await (await browser.newContext()).newPage();
    const signIn = await startSignIn(s, page);
    await typePassword(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Two-step verification');
    await expect(page.locator('#code').getAttribute('autocomplete')).resolves.toBe('one-time-code');
    await expectAccessible(page);
    await page.getByLabel('Code from your authenticator app').fill(totpCode(s, secret, 5));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('That code is not right');
    // The code that confirmed the enrollment was used already: refused.
    await page.getByLabel('Code from your authenticator app').fill(totpCode(s, secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('That code is not right');
    s.clock.advance(30);
    await page.getByLabel('Code from your authenticator app').fill(totpCode(s, secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    const { claims } = await signIn.finish();
    expect(claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'urn:tessera:mfa', auth_time: expect.any(Number) });
  });

  it('takes a recovery code once instead of the app’s code', async () => {
    const s = await mfaSetup();
    const browser = await testBrowser();
    const { recoveryCodes } = await enrollTotp(s, await (await browser.newContext()).newPage());
    const useCode = async (code: string) => {
      const page = await (await browser.newContext()).newPage();
      const signIn = await startSignIn(s, page);
      await typePassword(page);
      await page.getByText('Use a recovery code').click();
      await page.getByLabel('Recovery code').fill(code);
      await page.getByRole('button', { name: 'Use recovery code' }).click();
      return { page, signIn };
    };
    const first = await useCode(recoveryCodes[0]!);
    expect((await first.signIn.finish()).claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'urn:tessera:mfa' });
    const again = await useCode(recoveryCodes[0]!);
    await expect(again.page.getByRole('alert').textContent()).resolves.toContain('That code is not right');
  });
});

describe.skipIf(browserMissing)('the second-factor pages for a person', { timeout: 90_000 }, () => {
  it('pass axe-core in English and Korean, at desktop and phone width (the README screenshots)', async () => {
    const s = await mfaSetup();
    const browser = await testBrowser();
    const { secret } = await enrollTotp(s, await (await browser.newContext()).newPage());
    const shots: [string, { width: number; height: number }, string][] = [
      ['', { width: 960, height: 760 }, 'en-US'],
      ['-phone', { width: 390, height: 844 }, 'en-US'],
      ['-ko', { width: 960, height: 760 }, 'ko-KR'],
      ['-ko-phone', { width: 390, height: 844 }, 'ko-KR'],
    ];
    for (const [suffix, viewport, locale] of shots) {
      const page = await (await browser.newContext({ viewport, locale })).newPage();
      await startSignIn(s, page);
      await typePassword(page);
      await page.locator('#code').waitFor();
      await expectAccessible(page);
      await saveScreenshot(page, `second-step${suffix}`);
      s.clock.advance(30);
      await page.locator('#code').fill(totpCode(s, secret));
      await page.locator('#code').press('Enter');
      await page.waitForURL(`${s.callback.url}?**`);
      await page.goto(`${s.server.url}/account/security`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale.slice(0, 2));
      await expectAccessible(page);
      await saveScreenshot(page, `security${suffix}`);
    }
  });
});
