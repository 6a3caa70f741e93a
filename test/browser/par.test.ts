import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { createUser } from '../../src/services/users.js';
import { authorizeQuery, pkce } from '../helpers/authorize.js';
import { assertion, assertionFields, clientKey, jwksOf } from '../helpers/client-keys.js';
import { alicePassword } from '../helpers/fixtures.js';
import { form, testServer } from '../helpers/server.js';
import { expectAccessible } from './axe.js';
import { browserMissing, callbackServer, testBrowser } from './harness.js';

// The hosted pages behind PAR (RFC 9126): the browser carries only client_id and request_uri, and the login and
// consent pages are the same as without it.

describe.skipIf(browserMissing)('the hosted pages behind PAR, in Chromium', () => {
  it('signs in and approves consent for a third-party client that pushed its request with private_key_jwt, and the code is exchanged', async () => {
    const server = await testServer({ env: { LOGIN_TITLE: 'Acme' } });
    const callback = await callbackServer();
    const key = await clientKey('bank-1');
    await createClient(
      server.deps,
      { name: 'cli' },
      {
        id: 'bank',
        name: 'Bank',
        grants: ['authorization_code'],
        scopes: ['read'],
        redirectUris: ['http://127.0.0.1/callback'],
        thirdParty: true,
        jwks: jwksOf(key),
        requirePar: true,
      },
    );
    await createUser(server.deps, { name: 'cli' }, { username: 'alice', password: alicePassword });
    const signed = async () => assertionFields(await assertion(key, 'bank', server.url, server.deps.clock.now()));
    const v = pkce();
    const pushed = await server.fetch(
      '/par',
      form({
        response_type: 'code',
        client_id: 'bank',
        redirect_uri: callback.url,
        scope: 'openid read',
        state: 'pushed',
        code_challenge: v.challenge,
        code_challenge_method: 'S256',
        ...(await signed()),
      }),
    );
    expect(pushed.status).toBe(201);
    const { request_uri } = await pushed.json();

    const page = await (await (await testBrowser()).newContext()).newPage();
    await page.goto(`${server.url}${authorizeQuery({ client_id: 'bank', request_uri })}`);
    expect(await page.title()).toBe('Sign in · Acme');
    await expectAccessible(page);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(alicePassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/login$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Allow Bank to access your account?');
    await expectAccessible(page);
    await page.locator('button[name="decision"][value="allow"]').click();

    await page.waitForURL(`${callback.url}?**`);
    const landed = callback.hits.at(-1)!;
    expect(Object.fromEntries(landed.searchParams)).toEqual({ code: expect.any(String), state: 'pushed', iss: server.url });
    const tokens = await server.fetch(
      '/token',
      form({
        grant_type: 'authorization_code',
        code: landed.searchParams.get('code')!,
        redirect_uri: callback.url,
        code_verifier: v.verifier,
        ...(await signed()),
      }),
    );
    expect(tokens.status).toBe(200);
    expect(await tokens.json()).toMatchObject({ scope: 'openid read', id_token: expect.any(String) });
  });
});
