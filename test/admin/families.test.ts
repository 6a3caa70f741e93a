import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { createUser } from '../../src/services/users.js';
import { alicePassword, loginAlice } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { adminAgent, adminSetup } from './setup.js';

describe('admin families', () => {
  it("GET /admin/users/{id}/families lists a user's sessions newest first, one page at a time", async () => {
    const { admin, login, alice, deps } = await adminSetup();
    await login('Firefox/1');
    deps.clock.advance(60);
    await login('Safari/2');
    deps.clock.advance(60);
    await login('Chrome/3');

    const first = await admin('GET', `/admin/users/${alice.id}/families?limit=2`);
    expect(first.status).toBe(200);
    await expectMatchesSpec(first, { method: 'GET', path: '/admin/users/{id}/families' });
    const page1 = await first.json();
    expect(page1.families.map((f: { id: string }) => f.id)).toEqual(['fam_3', 'fam_2']);
    expect(page1.families[0]).toEqual({
      id: 'fam_3',
      user_id: alice.id,
      client_id: 'web-app',
      scope: 'read write',
      created_at: '2023-11-14T22:15:20.000Z',
      last_used_at: '2023-11-14T22:15:20.000Z',
      expires_at: '2023-12-14T22:15:20.000Z',
      status: 'active',
      revoked_at: null,
      revoke_reason: null,
      user_agent: 'Chrome/3',
      ip: '127.0.0.1',
      provider: null,
    });
    const page2 = await (await admin('GET', `/admin/users/${alice.id}/families?limit=2&cursor=${page1.next_cursor}`)).json();
    expect(page2).toEqual({ families: [expect.objectContaining({ id: 'fam_1', user_agent: 'Firefox/1' })], next_cursor: null });
  });

  it.each([
    ['limit=0', 'limit must be a whole number from 1 to 500'],
    ['limit=501', 'limit must be a whole number from 1 to 500'],
    ['limit=ten', 'limit must be a whole number from 1 to 500'],
    ['cursor=%25%25', 'cursor is not one this service issued'],
  ])('answers ?%s with 400', async (query, description) => {
    const { admin, alice } = await adminSetup();
    const res = await admin('GET', `/admin/users/${alice.id}/families?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: description });
  });

  it('DELETE /admin/families/{id} ends that session: its refresh token is refused right after, the others still work', async () => {
    const { admin, login, refresh, deps } = await adminSetup();
    const doomed = await login();
    const kept = await login();
    const res = await admin('DELETE', '/admin/families/fam_1?reason=stolen%20laptop');
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'DELETE', path: '/admin/families/{id}' });
    expect(await res.json()).toEqual({ id: 'fam_1', deleted: true, revoked_families: 1, unlinked_identities: 0 });

    const refused = await refresh(doomed.refresh_token);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_grant', error_description: 'refresh token has been revoked' });
    expect((await refresh(kept.refresh_token)).status).toBe(200);

    const family = await deps.store.findFamily('fam_1');
    expect(family).toMatchObject({ revokedAt: 1_700_000_000_000, revokeReason: 'stolen laptop' });
    const [event] = (await deps.store.listAuditEvents({ type: 'family.revoked', limit: 5 })).items;
    expect(event).toMatchObject({ actor: 'admin:billing', familyId: 'fam_1', userAgent: adminAgent, ip: '127.0.0.1', details: { reason: 'stolen laptop' } });

    const again = await admin('DELETE', '/admin/families/fam_1');
    expect(await again.json()).toEqual({ id: 'fam_1', deleted: false, revoked_families: 0, unlinked_identities: 0 });
  });

  it('answers an unknown family with 404 and an unprintable reason with 400', async () => {
    const { admin, login } = await adminSetup();
    await login();
    const missing = await admin('DELETE', '/admin/families/fam_404');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', error_description: 'no family "fam_404"' });
    const bad = await admin('DELETE', '/admin/families/fam_1?reason=a%0Ab');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_request', error_description: 'reason must be at most 200 printable characters' });
  });

  it('DELETE /admin/users/{id}/families logs the user out everywhere', async () => {
    const { admin, login, refresh, alice, deps } = await adminSetup();
    const sessions = [await login(), await login()];
    const res = await admin('DELETE', `/admin/users/${alice.id}/families`);
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'DELETE', path: '/admin/users/{id}/families' });
    expect(await res.json()).toEqual({ id: alice.id, deleted: true, revoked_families: 2, unlinked_identities: 0 });
    for (const s of sessions) expect((await refresh(s.refresh_token)).status).toBe(400);
    const [event] = (await deps.store.listAuditEvents({ type: 'user.families_revoked', limit: 5 })).items;
    expect(event).toMatchObject({ actor: 'admin:billing', userId: alice.id, details: { reason: 'admin', families: ['fam_1', 'fam_2'] } });
  });

  it('refuses an admin token whose own session was revoked', async () => {
    const { admin, deps, fetch } = await adminSetup();
    // A login through a first-party console client carries the admin scope of a user the operator listed it on.
    await createClient(deps, { name: 'cli' }, { id: 'console', public: true, grants: ['password'], scopes: ['admin'] });
    await createUser(deps, { name: 'cli' }, { username: 'root', password: alicePassword, scopes: ['admin'] });
    const token = (await loginAlice({ fetch }, { client_id: 'console', username: 'root' })).access_token;
    expect((await admin('GET', '/admin/keys', { token })).status).toBe(200);
    const root = (await deps.store.findUserByUsername('root'))!;
    await admin('DELETE', `/admin/users/${root.id}/families`, { token });
    const res = await admin('GET', '/admin/keys', { token });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'the access token has been revoked: its session or its client has ended' });
  });
});
