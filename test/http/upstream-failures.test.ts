import { describe, expect, it } from 'vitest';
import { spaRedirect } from '../helpers/authorize.js';
import { addTestProvider, crossOriginBrowser, fakeUpstream, otherKey, upstreamKey, type FakeIdToken } from '../helpers/upstream.js';
import { alertOf, continueWithIdp, upstreamSetup } from '../helpers/upstream-flow.js';

// A provider whose id_token is not to be trusted, or that is down or slow: every case ends on the
// login page with a message, signs nobody in, and creates no user and no link.

async function signInAtFake(options: Parameters<typeof fakeUpstream>[0], env: Record<string, string> = {}) {
  const s = await upstreamSetup(env);
  const upstream = await fakeUpstream(options);
  await addTestProvider(s.deps, upstream.issuer);
  const b = crossOriginBrowser([spaRedirect]);
  const end = await continueWithIdp(s, b);
  const users = (await s.deps.store.listUsers({ limit: 10 })).items.map((u) => u.username);
  const failed = (await s.deps.store.listAuditEvents({ limit: 10, type: 'login.failed' })).items.map((e) => e.details);
  return { s, upstream, end, users, failed, signedIn: b.jars.get(s.url)?.has('__Host-tessera-session') ?? false };
}

const unverified = 'Tessera could not confirm your sign-in with Example ID. Try again, or use another way to sign in.';
const unreachable = 'Example ID cannot be reached right now. Try again later, or use another way to sign in.';

describe('sign-in with an upstream provider that cannot be trusted or reached', () => {
  it('signs in with a good id_token from the fake provider (the baseline of the cases below)', async () => {
    const { end, users } = await signInAtFake({});
    expect(end.url.startsWith(`${spaRedirect}?code=`)).toBe(true);
    expect(users).toContain('idp-user');
  });

  const forged: [string, FakeIdToken][] = [
    ['signed by a key the provider does not publish', () => ({ claims: {}, key: otherKey })],
    ['signed by another key under the published kid', () => ({ claims: {}, key: { ...otherKey, kid: upstreamKey.kid } })],
    ['with another nonce', () => ({ claims: { nonce: 'not-the-nonce' } })],
    ['without a nonce', () => ({ claims: { nonce: undefined } })],
    ['expired', () => ({ claims: { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 } })],
    ['for another audience', () => ({ claims: { aud: 'someone-else' } })],
    ['from another issuer', () => ({ claims: { iss: 'https://evil.example' } })],
    ['with alg none', () => ({ claims: {}, header: { alg: 'none' } })],
  ];
  it.each(forged)('refuses an id_token %s', async (_, idToken) => {
    const { end, users, failed, signedIn } = await signInAtFake({ idToken });
    expect(end.res.status).toBe(400);
    expect(alertOf(await end.res.text())).toBe(unverified);
    expect(users).toEqual(['alice']);
    expect(failed).toEqual([{ reason: 'id_token_rejected', provider: 'idp' }]);
    expect(signedIn).toBe(false);
  });

  it('bounds the sign-ins started from one IP per minute (LOGIN_RATE_LIMIT_PER_IP): beyond it, the login page with 429 and Retry-After, and the provider is not asked', async () => {
    const s = await upstreamSetup({ LOGIN_RATE_LIMIT_PER_IP: '2' });
    const upstream = await fakeUpstream();
    await addTestProvider(s.deps, upstream.issuer);
    for (let i = 0; i < 2; i++) {
      const end = await continueWithIdp(s, crossOriginBrowser([spaRedirect]));
      expect(end.url.startsWith(`${spaRedirect}?code=`)).toBe(true);
    }
    const callsBefore = upstream.calls.filter((path) => path === '/auth').length;
    const refused = await continueWithIdp(s, crossOriginBrowser([spaRedirect]));
    expect(refused.res.status).toBe(429);
    expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(alertOf(await refused.res.text())).toBe('Too many sign-ins were started from here. Wait a minute, then try again.');
    expect(upstream.calls.filter((path) => path === '/auth').length).toBe(callsBefore);

    s.deps.clock.advance(60);
    const later = await continueWithIdp(s, crossOriginBrowser([spaRedirect]));
    expect(later.url.startsWith(`${spaRedirect}?code=`)).toBe(true);
  });

  it('refuses a slow provider once UPSTREAM_TIMEOUT passes', async () => {
    const { end, users, failed } = await signInAtFake({ tokenDelayMs: 5000 }, { UPSTREAM_TIMEOUT: '1' });
    expect(end.res.status).toBe(400);
    expect(alertOf(await end.res.text())).toBe(unreachable);
    expect(users).toEqual(['alice']);
    expect(failed).toEqual([{ reason: 'upstream_unreachable', provider: 'idp' }]);
  });

  it('shows the login page with a message when the provider is down', async () => {
    const s = await upstreamSetup();
    const upstream = await fakeUpstream();
    await addTestProvider(s.deps, upstream.issuer);
    await upstream.close();
    const b = crossOriginBrowser([spaRedirect]);
    const end = await continueWithIdp(s, b);
    expect(end.url.startsWith(`${s.url}/upstream/idp/start?`)).toBe(true);
    expect(end.res.status).toBe(400);
    const html = await end.res.text();
    expect(alertOf(html)).toBe(unreachable);
    expect(html).toContain('name="password"');
  });

  it('shows the login page when the provider was removed while the user was away', async () => {
    const s = await upstreamSetup();
    const upstream = await fakeUpstream();
    await addTestProvider(s.deps, upstream.issuer);
    const b = crossOriginBrowser([spaRedirect, `${s.url}/upstream/idp/callback`]);
    const back = await continueWithIdp(s, b);
    await s.deps.store.deleteProvider('idp');
    const end = await b.get(back.url);
    expect(end.res.status).toBe(400);
    expect(await end.res.text()).toContain('This sign-in has expired or was started in another browser.');
  });
});
