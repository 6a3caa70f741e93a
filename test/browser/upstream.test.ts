import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { authorizeQuery, pkce } from '../helpers/authorize.js';
import { form, testServer } from '../helpers/server.js';
import { addTestProvider, realUpstream } from '../helpers/upstream.js';
import { browserMissing, callbackServer, testBrowser } from './harness.js';

// Sign-in with an upstream provider in Chromium: the app sends the browser to Tessera, the user
// chooses "Continue with Example ID", signs in at node-oidc-provider (its development login) and is
// back at the app with a code.

async function setup() {
  const server = await testServer({ env: { LOGIN_TITLE: 'Acme' } });
  const callback = await callbackServer();
  await createClient(
    server.deps,
    { name: 'cli' },
    { id: 'acme-web', public: true, grants: ['authorization_code'], scopes: ['read'], redirectUris: ['http://127.0.0.1/callback'] },
  );
  const upstream = await realUpstream(`${server.url}/upstream/idp/callback`);
  await addTestProvider(server.deps, upstream.issuer);
  const v = pkce();
  const authorizeUrl = `${server.url}${authorizeQuery({ response_type: 'code', client_id: 'acme-web', redirect_uri: callback.url, scope: 'openid read', state: 'via-idp', code_challenge: v.challenge, code_challenge_method: 'S256' })}`;
  const page = await (await (await testBrowser()).newContext()).newPage();
  return { server, callback, upstream, verifier: v.verifier, authorizeUrl, page };
}

describe.skipIf(browserMissing)('sign-in with an upstream provider in Chromium', () => {
  it('continues with the provider, signs in and approves there, and comes back to the app with a code that gives tokens', async () => {
    const { server, callback, upstream, verifier, authorizeUrl, page } = await setup();
    await page.goto(authorizeUrl);
    expect(await page.title()).toBe('Sign in · Acme');
    await page.getByRole('link', { name: 'Continue with Example ID' }).click();

    await page.waitForURL(`${upstream.issuer}/interaction/**`);
    await page.locator('input[name="login"]').fill('bob');
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${upstream.issuer}/interaction/**`);
    await page.locator('button[type="submit"]').click(); // the provider's consent

    await page.waitForURL(`${callback.url}?**`);
    const landed = callback.hits.at(-1)!;
    expect(Object.fromEntries(landed.searchParams)).toEqual({ code: expect.any(String), state: 'via-idp', iss: server.url });
    const tokens = await server.fetch(
      '/token',
      form({
        grant_type: 'authorization_code',
        client_id: 'acme-web',
        code: landed.searchParams.get('code')!,
        redirect_uri: callback.url,
        code_verifier: verifier,
      }),
    );
    expect(tokens.status).toBe(200);
    const bob = (await server.deps.store.findUserByUsername('bob'))!;
    expect((await server.deps.store.listFamilies({ userId: bob.id, limit: 5 })).items.map((f) => f.provider)).toEqual(['idp']);

    // Signed in at Tessera now: the same app again goes straight back, no provider and no password.
    await page.goto(authorizeUrl.replace('via-idp', 'again'));
    await page.waitForURL(`${callback.url}?**`);
    expect(callback.hits.at(-1)!.searchParams.get('state')).toBe('again');
  });

  it("cancelling at the provider comes back to Tessera's login page with a message, and no code", async () => {
    const { server, callback, upstream, authorizeUrl, page } = await setup();
    await page.goto(authorizeUrl);
    await page.getByRole('link', { name: 'Continue with Example ID' }).click();
    await page.waitForURL(`${upstream.issuer}/interaction/**`);
    await page.getByRole('link', { name: /Cancel/i }).click();

    await page.waitForURL(`${server.url}/upstream/idp/callback?**`);
    expect(await page.title()).toBe('Sign in · Acme');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Signing in with Example ID was cancelled. Choose how to sign in.');
    await expect(page.getByLabel('Username').isVisible()).resolves.toBe(true);
    expect(callback.hits).toEqual([]);
    expect((await server.deps.store.listUsers({ limit: 5 })).items).toEqual([]);
  });
});
