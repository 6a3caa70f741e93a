import { describe, expect, it } from 'vitest';
import { listUserFamilies } from '../../src/services/sessions/families.js';
import { unlinkIdentity } from '../../src/services/upstream/providers.js';
import { createUser, disableUser } from '../../src/services/users.js';
import { spaRedirect } from '../helpers/authorize.js';
import { addTestProvider, crossOriginBrowser, realUpstream } from '../helpers/upstream.js';
import { alertOf, approveAtUpstream, continueWithIdp, redeemAtSpa, signInWithIdp, upstreamSetup, type UpstreamSetup } from '../helpers/upstream-flow.js';

async function withRealUpstream(over: Parameters<typeof addTestProvider>[2] = {}) {
  const s = await upstreamSetup();
  const upstream = await realUpstream(s.callbackUri);
  await addTestProvider(s.deps, upstream.issuer, over);
  return s;
}

/** Every user and identity in the store, to show a failure left nothing behind. */
async function accounts(s: UpstreamSetup) {
  const users = (await s.deps.store.listUsers({ limit: 100 })).items;
  const identities = (await Promise.all(users.map((u) => s.deps.store.listIdentities(u.id)))).flat();
  return { users: users.map((u) => u.username).sort(), identities: identities.map((i) => `${i.providerId}:${i.subject}->${i.userId}`) };
}

describe('sign-in with a real upstream provider (node-oidc-provider on loopback)', () => {
  it('creates the user at the first sign-in and reuses it at the second; the family and the audit log name the provider', async () => {
    const s = await withRealUpstream();
    const first = await signInWithIdp(s, 'bob');
    expect(first.params).toMatchObject({ state: 'state-123', iss: s.url });
    const tokens = await redeemAtSpa(s, first.params!.code!, first.verifier);
    expect(tokens.status).toBe(200);
    const bob = (await s.deps.store.findUserByUsername('bob'))!;
    expect(bob).toMatchObject({ email: 'bob@example.net', emailVerified: true, disabledAt: null });
    expect(await s.deps.store.listIdentities(bob.id)).toEqual([
      { providerId: 'idp', subject: 'bob', userId: bob.id, email: 'bob@example.net', emailVerified: true, linkedAt: expect.any(Number) },
    ]);

    const second = await signInWithIdp(s, 'bob');
    expect((await redeemAtSpa(s, second.params!.code!, second.verifier)).status).toBe(200);
    expect(await accounts(s)).toEqual({ users: ['alice', 'bob'], identities: [`idp:bob->${bob.id}`] });

    const { families } = await listUserFamilies(s.deps, bob.id, { limit: '10' });
    expect(families.map((f) => [f.client_id, f.provider, f.status])).toEqual([
      ['spa', 'idp', 'active'],
      ['spa', 'idp', 'active'],
    ]);
    const audit = (await s.deps.store.listAuditEvents({ limit: 50, userId: bob.id })).items.map((e) => [e.type, e.details.provider]);
    expect(audit).toEqual(
      expect.arrayContaining([
        ['user.created', 'idp'],
        ['identity.linked', 'idp'],
        ['login.succeeded', 'idp'],
      ]),
    );
  });

  it('gives a new user a free username when the preferred one is taken, and never links by an e-mail the provider did not verify', async () => {
    const s = await withRealUpstream();
    // alice exists with alice@example.com; without --link-by-email the upstream alice is somebody new.
    const upstreamAlice = await signInWithIdp(s, 'alice');
    expect(upstreamAlice.params?.code).toBeDefined();
    expect(await accounts(s)).toMatchObject({ users: ['alice', 'alice2'] });
  });

  it('with --link-by-email links a verified address to its user, and an unverified one to nobody', async () => {
    const s = await withRealUpstream({ linkByEmail: true, signup: false });
    const mallory = await signInWithIdp(s, 'mallory');
    expect(mallory.params).toBeNull();
    expect(alertOf(await mallory.end.res.text())).toMatch(/^No account here is linked to this Example ID account/);
    expect(await accounts(s)).toEqual({ users: ['alice'], identities: [] });

    const alice = await signInWithIdp(s, 'alice');
    const tokens = await (await redeemAtSpa(s, alice.params!.code!, alice.verifier)).json();
    expect(tokens.access_token).toBeDefined();
    expect(await accounts(s)).toEqual({ users: ['alice'], identities: [`idp:alice->${s.alice.id}`] });
    const linked = (await s.deps.store.listAuditEvents({ limit: 10, type: 'identity.linked' })).items;
    expect(linked.map((e) => e.details)).toEqual([{ provider: 'idp', by: 'email' }]);
  });

  it('with --link-by-email links nobody when several users have the verified address', async () => {
    const s = await withRealUpstream({ linkByEmail: true });
    await createUser(
      s.deps,
      { name: 'cli' },
      {
        username: 'alice-work',
        password: 'a long enough password',
        email: 'Alice@Example.com',
        emailVerified: true,
      },
    );
    const alice = await signInWithIdp(s, 'alice');
    expect(alice.params).toBeNull();
    expect(alertOf(await alice.end.res.text())).toBe(
      'Several accounts here use the e-mail address of this Example ID account, so it cannot be linked to one. Ask an administrator.',
    );
    expect(await accounts(s)).toEqual({ users: ['alice', 'alice-work'], identities: [] });
  });

  it('with --no-signup refuses an identity linked to nobody, on the login page, creating nothing', async () => {
    const s = await withRealUpstream({ signup: false });
    const bob = await signInWithIdp(s, 'bob');
    expect(bob.end.res.status).toBe(400);
    expect(bob.end.url).toBe(`${s.url}/upstream/idp/callback?${new URL(bob.end.url).searchParams}`);
    const html = await bob.end.res.text();
    expect(alertOf(html)).toBe(
      'No account here is linked to this Example ID account, and new accounts cannot be created with Example ID. Sign in with your password, or ask an administrator.',
    );
    expect(html).toContain('name="password"');
    expect(await accounts(s)).toEqual({ users: ['alice'], identities: [] });
    const failed = (await s.deps.store.listAuditEvents({ limit: 10, type: 'login.failed' })).items;
    expect(failed.map((e) => [e.clientId, e.details])).toEqual([['spa', { reason: 'no_account', provider: 'idp' }]]);
  });

  it('after unlink the identity signs in to nobody (with --no-signup)', async () => {
    const s = await withRealUpstream({ signup: false });
    await s.deps.store.insertIdentity({ providerId: 'idp', subject: 'alice', userId: s.alice.id, email: null, emailVerified: false, linkedAt: 0 });
    expect((await signInWithIdp(s, 'alice')).params?.code).toBeDefined();
    await unlinkIdentity(s.deps, { name: 'cli' }, s.alice.id, 'idp');
    const again = await signInWithIdp(s, 'alice');
    expect(again.params).toBeNull();
    expect(alertOf(await again.end.res.text())).toMatch(/^No account here is linked/);
    expect(await accounts(s)).toEqual({ users: ['alice'], identities: [] });
  });

  it('a disabled user cannot sign in through the provider', async () => {
    const s = await withRealUpstream({ linkByEmail: true });
    await disableUser(s.deps, { name: 'cli' }, s.alice.id);
    const alice = await signInWithIdp(s, 'alice');
    expect(alice.params).toBeNull();
    expect(alertOf(await alice.end.res.text())).toBe('This account is disabled.');
    expect(alice.b.jars.get(s.url)?.has('__Host-tessera-session')).toBe(false);
    expect(await accounts(s)).toEqual({ users: ['alice'], identities: [] });
    // Nor through an identity linked before it was disabled.
    await s.deps.store.insertIdentity({ providerId: 'idp', subject: 'bob', userId: s.alice.id, email: null, emailVerified: false, linkedAt: 0 });
    const linked = await signInWithIdp(s, 'bob');
    expect(alertOf(await linked.end.res.text())).toBe('This account is disabled.');
    const failed = (await s.deps.store.listAuditEvents({ limit: 10, type: 'login.failed' })).items;
    expect(failed.map((e) => [e.userId, e.details.reason])).toEqual([
      [s.alice.id, 'user_disabled'],
      [s.alice.id, 'user_disabled'],
    ]);
  });

  it('cancelling at the provider shows the login page with a message, and creates nothing', async () => {
    const s = await withRealUpstream();
    const b = crossOriginBrowser([spaRedirect]);
    const at = await continueWithIdp(s, b);
    const abort = /href="([^"]+\/abort)"/.exec(await at.res.text())![1]!;
    const end = await b.get(new URL(abort, at.url).href);
    expect(end.url.startsWith(`${s.url}/upstream/idp/callback?error=access_denied`)).toBe(true);
    expect(end.res.status).toBe(400);
    const html = await end.res.text();
    expect(alertOf(html)).toBe('Signing in with Example ID was cancelled. Choose how to sign in.');
    expect(html).toContain('Continue with Example ID');
    expect(await accounts(s)).toEqual({ users: ['alice'], identities: [] });
  });

  it('a callback is used once: again in the same browser it shows the login page, in another browser an error page, and issues no second code', async () => {
    const s = await withRealUpstream();
    const b = crossOriginBrowser([spaRedirect, `${s.url}/upstream/idp/callback`]);
    const back = await approveAtUpstream(b, await continueWithIdp(s, b), 'bob');
    expect(back.url.startsWith(`${s.url}/upstream/idp/callback?code=`)).toBe(true);
    const done = await b.get(back.url);
    expect(done.url.startsWith(spaRedirect)).toBe(true);

    const again = await b.get(back.url);
    expect(again.res.status).toBe(400);
    expect(alertOf(await again.res.text())).toBe('This sign-in was already completed or has expired. Try again.');
    const elsewhere = await crossOriginBrowser([spaRedirect]).get(back.url);
    expect(elsewhere.res.status).toBe(400);
    expect(await elsewhere.res.text()).toContain('This sign-in has expired or was started in another browser.');
    expect((await s.deps.store.listAuditEvents({ limit: 10, type: 'authorization_code.issued' })).items).toHaveLength(1);
  });

  it('a callback from another browser (login CSRF) or with another state signs nobody in, and the browser that started can still finish', async () => {
    const s = await withRealUpstream();
    const victim = crossOriginBrowser([spaRedirect, `${s.url}/upstream/idp/callback`]);
    const back = await approveAtUpstream(victim, await continueWithIdp(s, victim), 'bob');
    const url = new URL(back.url);

    const attacker = crossOriginBrowser([spaRedirect]);
    await continueWithIdp(s, attacker); // the attacker has a binding cookie of its own
    const planted = await attacker.get(url.href);
    expect(planted.url.startsWith(spaRedirect)).toBe(false);
    expect(await planted.res.text()).toContain('This sign-in has expired or was started in another browser.');

    url.searchParams.set('state', 'not-the-state');
    const tampered = await victim.get(url.href);
    expect(tampered.res.status).toBe(400);
    expect(await tampered.res.text()).toContain('This sign-in has expired or was started in another browser.');
    expect(await accounts(s)).toEqual({ users: ['alice'], identities: [] });

    const finished = await victim.get(back.url);
    expect(finished.url.startsWith(`${spaRedirect}?code=`)).toBe(true);
  });
});
