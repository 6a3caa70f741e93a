import { describe, expect, it } from 'vitest';
import { realUpstream, addTestProvider } from '../helpers/upstream.js';
import { redeemAtSpa, signInWithIdp, upstreamSetup } from './setup.js';

describe('sign-in with a real upstream provider (node-oidc-provider on loopback)', () => {
  it('creates the user at the first sign-in, reuses it at the second, and the family names the provider', async () => {
    const s = await upstreamSetup();
    const upstream = await realUpstream(s.callbackUri);
    await addTestProvider(s.deps, upstream.issuer);

    const first = await signInWithIdp(s, 'bob');
    expect(first.params).toMatchObject({ state: 'state-123', iss: s.url });
    const tokens = await redeemAtSpa(s, first.params!.code!, first.verifier);
    expect(tokens.status).toBe(200);
    const bob = await s.deps.store.findUserByUsername('bob');
    expect(bob).toMatchObject({ email: 'bob@example.net', emailVerified: true });
    console.log(await tokens.json());
  });
});
