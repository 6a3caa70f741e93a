import { describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { loginAlice, passwordGrant } from '../helpers/fixtures.js';
import { form } from '../helpers/server.js';
import { adminAgent, adminSetup } from './setup.js';

describe('admin users', () => {
  it('POST /admin/users creates a user who can then log in, and audits it as admin:<sub> with IP and user agent', async () => {
    const { admin, fetch, deps } = await adminSetup();
    const res = await admin('POST', '/admin/users', { body: { username: 'Bob', password: 'a long enough password', scope: 'read' } });
    expect(res.status).toBe(201);
    await expectMatchesSpec(res, { method: 'POST', path: '/admin/users' });
    const { user } = await res.json();
    expect(user).toEqual({
      id: 'usr_2',
      username: 'bob',
      scope: 'read',
      email: null,
      email_verified: false,
      name: null,
      given_name: null,
      family_name: null,
      picture: null,
      locale: null,
      created_at: '2023-11-14T22:13:20.000Z',
      updated_at: null,
      disabled_at: null,
    });
    expect(JSON.stringify(user)).not.toContain('a long enough password');

    expect((await loginAlice({ fetch }, { username: 'bob', password: 'a long enough password' })).scope).toBe('read');
    const [event] = (await deps.store.listAuditEvents({ type: 'user.created', userId: 'usr_2', limit: 5 })).items;
    expect(event).toMatchObject({ actor: 'admin:billing', ip: '127.0.0.1', userAgent: adminAgent, details: { username: 'bob', scope: 'read' } });
  });

  it.each([
    ['bad JSON', { rawBody: '{"username":' }, 'body is not valid JSON'],
    ['a non-object', { rawBody: '["bob"]' }, 'body must be a JSON object'],
    ['a missing password', { body: { username: 'bob' } }, '"password" is required'],
    ['a number for a name', { body: { username: 42, password: 'a long enough password' } }, '"username" must be a string'],
    [
      'an unknown field',
      { body: { username: 'bob', password: 'a long enough password', admin: true } },
      'unknown field "admin"; allowed: username, password, scope, email, email_verified',
    ],
    ['a short password', { body: { username: 'bob', password: 'short' } }, 'password must be at least 8 characters'],
  ])('answers %s with 400 invalid_request and creates nothing', async (_name, request, description) => {
    const { admin, deps } = await adminSetup();
    const res = await admin('POST', '/admin/users', request);
    expect(res.status).toBe(400);
    await expectMatchesSpec(res, { method: 'POST', path: '/admin/users' });
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: description });
    expect(await deps.store.findUserByUsername('bob')).toBeNull();
  });

  it('answers a taken username with 409 and a form body with 400', async () => {
    const { admin, fetch, adminToken } = await adminSetup();
    const taken = await admin('POST', '/admin/users', { body: { username: 'alice', password: 'a long enough password' } });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toEqual({ error: 'conflict', error_description: 'user "alice" already exists' });
    const formBody = await fetch('/admin/users', {
      ...form({ username: 'bob', password: 'a long enough password' }),
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(formBody.status).toBe(400);
    expect(await formBody.json()).toEqual({ error: 'invalid_request', error_description: 'content type must be application/json' });
  });

  it("PUT /admin/users/{id}/password changes the password and ends the user's sessions", async () => {
    const { admin, login, refresh, fetch, alice, deps } = await adminSetup();
    const session = await login();
    const res = await admin('PUT', `/admin/users/${alice.id}/password`, { body: { password: 'a brand new password' } });
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'PUT', path: '/admin/users/{id}/password' });
    expect(await res.json()).toEqual({ user_id: alice.id, revoked_families: 1 });
    expect((await refresh(session.refresh_token)).status).toBe(400);
    // A login checked in the very millisecond of the change is refused (it may have read the old hash).
    deps.clock.advance(0.001);
    const relogin = await passwordGrant({ fetch }, { password: 'a brand new password' });
    expect(relogin.status).toBe(200);
  });

  it('POST /admin/users/{id}/disable disables the user and ends its sessions', async () => {
    const { admin, login, refresh, alice, deps } = await adminSetup();
    const session = await login();
    const res = await admin('POST', `/admin/users/${alice.id}/disable`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user_id: alice.id, disabled: true, revoked_families: 1 });
    expect((await refresh(session.refresh_token)).status).toBe(400);
    expect((await deps.store.findUserById(alice.id))?.disabledAt).toBe(1_700_000_000_000);
  });

  it('GET /admin/users lists users newest first, a page at a time, and finds one by username', async () => {
    const { admin, alice, deps } = await adminSetup();
    deps.clock.advance(1);
    const bob = (await (await admin('POST', '/admin/users', { body: { username: 'bob', password: 'a long enough password' } })).json()).user;

    const first = await admin('GET', '/admin/users?limit=1');
    expect(first.status).toBe(200);
    await expectMatchesSpec(first, { method: 'GET', path: '/admin/users' });
    const page = await first.json();
    expect(page.users).toEqual([bob]);
    const second = await (await admin('GET', `/admin/users?limit=1&cursor=${page.next_cursor}`)).json();
    expect(second).toEqual({
      users: [
        {
          ...{ id: alice.id, username: 'alice', scope: null, email: null, email_verified: false },
          ...{ name: null, given_name: null, family_name: null, picture: null, locale: null },
          ...{ created_at: '2023-11-14T22:13:20.000Z', updated_at: null, disabled_at: null },
        },
      ],
      next_cursor: null,
    });

    // The CLI takes names, this API ids: the name leads to the id.
    expect(await (await admin('GET', '/admin/users?username=ALICE')).json()).toEqual({ users: [second.users[0]], next_cursor: null });
    expect(await (await admin('GET', '/admin/users?username=nobody')).json()).toEqual({ users: [], next_cursor: null });
    const shown = await admin('GET', `/admin/users/${alice.id}`);
    await expectMatchesSpec(shown, { method: 'GET', path: '/admin/users/{id}' });
    expect(await shown.json()).toEqual({
      user: second.users[0],
      identities: [],
      roles: [],
      factors: { totp: false, recovery_codes_left: 0, passkeys: [] },
    });
  });

  it('POST /admin/users/{id}/enable lets a disabled user log in again; the sessions it lost stay ended', async () => {
    const { admin, login, refresh, alice, deps } = await adminSetup();
    const before = await login();
    await admin('POST', `/admin/users/${alice.id}/disable`);
    deps.clock.advance(1);
    const res = await admin('POST', `/admin/users/${alice.id}/enable`);
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'POST', path: '/admin/users/{id}/enable' });
    expect(await res.json()).toEqual({ user_id: alice.id, enabled: true });
    expect((await refresh(before.refresh_token)).status).toBe(400);
    expect((await refresh((await login()).refresh_token)).status).toBe(200);
    expect(await (await admin('POST', `/admin/users/${alice.id}/enable`)).json()).toEqual({ user_id: alice.id, enabled: false });
    const events = (await deps.store.listAuditEvents({ type: 'user.enabled', limit: 5 })).items;
    expect(events).toEqual([expect.objectContaining({ userId: alice.id, actor: 'admin:billing' })]);
  });

  it('DELETE /admin/users/{id} deletes the user, ends its sessions on the revocation feed, and frees the name', async () => {
    const { admin, fetch, login, refresh, alice, deps } = await adminSetup();
    const session = await login();
    const res = await admin('DELETE', `/admin/users/${alice.id}`);
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'DELETE', path: '/admin/users/{id}' });
    expect(await res.json()).toEqual({ id: alice.id, deleted: true, revoked_families: 1, unlinked_identities: 0 });
    expect((await refresh(session.refresh_token)).status).toBe(400);
    const feed = await (await fetch('/revocations')).json();
    expect(feed.revocations).toEqual([expect.objectContaining({ sid: 'fam_1' })]);
    expect((await admin('GET', `/admin/users/${alice.id}`)).status).toBe(404);
    expect((await admin('DELETE', `/admin/users/${alice.id}`)).status).toBe(404);
    expect((await admin('POST', '/admin/users', { body: { username: 'alice', password: 'a long enough password' } })).status).toBe(201);
    const [event] = (await deps.store.listAuditEvents({ type: 'user.deleted', limit: 5 })).items;
    expect(event).toMatchObject({ userId: alice.id, actor: 'admin:billing', details: { username: 'alice', revoked_families: 1 } });
  });

  it('answers 404 for an unknown user id on every user route', async () => {
    const { admin } = await adminSetup();
    const calls: [string, string, unknown?][] = [
      ['GET', '/admin/users/usr_404'],
      ['DELETE', '/admin/users/usr_404'],
      ['POST', '/admin/users/usr_404/enable'],
      ['PUT', '/admin/users/usr_404/password', { password: 'a long enough password' }],
      ['POST', '/admin/users/usr_404/disable'],
      ['GET', '/admin/users/usr_404/families'],
      ['DELETE', '/admin/users/usr_404/families'],
    ];
    for (const [method, path, body] of calls) {
      const res = await admin(method, path, { body });
      expect(res.status).toBe(404);
      await expectMatchesSpec(res, { method, path });
      expect(await res.json()).toEqual({ error: 'not_found', error_description: 'no user "usr_404"' });
    }
  });
});
