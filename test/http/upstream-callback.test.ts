import { describe, expect, it } from 'vitest';
import { spaRedirect } from '../helpers/authorize.js';
import { addTestProvider, crossOriginBrowser, fakeUpstream } from '../helpers/upstream.js';
import { continueWithIdp, upstreamSetup } from '../helpers/upstream-flow.js';

// The callback of a round trip to one provider, arriving at another provider's callback path.

describe('the upstream callback', () => {
  it('at another provider’s path refuses the round trip and leaves it usable at its own provider', async () => {
    const s = await upstreamSetup();
    await addTestProvider(s.deps, (await fakeUpstream()).issuer);
    await addTestProvider(s.deps, (await fakeUpstream()).issuer, { id: 'other', name: 'Other ID' });
    const b = crossOriginBrowser([spaRedirect, `${s.url}/upstream/idp/callback`]);
    const back = await continueWithIdp(s, b);
    expect(back.url.startsWith(`${s.url}/upstream/idp/callback?`)).toBe(true);

    const elsewhere = await b.get(back.url.replace('/upstream/idp/callback', '/upstream/other/callback'));
    expect(elsewhere.res.status).toBe(400);
    expect(await elsewhere.res.text()).toContain('This sign-in has expired or was started in another browser.');
    expect((await s.deps.store.listUsers({ limit: 10 })).items.map((u) => u.username)).toEqual(['alice']);

    const finished = await b.get(back.url);
    expect(finished.url.startsWith(`${spaRedirect}?code=`)).toBe(true);
  });
});
