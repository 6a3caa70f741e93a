import { Auth, type AuthConfig } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { createUser, updateUser } from '../../src/services/users.js';
import { browser } from '../helpers/authorize.js';
import { fixedClock } from '../helpers/clock.js';
import { testServer } from '../helpers/server.js';

// Issue 24 items 7 and 8: Auth.js (@auth/core) with its default OpenID Connect provider configuration
// (scope "openid profile email", client_secret_basic, PKCE, the profile read from the id_token) signs a
// user in to an app through Tessera's hosted login, over real HTTP, and the app's session shows the
// user's name and address.

const operator = { name: 'cli' };
const app = 'https://app.example';
const password = 'a long enough password';

/** The app's side: Auth.js handling /api/auth/* requests, with a cookie jar standing in for the browser's cookies for the app. */
function authJsApp(config: AuthConfig) {
  const jar = new Map<string, string>();
  return async (path: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const headers = new Headers();
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    if (init.form) headers.set('content-type', 'application/x-www-form-urlencoded');
    const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
    const res = await Auth(new Request(`${app}${path}`, { method: init.method ?? 'GET', headers, body }), config);
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(pair!.slice(0, eq));
      else jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  };
}

describe('Auth.js with its default OpenID Connect provider', () => {
  it('signs in through the hosted login and shows the name and e-mail from the id_token', async () => {
    // Auth.js checks the id_token against the real time, so Tessera's clock starts at it.
    const server = await testServer({ clock: fixedClock(Math.floor(Date.now() / 1000)) });
    // No client scope: openid, profile and email need none.
    const { secret } = await createClient(server.deps, operator, {
      id: 'authjs-app',
      grants: ['authorization_code', 'refresh_token'],
      scopes: [],
      redirectUris: [`${app}/api/auth/callback/tessera`],
    });
    const alice = await createUser(server.deps, operator, { username: 'alice', password, email: 'alice@example.com', emailVerified: true });
    await updateUser(server.deps, operator, alice.id, { name: 'Alice Kim', picture: 'https://images.example.com/alice.png' });

    const authjs = authJsApp({
      providers: [{ id: 'tessera', name: 'Tessera', type: 'oidc', issuer: server.url, clientId: 'authjs-app', clientSecret: secret! }],
      secret: 'an Auth.js secret of at least thirty-two characters',
      trustHost: true,
      basePath: '/api/auth',
    });

    // The user presses "Sign in with Tessera" in the app.
    const { csrfToken } = await (await authjs('/api/auth/csrf')).json();
    const start = await authjs('/api/auth/signin/tessera', { method: 'POST', form: { csrfToken, callbackUrl: `${app}/` } });
    expect(start.status).toBe(302);
    const authorizeUrl = new URL(start.headers.get('location')!);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${server.url}/authorize`);
    expect(authorizeUrl.searchParams.get('scope')).toBe('openid profile email');

    // At Tessera: the hosted login, then back to the app with a code.
    const b = browser(server.fetch);
    const page = await b.get(`${authorizeUrl.pathname}${authorizeUrl.search}`);
    expect(page.status).toBe(200);
    const back = await b.login(page, 'alice', password);
    expect(back.status).toBe(303);
    const callback = new URL(back.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${app}/api/auth/callback/tessera`);

    // The app exchanges the code (client_secret_basic), validates the id_token, and starts its session.
    const done = await authjs(`${callback.pathname}${callback.search}`);
    expect([done.status, done.headers.get('location')]).toEqual([302, `${app}/`]);
    const session = await (await authjs('/api/auth/session')).json();
    expect(session).toEqual({
      user: { name: 'Alice Kim', email: 'alice@example.com', image: 'https://images.example.com/alice.png' },
      expires: expect.any(String),
    });
  });
});
