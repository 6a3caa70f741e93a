import { describe, expect, it } from 'vitest';
import { authorizeQuery, browserAppsServer, partnerRedirect, pkce, spaRequest } from '../helpers/authorize.js';
import { expectMatchesSpec } from '../helpers/openapi.js';

// The hosted pages in English and Korean: ui_locales of the request, then Accept-Language, then the first of LOGIN_LOCALES.

describe('the languages of the hosted pages', () => {
  it('answers the login page in Korean for ui_locales=ko, with <html lang="ko">, and keeps the language after a failed sign-in', async () => {
    const s = await browserAppsServer();
    const page = await s.browser.get(spaRequest(pkce().challenge, { ui_locales: 'ko en' }));
    await expectMatchesSpec(page.clone(), { method: 'get', path: '/authorize' });
    const html = await page.clone().text();
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain('<h1>로그인</h1>');
    expect(html).toContain('<label for="password">비밀번호</label>');
    const failed = await (await s.browser.login(page, 'alice', 'not the password')).text();
    expect(failed).toContain('아이디 또는 비밀번호가 올바르지 않습니다.');
    expect(failed).toContain('<html lang="ko">');
  });

  it('follows Accept-Language when the request has no ui_locales, and ui_locales before it', async () => {
    const s = await browserAppsServer();
    const ko = await s.fetch(spaRequest(pkce().challenge), { headers: { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5' } });
    expect(await ko.text()).toContain('<html lang="ko">');
    const en = await s.fetch(spaRequest(pkce().challenge, { ui_locales: 'en' }), { headers: { 'accept-language': 'ko' } });
    const html = await en.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('to continue to <strong>spa</strong>');
  });

  it('falls back to the first of LOGIN_LOCALES, offers only those, and lists them in the discovery document', async () => {
    const s = await browserAppsServer({ env: { LOGIN_LOCALES: 'ko' } });
    expect(await (await s.fetch(spaRequest(pkce().challenge), { headers: { 'accept-language': 'fr, en;q=0.5' } })).text()).toContain('<html lang="ko">');
    const metadata = await (await s.fetch('/.well-known/openid-configuration')).json();
    expect(metadata.ui_locales_supported).toEqual(['ko']);
  });

  it('asks consent in Korean for a third-party application, its scopes in Korean words', async () => {
    const s = await browserAppsServer();
    const login = await s.browser.get(
      authorizeQuery({
        response_type: 'code',
        client_id: 'partner',
        redirect_uri: partnerRedirect,
        scope: 'openid read',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
        ui_locales: 'ko',
      }),
    );
    const consent = await (await s.browser.login(login)).text();
    expect(consent).toContain('<html lang="ko">');
    expect(consent).toContain('<span class="scope-name">본인 확인</span>');
    expect(consent).toContain('value="allow" class="button primary">허용</button>');
  });

  it('writes an error page in the language of Accept-Language', async () => {
    const s = await browserAppsServer();
    const res = await s.fetch(spaRequest(pkce().challenge, { redirect_uri: 'https://evil.example/' }), { headers: { 'accept-language': 'ko' } });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain('<h1>요청을 처리할 수 없습니다</h1>');
  });

  it('refuses a ui_locales longer than 256 characters with invalid_request', async () => {
    const s = await browserAppsServer();
    const res = await s.browser.get(spaRequest(pkce().challenge, { ui_locales: 'x'.repeat(257) }));
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });
});
