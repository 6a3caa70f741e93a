import { describe, expect, it } from 'vitest';
import { alicePassword } from '../helpers/fixtures.js';
import { addTestProvider, crossOriginBrowser, fakeUpstream, formOf } from '../helpers/upstream.js';
import { upstreamSetup } from '../helpers/upstream-flow.js';

// Linking another provider's account from the account page, through the upstream sign-in's round trip.

async function signedInAtAccount() {
  const s = await upstreamSetup();
  await addTestProvider(s.deps, (await fakeUpstream()).issuer);
  const b = crossOriginBrowser([`${s.url}/account`]);
  const login = await b.get(`${s.url}/account/login`);
  const { fields } = formOf(await login.res.text());
  await b.post(`${s.url}/account/login`, { ...fields, username: 'alice', password: alicePassword });
  const page = await (await b.send(`${s.url}/account`)).text();
  const href = /href="(\/account\/link\/idp\?[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
  return { s, b, page, href };
}

describe('linking an upstream account on the account page', () => {
  it('offers each provider not linked yet, links the account it signs in with, and lists it', async () => {
    const { s, b, page, href } = await signedInAtAccount();
    expect(page).toContain('Link Example ID');
    const end = await b.get(`${s.url}${href}`);
    expect(end.url).toBe(`${s.url}/account?done=identity_linked`);
    expect((await s.deps.store.listIdentities(s.alice.id)).map((i) => [i.providerId, i.subject])).toEqual([['idp', 'fake-1']]);
    const after = await (await b.send(`${s.url}/account`)).text();
    expect(after).not.toContain('Link Example ID');
    expect(after).toContain('<span class="item-name">Example ID</span>');
    const audit = await s.deps.store.listAuditEvents({ limit: 10, type: 'identity.linked' });
    expect(audit.items.map((e) => e.details)).toEqual([{ provider: 'idp', by: 'account' }]);
  });

  it('refuses an account linked to another user, and a link without the CSRF token', async () => {
    const { s, b, href } = await signedInAtAccount();
    await s.deps.store.insertUser({ ...(await s.deps.store.findUserById(s.alice.id))!, id: 'usr_bob', username: 'bob' });
    await s.deps.store.insertIdentity({ providerId: 'idp', subject: 'fake-1', userId: 'usr_bob', email: null, emailVerified: false, linkedAt: 0 });
    const end = await b.get(`${s.url}${href}`);
    expect(end.res.status).toBe(400);
    expect(await end.res.text()).toContain('This Example ID account is already linked to another account here');
    expect(await s.deps.store.listIdentities(s.alice.id)).toEqual([]);
    expect((await b.send(`${s.url}/account/link/idp`)).status).toBe(403);
  });
});
