import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/users.js';
import { browser, hiddenFields, pkce, redirectParams, seedBrowserApps, spaRedirect, spaRequest } from '../helpers/authorize.js';
import { alicePassword } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { form, testServer } from '../helpers/server.js';

/** Tessera with the browser apps, and a browser in which alice is signed in (to spa). */
async function signedIn() {
  const server = await testServer({ env: { LOGIN_TITLE: 'Acme' } });
  await seedBrowserApps(server.deps);
  const b = browser(server.fetch);
  const v = pkce();
  const { code } = redirectParams(await b.login(await b.get(spaRequest(v.challenge, { scope: 'openid read' }))));
  /** Whether a new authorization in this browser goes through without the password. */
  const stillSignedIn = async () => (await b.get(spaRequest(pkce().challenge))).status === 303;
  const tokens = async () => {
    const res = await server.fetch(
      '/token',
      form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect, code_verifier: v.verifier }),
    );
    return (await res.json()) as { id_token: string; refresh_token: string };
  };
  return { ...server, browser: b, stillSignedIn, tokens };
}

describe('/logout without id_token_hint', () => {
  it('asks a signed-in user to confirm, and signs them out only when they do', async () => {
    const s = await signedIn();
    const asked = await s.browser.get('/logout');
    expect(asked.status).toBe(200);
    expect(asked.headers.get('set-cookie') ?? '').not.toMatch(/tessera-session/);
    expect(asked.headers.get('content-security-policy')).toContain("form-action 'self';");
    await expectMatchesSpec(asked.clone(), { method: 'get', path: '/logout' });
    const html = await asked.text();
    expect(html).toContain('<h1>Sign out of Acme?</h1>');
    expect(html).toContain('<button type="submit" name="confirm" value="yes" class="button primary">Sign out</button>');
    expect(await s.stillSignedIn()).toBe(true);

    const answered = await s.browser.post('/logout', { ...hiddenFields(html), confirm: 'yes' });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('set-cookie')).toMatch(/^__Host-tessera-session=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    expect(await answered.clone().text()).toContain('<h1>You are signed out</h1>');
    await expectMatchesSpec(answered, { method: 'post', path: '/logout' });
    expect(await s.stillSignedIn()).toBe(false);
  });

  it('refuses a confirmation without this browser’s CSRF token, and the user stays signed in', async () => {
    const s = await signedIn();
    const csrf = hiddenFields(await (await s.browser.get('/logout')).text()).csrf_token!;
    for (const forged of [
      { confirm: 'yes' } as Record<string, string>,
      { confirm: 'yes', csrf_token: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` },
    ]) {
      const res = await s.browser.post('/logout', forged);
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie') ?? '').not.toMatch(/tessera-session/);
      await expectMatchesSpec(res, { method: 'post', path: '/logout' });
    }
    expect(await s.stillSignedIn()).toBe(true);
    // A client's form post without a hint is asked about like a link.
    expect((await s.browser.post('/logout', { client_id: 'spa' })).status).toBe(200);
    expect(await s.stillSignedIn()).toBe(true);
  });

  it('carries client_id, post_logout_redirect_uri and state through the confirmation to the redirect', async () => {
    const s = await signedIn();
    const query = new URLSearchParams({ client_id: 'spa', post_logout_redirect_uri: 'https://spa.example/bye', state: 'bye' });
    const asked = await s.browser.get(`/logout?${query}`);
    expect(asked.headers.get('content-security-policy')).toContain("form-action 'self' https://spa.example;");
    const html = await asked.text();
    expect(html).toContain('<strong>spa</strong> asks to sign you out.');
    const fields = hiddenFields(html);
    expect(fields).toEqual({ csrf_token: expect.any(String), client_id: 'spa', post_logout_redirect_uri: 'https://spa.example/bye', state: 'bye' });
    const answered = await s.browser.post('/logout', { ...fields, confirm: 'yes' });
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe('https://spa.example/bye?state=bye');
    expect(await s.stillSignedIn()).toBe(false);
  });

  it('does not ask a browser that is not signed in, and offers the way back to the client', async () => {
    const s = await signedIn();
    const stranger = browser(s.fetch);
    const res = await stranger.get('/logout?client_id=spa');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>You are signed out</h1>');
    expect(html).toContain('<a class="button secondary" href="https://spa.example/bye">Back to spa</a>');
    expect(await (await stranger.get('/logout')).text()).toContain('You can close this window now.');
    expect(await s.stillSignedIn()).toBe(true);
  });
});

describe('/logout with id_token_hint', () => {
  it('signs out at once, revokes the session and redirects to the registered URI with the state', async () => {
    const s = await signedIn();
    const t = await s.tokens();
    const query = new URLSearchParams({ id_token_hint: t.id_token, post_logout_redirect_uri: 'https://spa.example/bye', state: 'bye' });
    const res = await s.browser.get(`/logout?${query}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://spa.example/bye?state=bye');
    await expectMatchesSpec(res, { method: 'get', path: '/logout' });
    expect(await s.deps.store.findFamily('fam_1')).toMatchObject({ revokeReason: 'logout' });
    expect(await s.stillSignedIn()).toBe(false);
  });

  // RP-Initiated Logout 1.0 §2: the OP must ask when the hint does not belong to the signed-in user. Anyone
  // can get an id_token of their own, so a hint alone is no sign that the request came from this user's app.
  it('asks the signed-in user first when the hint is another user’s id_token, and ends nobody’s session', async () => {
    const s = await signedIn();
    const { id: malloryId } = await createUser(s.deps, { name: 'cli' }, { username: 'mallory', password: alicePassword });
    const mallory = browser(s.fetch);
    const v = pkce();
    const { code } = redirectParams(await mallory.login(await mallory.get(spaRequest(v.challenge, { scope: 'openid' })), 'mallory'));
    const minted = await s.fetch(
      '/token',
      form({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: spaRedirect, code_verifier: v.verifier }),
    );
    const { id_token } = (await minted.json()) as { id_token: string };

    const query = new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: 'https://spa.example/bye' });
    const asked = await s.browser.get(`/logout?${query}`);
    expect(asked.status).toBe(200);
    expect(asked.headers.get('set-cookie') ?? '').not.toMatch(/tessera-session/);
    const html = await asked.text();
    expect(html).toContain('<h1>Sign out of Acme?</h1>');
    expect(await s.stillSignedIn()).toBe(true);
    expect((await s.deps.store.listFamilies({ userId: malloryId, limit: 10 })).items.map((f) => f.revokedAt)).toEqual([null]);

    // Answered, alice is signed out and sent where the hint's client registered.
    const answered = await s.browser.post('/logout', { ...hiddenFields(html), confirm: 'yes' });
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe('https://spa.example/bye');
    expect(await s.stillSignedIn()).toBe(false);
  });
});
