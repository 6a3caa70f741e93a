import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/users.js';
import { pkce, spaRedirect, spaRequest } from '../helpers/authorize.js';
import { addTestProvider, continueWith, crossOriginBrowser, fakeUpstream } from '../helpers/upstream.js';
import { upstreamSetup, type UpstreamSetup } from '../helpers/upstream-flow.js';

// Pre-account hijacking through --link-by-email: an attacker's provider says the victim's address
// without verifying it. An address links accounts only when verified on both sides: by the provider
// that says it now, and on the Tessera user that holds it.

type Claims = Record<string, unknown>;
const victimAddress = 'victim@example.org';
const attacker: Claims = { sub: 'mallory', email: victimAddress, email_verified: false, preferred_username: 'mallory' };
const victim: Claims = { sub: 'victim', email: victimAddress, email_verified: true, preferred_username: 'victim' };

/** Tessera with providers "Example ID" (idp) and "Other ID" (other), both --link-by-email; each answers the claims set before a sign-in. */
async function setup() {
  const s = await upstreamSetup();
  const next: Record<string, Claims> = { idp: {}, other: {} };
  for (const [id, name] of [
    ['idp', 'Example ID'],
    ['other', 'Other ID'],
  ] as const) {
    const upstream = await fakeUpstream({ idToken: () => ({ claims: next[id]! }) });
    await addTestProvider(s.deps, upstream.issuer, { id, name, linkByEmail: true });
  }
  const signIn = async (provider: 'idp' | 'other', claims: Claims) => {
    next[provider] = claims;
    const b = crossOriginBrowser([spaRedirect]);
    const login = await b.get(`${s.url}${spaRequest(pkce().challenge)}`);
    const end = await b.get(`${s.url}${continueWith(await login.res.text(), provider === 'idp' ? 'Example ID' : 'Other ID')}`);
    expect(end.url.startsWith(`${spaRedirect}?code=`)).toBe(true);
  };
  return { s, signIn };
}

/** Which username each linked identity signs in as. */
async function owners(s: UpstreamSetup): Promise<Record<string, string>> {
  const users = (await s.deps.store.listUsers({ limit: 100 })).items;
  const entries = await Promise.all(
    users.map(async (u) => (await s.deps.store.listIdentities(u.id)).map((i) => [`${i.providerId}:${i.subject}`, u.username] as const)),
  );
  return Object.fromEntries(entries.flat());
}

describe('linking by e-mail (pre-account hijacking)', () => {
  const orders: [string, 'idp' | 'other'][] = [
    ['one provider', 'idp'],
    ['two providers', 'other'],
  ];

  it.each(orders)('attacker first, %s: the victim’s verified sign-in never joins the account made with the unverified address', async (_, attackerAt) => {
    const { s, signIn } = await setup();
    await signIn(attackerAt, attacker);
    const made = (await s.deps.store.findUserByUsername('mallory'))!;
    expect(made).toMatchObject({ email: victimAddress, emailVerified: false });
    expect(await s.deps.store.listIdentities(made.id)).toEqual([expect.objectContaining({ email: victimAddress, emailVerified: false })]);

    await signIn('idp', victim);
    expect(await owners(s)).toEqual({ [`${attackerAt}:mallory`]: 'mallory', 'idp:victim': 'victim' });
    expect(await s.deps.store.findUserByUsername('victim')).toMatchObject({ email: victimAddress, emailVerified: true });
  });

  it.each(orders)('victim first, %s: the unverified address joins nothing and makes no later link ambiguous', async (_, attackerAt) => {
    const { s, signIn } = await setup();
    await signIn('idp', victim);
    await signIn(attackerAt, attacker);
    expect(await owners(s)).toEqual({ 'idp:victim': 'victim', [`${attackerAt}:mallory`]: 'mallory' });

    // The victim's own second account, with the address verified, still links to the victim.
    const second = attackerAt === 'idp' ? { ...victim, sub: 'victim-work' } : victim;
    await signIn(attackerAt, second);
    expect((await owners(s))[`${attackerAt}:${second.sub}`]).toBe('victim');
    const linked = (await s.deps.store.listAuditEvents({ limit: 20, type: 'identity.linked' })).items.map((e) => e.details.by);
    expect(linked.sort()).toEqual(['email', 'signup', 'signup']);
  });

  // JavaScript and PostgreSQL lower-case the Kelvin sign (U+212A) to an ASCII k, so a provider that verified
  // "\u212Aate@…" (another mailbox) must not reach kate@… in either order; SQLite's lower() is ASCII only.
  it.each(orders)('an address that only lower-cases to the victim’s links to nothing, in either order (%s)', async (_, attackerAt) => {
    const { s, signIn } = await setup();
    const lookalike = { sub: 'mallory', email: '\u212Aate@example.org', email_verified: true, preferred_username: 'mallory' };
    const kate = { sub: 'kate', email: 'kate@example.org', email_verified: true, preferred_username: 'kate' };
    await signIn(attackerAt, lookalike);
    await signIn('idp', kate);
    expect(await owners(s)).toEqual({ [`${attackerAt}:mallory`]: 'mallory', 'idp:kate': 'kate' });
    await signIn(attackerAt, { ...lookalike, sub: 'mallory-2' });
    expect((await owners(s))[`${attackerAt}:mallory-2`]).not.toBe('kate');
  });

  it('still links the same address written in another ASCII case, non-ASCII letters included', async () => {
    const { s, signIn } = await setup();
    await signIn('idp', { sub: 'emile', email: 'Émile@Example.org', email_verified: true, preferred_username: 'emile' });
    await signIn('other', { sub: 'emile-other', email: 'ÉMILE@example.ORG', email_verified: true, preferred_username: 'emile-other' });
    expect(await owners(s)).toEqual({ 'idp:emile': 'emile', 'other:emile-other': 'emile' });
  });

  it('never links to a local user whose address the operator did not mark verified', async () => {
    const { s, signIn } = await setup();
    await createUser(s.deps, { name: 'cli' }, { username: 'carol', password: 'a long enough password', email: victimAddress });
    await signIn('idp', victim);
    expect(await owners(s)).toEqual({ 'idp:victim': 'victim' });
    const carol = (await s.deps.store.findUserByUsername('carol'))!;
    expect(await s.deps.store.listIdentities(carol.id)).toEqual([]);
  });
});
