import { expect } from 'vitest';
import { browser, hiddenFields, pkce, redirectParams, seedBrowserApps, spaRedirect, spaRequest } from './authorize.js';
import { alicePassword } from './fixtures.js';
import { form, testServer } from './server.js';

/** A server with the browser apps (the spa may have scope `account`) and alice. */
export async function accountServer(options: Parameters<typeof testServer>[0] = {}) {
  const server = await testServer(options);
  const seeded = await seedBrowserApps(server.deps, { spa: { scopes: ['read', 'write', 'account'] } });
  return { ...server, ...seeded, browser: () => browser(server.fetch) };
}

type AccountServer = Awaited<ReturnType<typeof accountServer>>;
type Browser = ReturnType<typeof browser>;

/** Signs `b` in to the spa through the hosted login (as `username`) and redeems the code: the spa's tokens of this browser. */
export async function spaSignIn(s: AccountServer, b: Browser, { scope = 'openid account', username = 'alice', password = alicePassword } = {}) {
  const v = pkce();
  const page = await b.get(spaRequest(v.challenge, { scope }));
  const next = page.status === 200 ? await b.login(page, username, password) : page;
  const { code } = redirectParams(next);
  const res = await s.fetch(
    '/token',
    form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect, code_verifier: v.verifier }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; refresh_token: string; id_token: string };
}

/** Signs `b` in at /account/login. */
export async function accountSignIn(b: Browser, username = 'alice', password = alicePassword) {
  const page = await b.get('/account/login');
  const res = await b.post('/account/login', { ...hiddenFields(await page.text()), username, password });
  expect(res.status).toBe(303);
  return res;
}

/** Submits a form of the account page with this browser's CSRF token (the one its forms carry), plus `fields`. */
export async function accountPost(b: Browser, action: string, fields: Record<string, string> = {}) {
  if (!b.jar.has('__Host-tessera-csrf')) await b.get('/account/login');
  return b.post(action, { csrf_token: b.jar.get('__Host-tessera-csrf') ?? '', ...fields });
}

export const refreshWith = (s: AccountServer, refreshToken: string) =>
  s.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: refreshToken }));
