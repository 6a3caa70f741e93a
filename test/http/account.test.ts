import { describe, expect, it } from 'vitest';
import { accountPost, accountServer, accountSignIn, refreshWith, spaSignIn } from '../helpers/account.js';
import { hiddenFields } from '../helpers/authorize.js';
import { alicePassword } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';

// The account page over HTTP, as a browser without JavaScript uses it: sign in, see, change, end.

describe('GET /account and its forms', () => {
  it('sends a browser without a session to sign in first, and back to the page after', async () => {
    const s = await accountServer();
    const b = s.browser();
    const first = await b.get('/account');
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/account/login');
    const login = await b.get('/account/login');
    await expectMatchesSpec(login.clone(), { method: 'get', path: '/account/login' });
    const html = await login.text();
    expect(html).toContain('action="/account/login"');
    const failed = await b.post('/account/login', { ...hiddenFields(html), username: 'alice', password: 'wrong password' });
    expect(failed.status).toBe(400);
    expect(await failed.text()).toContain('The username or password is incorrect.');
    const signedIn = await b.post('/account/login', { ...hiddenFields(html), username: 'alice', password: alicePassword });
    expect(signedIn.headers.get('location')).toBe('/account');
    const page = await b.get('/account');
    await expectMatchesSpec(page.clone(), { method: 'get', path: '/account' });
    const account = await page.text();
    expect(account).toContain('<strong>alice</strong>');
    expect(account).toContain('alice@example.com<span class="badge ok">verified</span>');
    expect(account).toContain('href="/account/security"');
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
  });

  it('lists the sessions of two browsers, marks this one, and ends the other: its refresh token is then refused and it is on the revocation feed', async () => {
    const s = await accountServer();
    const [mine, other] = [s.browser(), s.browser()];
    const mineTokens = await spaSignIn(s, mine);
    const otherTokens = await spaSignIn(s, other);
    const html = await (await mine.get('/account')).text();
    const ids = [...html.matchAll(/data-session="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    expect(html.match(/This browser/g)).toHaveLength(1);
    const sessions = await (await s.fetch('/account/sessions', { headers: { authorization: `Bearer ${mineTokens.access_token}` } })).json();
    const otherId = sessions.sessions.find((x: { this_browser: boolean }) => !x.this_browser).id;

    const ended = await accountPost(mine, '/account/sessions/end', { session: otherId });
    expect(ended.status).toBe(303);
    expect(ended.headers.get('location')).toBe('/account?done=session_ended');
    expect((await refreshWith(s, otherTokens.refresh_token)).status).toBe(400);
    expect((await refreshWith(s, mineTokens.refresh_token)).status).toBe(200);
    const feed = await (await s.fetch('/revocations')).json();
    expect(JSON.stringify(feed)).toContain(otherId);
    // The other browser's sign-in ended with it: it is asked to sign in again.
    expect((await other.get('/account')).headers.get('location')).toBe('/account/login');
  });

  it('signs every other browser out, keeping this one', async () => {
    const s = await accountServer();
    const [mine, other] = [s.browser(), s.browser()];
    const mineTokens = await spaSignIn(s, mine);
    const otherTokens = await spaSignIn(s, other);
    expect((await accountPost(mine, '/account/sessions/end-others')).headers.get('location')).toBe('/account?done=others_ended');
    expect((await refreshWith(s, otherTokens.refresh_token)).status).toBe(400);
    expect((await refreshWith(s, mineTokens.refresh_token)).status).toBe(200);
  });

  it('changes the password with the current one, ends the other sessions and keeps this browser signed in', async () => {
    const s = await accountServer();
    const [mine, other] = [s.browser(), s.browser()];
    await accountSignIn(mine);
    const otherTokens = await spaSignIn(s, other);
    const wrong = await accountPost(mine, '/account/password', { current_password: 'not it', new_password: 'a brand new passphrase' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('The password is incorrect.');
    const weak = await accountPost(mine, '/account/password', { current_password: alicePassword, new_password: 'short' });
    expect(weak.status).toBe(400);
    const changed = await accountPost(mine, '/account/password', { current_password: alicePassword, new_password: 'a brand new passphrase' });
    expect(changed.headers.get('location')).toBe('/account?done=password_changed');
    expect((await mine.get('/account')).status).toBe(200);
    expect((await refreshWith(s, otherTokens.refresh_token)).status).toBe(400);
    expect((await other.get('/account')).headers.get('location')).toBe('/account/login');
  });

  it('asks the password again after 5 minutes before the e-mail or password changes, then stores the new address unverified', async () => {
    const s = await accountServer();
    const b = s.browser();
    await accountSignIn(b);
    s.deps.clock.advance(301);
    const page = await (await b.get('/account')).text();
    expect(page).toContain('href="/account/reauth"');
    expect(page).not.toContain('action="/account/email"');
    const asked = await accountPost(b, '/account/email', { email: 'new@example.com' });
    expect(asked.headers.get('location')).toBe('/account/reauth');
    const reauth = await b.get('/account/reauth');
    await expectMatchesSpec(reauth.clone(), { method: 'get', path: '/account/reauth' });
    const fields = hiddenFields(await reauth.text());
    expect((await b.post('/account/reauth', { ...fields, password: 'wrong' })).status).toBe(400);
    expect((await b.post('/account/reauth', { ...fields, password: alicePassword })).headers.get('location')).toBe('/account?done=reauthenticated');
    expect((await accountPost(b, '/account/email', { email: 'not an address' })).status).toBe(400);
    expect((await accountPost(b, '/account/email', { email: 'new@example.com' })).headers.get('location')).toBe('/account?done=email_changed');
    const user = await s.deps.store.findUserById(s.alice.id);
    expect({ email: user?.email, verified: user?.emailVerified }).toEqual({ email: 'new@example.com', verified: false });
  });

  it('refuses a form without this browser’s CSRF token, and ends no session of another user', async () => {
    const s = await accountServer();
    const b = s.browser();
    await accountSignIn(b);
    expect((await b.post('/account/sessions/end-others', { csrf_token: 'x'.repeat(43) })).status).toBe(403);
    const notMine = await accountPost(b, '/account/sessions/end', { session: 'fam_unknown' });
    expect(notMine.status).toBe(404);
  });
});

describe('linked accounts on the account page', () => {
  const provider = (id: string, name: string) => ({
    id,
    issuer: `https://${id}.example`,
    clientId: 'c',
    clientSecret: 's',
    name,
    scope: 'openid',
    signup: true,
    linkByEmail: false,
    allowTokenExchange: false,
    createdAt: 0,
  });
  const identity = (providerId: string, userId: string) => ({
    providerId,
    subject: `sub-${providerId}`,
    userId,
    email: null,
    emailVerified: false,
    linkedAt: 1_700_000_000_000,
  });

  it('unlinks an identity, but not the last way in of a user who knows no password', async () => {
    const s = await accountServer();
    await s.deps.store.insertProvider(provider('google', 'Google'));
    await s.deps.store.insertProvider(provider('kakao', 'Kakao'));
    // carol came from an upstream sign-in: she knows no password (the test gives her one to reach the page).
    const alice = (await s.deps.store.findUserById(s.alice.id))!;
    await s.deps.store.insertUser({ ...alice, id: 'usr_carol', username: 'carol', passwordSet: false });
    await s.deps.store.insertIdentity(identity('google', 'usr_carol'));
    await s.deps.store.insertIdentity(identity('kakao', 'usr_carol'));
    const b = s.browser();
    await accountSignIn(b, 'carol');
    const tokens = await spaSignIn(s, b);
    const listed = await (await s.fetch('/account/identities', { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
    expect(listed.identities.map((i: { provider_name: string }) => i.provider_name)).toEqual(['Google', 'Kakao']);

    expect((await accountPost(b, '/account/identities/unlink', { provider: 'google' })).headers.get('location')).toBe('/account?done=identity_unlinked');
    const last = await accountPost(b, '/account/identities/unlink', { provider: 'kakao' });
    expect(last.status).toBe(409);
    expect(await last.text()).toContain('This is your only way to sign in.');
    expect((await accountPost(b, '/account/identities/unlink', { provider: 'google' })).status).toBe(404);
    expect((await s.deps.store.listIdentities('usr_carol')).map((i) => i.providerId)).toEqual(['kakao']);
    const audit = await s.deps.store.listAuditEvents({ limit: 10, type: 'identity.unlinked' });
    expect(audit.items.map((e) => [e.actor, e.details])).toEqual([['user:usr_carol', { provider: 'google' }]]);
  });
});

describe('GET|DELETE /account/sessions and GET /account/identities', () => {
  it('answers the user’s own sessions and identities to a token of scope account', async () => {
    const s = await accountServer();
    const tokens = await spaSignIn(s, s.browser());
    const auth = { authorization: `Bearer ${tokens.access_token}` };
    const res = await s.fetch('/account/sessions', { headers: auth });
    await expectMatchesSpec(res.clone(), { method: 'get', path: '/account/sessions' });
    const { sessions } = await res.json();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ client_id: 'spa', client_name: 'spa', this_browser: true });
    const identities = await s.fetch('/account/identities', { headers: auth });
    await expectMatchesSpec(identities.clone(), { method: 'get', path: '/account/identities' });
    expect(await identities.json()).toEqual({ identities: [] });
  });

  it('refuses a token of scope account meant for another audience: the account API is Tessera’s own', async () => {
    const s = await accountServer();
    await s.deps.store.updateClient('spa', { audience: 'https://orders.example' });
    const tokens = await spaSignIn(s, s.browser());
    const res = await s.fetch('/account/sessions', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    await expectMatchesSpec(res.clone(), { method: 'get', path: '/account/sessions' });
    expect([res.status, await res.json()]).toEqual([401, { error: 'invalid_token', error_description: 'the access token is meant for another audience' }]);
  });

  it('refuses a token without scope account, and answers 404 for another user’s session', async () => {
    const s = await accountServer();
    await s.deps.store.insertUser({ ...(await s.deps.store.findUserById(s.alice.id))!, id: 'usr_bob', username: 'bob' });
    const alice = await spaSignIn(s, s.browser());
    const bob = await spaSignIn(s, s.browser(), { username: 'bob' });
    const narrow = await spaSignIn(s, s.browser(), { scope: 'openid read' });
    const noScope = await s.fetch('/account/sessions', { headers: { authorization: `Bearer ${narrow.access_token}` } });
    expect(noScope.status).toBe(403);
    expect(await noScope.json()).toEqual({ error: 'insufficient_scope', error_description: 'this resource needs the "account" scope' });
    const none = await s.fetch('/account/sessions');
    expect(none.status).toBe(401);
    await expectMatchesSpec(none, { method: 'get', path: '/account/sessions' });

    const bobSessions = (await (await s.fetch('/account/sessions', { headers: { authorization: `Bearer ${bob.access_token}` } })).json()).sessions;
    const stranger = await s.fetch(`/account/sessions/${bobSessions[0].id}`, { method: 'DELETE', headers: { authorization: `Bearer ${alice.access_token}` } });
    expect(stranger.status).toBe(404);
    await expectMatchesSpec(stranger.clone(), { method: 'delete', path: '/account/sessions/{id}' });
    expect((await refreshWith(s, bob.refresh_token)).status).toBe(200);

    const own = await s.fetch(`/account/sessions/${bobSessions[0].id}`, { method: 'DELETE', headers: { authorization: `Bearer ${bob.access_token}` } });
    expect(own.status).toBe(200);
    await expectMatchesSpec(own.clone(), { method: 'delete', path: '/account/sessions/{id}' });
    expect(await own.json()).toEqual({ id: bobSessions[0].id, revoked: true });
  });
});
