import { describe, expect, it } from 'vitest';
import { spaRedirect } from '../helpers/authorize.js';
import { addTestProvider, crossOriginBrowser, fakeUpstream } from '../helpers/upstream.js';
import { alertOf, continueWithIdp, upstreamSetup } from '../helpers/upstream-flow.js';

// What an upstream id_token says reaches the store only when it can be kept faithfully: a `sub` that
// cannot refuses the sign-in; any other claim that cannot is left out.

/** Tessera with a fake provider whose id_token carries `claims`; signs in `times` times from fresh browsers. */
async function signInWith(claims: Record<string, unknown>, times = 1) {
  const s = await upstreamSetup();
  const upstream = await fakeUpstream({ idToken: () => ({ claims }) });
  await addTestProvider(s.deps, upstream.issuer);
  const ends = [];
  for (let i = 0; i < times; i++) {
    const b = crossOriginBrowser([spaRedirect]);
    const end = await continueWithIdp(s, b);
    ends.push({ end, signedIn: b.jars.get(s.url)?.has('__Host-tessera-session') ?? false });
  }
  const users = (await s.deps.store.listUsers({ limit: 10 })).items;
  const failed = (await s.deps.store.listAuditEvents({ limit: 10, type: 'login.failed' })).items.map((e) => e.details);
  return { s, ends, users, failed };
}

/** The sign-in ended on the login page with `message`, signed nobody in, created no user and was audited with `reason`. */
async function expectRefused({ ends, users, failed }: Awaited<ReturnType<typeof signInWith>>, message: string, reason: string) {
  const [{ end, signedIn }] = ends as [(typeof ends)[0]];
  expect(end.res.status).toBe(400);
  expect(alertOf(await end.res.text())).toBe(message);
  expect(signedIn).toBe(false);
  expect(users.map((u) => u.username)).toEqual(['alice']);
  expect(failed).toEqual([{ reason, provider: 'idp' }]);
}

const unusable = 'Example ID sent account details that Tessera cannot accept. Use another way to sign in, or ask an administrator.';
const unverified = 'Tessera could not confirm your sign-in with Example ID. Try again, or use another way to sign in.';
const dayAhead = () => Math.floor(Date.now() / 1000) + 86_400;

describe('claims of an upstream provider', () => {
  const refusedSubjects: [string, string][] = [
    ['a NUL', 'fake\u0000one'],
    ['a control character', 'fake\u0007one'],
    ['a lone surrogate', 'fake\ud800one'],
    ['20,000 characters', 'x'.repeat(20_000)],
  ];
  it.each(refusedSubjects)('refuses a sub with %s on the login page, creating nothing', async (_, sub) => {
    await expectRefused(await signInWith({ sub }), unusable, 'identity_refused');
  });

  it('refuses an id_token issued a day in the future', async () => {
    await expectRefused(await signInWith({ iat: dayAhead(), exp: dayAhead() + 300 }), unverified, 'id_token_rejected');
  });

  it('accepts a sub of 255 characters, and an iat a few seconds ahead', async () => {
    const sub = 's'.repeat(255);
    const { s, ends } = await signInWith({ sub, iat: Math.floor(Date.now() / 1000) + 5 });
    expect(ends[0]!.end.url.startsWith(`${spaRedirect}?code=`)).toBe(true);
    expect(await s.deps.store.findIdentity('idp', sub)).not.toBeNull();
  });

  it('leaves out an e-mail or preferred_username that cannot be stored, and finds the same user at the next sign-in', async () => {
    const { s, ends, users } = await signInWith({ email: 'eve\u0000@example.com', email_verified: true, preferred_username: 'eve\u0000' }, 2);
    for (const { end } of ends) expect(end.url.startsWith(`${spaRedirect}?code=`)).toBe(true);
    expect(users.map((u) => [u.username, u.email, u.emailVerified])).toEqual([
      ['idp-user', null, false],
      ['alice', 'alice@example.com', true],
    ]);
    expect(await s.deps.store.listIdentities(users[0]!.id)).toEqual([expect.objectContaining({ subject: 'fake-1', email: null, emailVerified: false })]);
  });

  it('fills a new user’s profile from the standard claims', async () => {
    const profile = {
      name: 'Kim Minji',
      given_name: 'Minji',
      family_name: 'Kim',
      picture: 'https://images.example/minji.png',
      locale: 'ko-KR',
    };
    const { users } = await signInWith({ preferred_username: 'minji', ...profile });
    expect(users.find((u) => u.username === 'minji')).toMatchObject({
      name: 'Kim Minji',
      givenName: 'Minji',
      familyName: 'Kim',
      picture: 'https://images.example/minji.png',
      locale: 'ko-KR',
    });
  });

  it('leaves out each profile claim that fails its check, and still signs in', async () => {
    const { ends, users } = await signInWith({
      preferred_username: 'minji',
      name: 'Kim\u0000Minji',
      given_name: 'x'.repeat(257),
      family_name: '   ',
      picture: 'http://images.example/minji.png',
      locale: 'Korean, please',
    });
    expect(ends[0]!.end.url.startsWith(`${spaRedirect}?code=`)).toBe(true);
    expect(users.find((u) => u.username === 'minji')).toMatchObject({ name: null, givenName: null, familyName: null, picture: null, locale: null });

    for (const picture of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'https://']) {
      const again = await signInWith({ preferred_username: 'minji', picture, locale: 12 });
      expect(again.users.find((u) => u.username === 'minji')).toMatchObject({ picture: null, locale: null });
    }
  });
});
