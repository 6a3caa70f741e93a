import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { authorizeQuery, browser, pkce, seedBrowserApps, spaRequest } from '../helpers/authorize.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { testServer } from '../helpers/server.js';

// What the hosted pages say to a person: the application's name, the scopes in words, errors they can act on.

async function setup() {
  const server = await testServer({ env: { LOGIN_TITLE: 'Acme' } });
  await seedBrowserApps(server.deps);
  await createClient(
    server.deps,
    { name: 'cli' },
    {
      id: 'photo-printer',
      name: 'Photo Printer',
      logoUri: 'https://photos.example/logo.png',
      grants: ['authorization_code'],
      scopes: ['photos.read', 'constructor'],
      redirectUris: ['https://photos.example/callback'],
      thirdParty: true,
    },
  );
  const b = browser(server.fetch);
  const photoRequest = (scope: string) =>
    authorizeQuery({
      response_type: 'code',
      client_id: 'photo-printer',
      redirect_uri: 'https://photos.example/callback',
      scope,
      state: 's',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
  return { ...server, browser: b, photoRequest };
}

describe('the hosted pages', () => {
  it('call the application by its name on the login and consent pages, and load no logo from its site', async () => {
    const s = await setup();
    const login = await s.browser.get(s.photoRequest('openid email photos.read'));
    const loginHtml = await login.clone().text();
    expect(loginHtml).toContain('to continue to <strong>Photo Printer</strong>');
    const consent = await (await s.browser.login(login)).text();
    expect(consent).toContain('Allow <span class="client">Photo Printer</span> to access your account?');
    for (const html of [loginHtml, consent]) {
      expect(html).not.toContain('photo-printer');
      expect(html).not.toContain('<img');
    }
    // A client without a name is called by its id.
    expect(await (await s.browser.get(spaRequest(pkce().challenge, { prompt: 'login' }))).text()).toContain('to continue to <strong>spa</strong>');
  });

  it('describe the scopes Tessera knows in plain words and show the application’s own scopes by name only', async () => {
    const s = await setup();
    const consent = await (await s.browser.login(await s.browser.get(s.photoRequest('openid email photos.read constructor')))).text();
    const items = [...consent.matchAll(/<li><span>(.*?)<\/span><\/li>/g)].map((m) => m[1]);
    expect(items).toEqual([
      '<span class="scope-name">Know it is you</span><span class="scope-text">It learns which account you signed in with here.</span>',
      '<span class="scope-name">See your e-mail address</span><span class="scope-text">And whether it has been confirmed.</span>',
      '<span class="scope-name">photos.read</span>',
      '<span class="scope-name">constructor</span>',
    ]);
  });

  it('explain an error in a person’s words, keep the developer’s detail apart, show the request id to report, and link nowhere', async () => {
    const s = await setup();
    const res = await s.fetch(spaRequest(pkce().challenge, { redirect_uri: 'https://evil.example/' }), { headers: { 'x-request-id': 'req-4711' } });
    expect(res.status).toBe(400);
    await expectMatchesSpec(res.clone(), { method: 'get', path: '/authorize' });
    const html = await res.text();
    expect(html).toContain('<h1>This request cannot be completed</h1>');
    expect(html).toContain(
      '<p class="alert" role="alert">The application that sent you here asked for something we cannot do, so nothing has changed. Go back to the application and try again. If it happens again, tell the people who run it.</p>',
    );
    expect(html).toContain(
      '<p class="detail">For the application’s developer: <span class="detail-text">the redirect_uri is not one registered for this application</span></p>',
    );
    expect(html).toContain('<p class="reference">If you ask for help, give this reference: <code>req-4711</code></p>');
    expect(html).not.toContain('<a ');

    const forged = await s.browser.post('/consent', { decision: 'allow' });
    expect(forged.status).toBe(403);
    const forgedHtml = await forged.text();
    expect(forgedHtml).toContain('<h1>This page has expired</h1>');
    expect(forgedHtml).toContain(`<code>${forged.headers.get('x-request-id')}</code>`);
  });

  it('serve an icon at /favicon.ico, cached, and link it from every page', async () => {
    const s = await setup();
    const icon = await s.fetch('/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('public, max-age=86400');
    await expectMatchesSpec(icon.clone(), { method: 'get', path: '/favicon.ico' });
    expect(await icon.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const path of [spaRequest(pkce().challenge), '/logout', spaRequest(pkce().challenge, { client_id: 'nobody' })]) {
      expect(await (await s.fetch(path)).text()).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.ico"/>');
    }
  });
});
