import { describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { fakeUpstream, upstreamClient } from '../helpers/upstream.js';
import { adminSetup } from './setup.js';

const kek = Buffer.alloc(32, 7).toString('base64');

describe('admin upstream providers', () => {
  it('POST /admin/providers discovers the issuer, keeps the secret sealed and never shows it; GET lists it; DELETE removes it with its identities', async () => {
    const { admin, deps, url } = await adminSetup({ env: { KEY_ENCRYPTION_KEY: kek } });
    const upstream = await fakeUpstream();
    const body = { id: 'idp', issuer: `${upstream.issuer}/`, client_id: upstreamClient.id, client_secret: upstreamClient.secret, link_by_email: true };
    const added = await admin('POST', '/admin/providers', { body });
    expect(added.status).toBe(201);
    await expectMatchesSpec(added, { method: 'POST', path: '/admin/providers' });
    const provider = {
      id: 'idp',
      name: 'Idp',
      issuer: upstream.issuer,
      client_id: upstreamClient.id,
      scope: 'openid email profile',
      signup: true,
      link_by_email: true,
      allow_token_exchange: false,
      redirect_uri: `${url}/upstream/idp/callback`,
      created_at: '2023-11-14T22:13:20.000Z',
    };
    expect(await added.json()).toEqual({ provider });
    const stored = (await deps.store.findProvider('idp'))!;
    expect(stored.clientSecret.startsWith('v1.')).toBe(true);
    expect(stored.clientSecret).not.toContain(upstreamClient.secret);

    const listed = await admin('GET', '/admin/providers');
    await expectMatchesSpec(listed, { method: 'GET', path: '/admin/providers' });
    expect(await listed.json()).toEqual({ providers: [provider], next_cursor: null });
    const events = (await deps.store.listAuditEvents({ limit: 10, type: 'provider.added' })).items;
    expect(events).toMatchObject([{ actor: 'admin:billing', details: { id: 'idp', issuer: upstream.issuer } }]);
    expect(JSON.stringify(events)).not.toContain(upstreamClient.secret);

    expect((await admin('POST', '/admin/providers', { body })).status).toBe(409);
    await deps.store.insertIdentity({ providerId: 'idp', subject: 's-1', userId: 'usr_1', email: null, emailVerified: false, linkedAt: 0 });
    const removed = await admin('DELETE', '/admin/providers/idp');
    await expectMatchesSpec(removed, { method: 'DELETE', path: '/admin/providers/idp' });
    expect(await removed.json()).toEqual({ id: 'idp', deleted: true, revoked_families: 0, unlinked_identities: 1 });
    const again = await admin('DELETE', '/admin/providers/idp');
    expect(again.status).toBe(404);
    await expectMatchesSpec(again, { method: 'DELETE', path: '/admin/providers/idp' });
  });

  it.each([
    ['an unreachable issuer', { issuer: 'DOWN' }, /^http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\)$/],
    ['an issuer without OpenID metadata', { issuer: 'SELF' }, /did not answer with valid OpenID provider metadata/],
    ['plain http off loopback', { issuer: 'http://idp.example' }, /^issuer must be an https URL \(plain http only on loopback\)$/],
    ['a scope without openid', { scope: 'email' }, /^scope must include openid$/],
    ['an id that cannot name a path', { id: '../x' }, /^provider id must be/],
  ])('refuses %s with one line and adds nothing', async (_, over, message) => {
    const { admin, deps, url } = await adminSetup();
    const upstream = await fakeUpstream();
    const body = { id: 'idp', issuer: upstream.issuer, client_id: 'c', client_secret: 's', ...over };
    if (body.issuer === 'SELF') body.issuer = `${url}/nothing-here`;
    if (body.issuer === 'DOWN') {
      await upstream.close();
      body.issuer = upstream.issuer;
    }
    const res = await admin('POST', '/admin/providers', { body });
    expect(res.status).toBe(400);
    await expectMatchesSpec(res, { method: 'POST', path: '/admin/providers' });
    expect((await res.json()).error_description).toMatch(message);
    expect(await deps.store.listProviders()).toEqual([]);
  });

  it('GET /admin/users/{id} lists the identities, and DELETE /admin/users/{id}/identities/{provider} unlinks one', async () => {
    const { admin, deps, alice } = await adminSetup();
    await deps.store.insertIdentity({
      providerId: 'idp',
      subject: 'alice-at-idp',
      userId: alice.id,
      email: 'alice@example.com',
      emailVerified: false,
      linkedAt: 1_700_000_000_000,
    });
    const shown = await admin('GET', `/admin/users/${alice.id}`);
    await expectMatchesSpec(shown, { method: 'GET', path: `/admin/users/${alice.id}` });
    expect((await shown.json()).identities).toEqual([
      { provider: 'idp', subject: 'alice-at-idp', email: 'alice@example.com', linked_at: '2023-11-14T22:13:20.000Z' },
    ]);

    const unlinked = await admin('DELETE', `/admin/users/${alice.id}/identities/idp`);
    await expectMatchesSpec(unlinked, { method: 'DELETE', path: `/admin/users/${alice.id}/identities/idp` });
    expect(await unlinked.json()).toEqual({ id: 'idp', deleted: true, revoked_families: 0, unlinked_identities: 1 });
    expect((await admin('DELETE', `/admin/users/${alice.id}/identities/idp`)).status).toBe(404);
    expect(await deps.store.listIdentities(alice.id)).toEqual([]);
    const [event] = (await deps.store.listAuditEvents({ limit: 5, type: 'identity.unlinked' })).items;
    expect(event).toMatchObject({ actor: 'admin:billing', userId: alice.id, details: { provider: 'idp' } });
  });
});
