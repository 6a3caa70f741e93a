import { describe, expect, it } from 'vitest';
import { adminSetup, cli } from '../admin/setup.js';
import { expectMatchesSpec } from '../helpers/openapi.js';

// Issue 24 item 7: the OpenID profile claims an operator sets on a user, by the admin API and the CLI.

describe('PATCH /admin/users/{id}', () => {
  it('sets the profile claims, stamps updated_at and audits which fields changed', async () => {
    const { admin, alice, deps } = await adminSetup();
    deps.clock.advance(60);
    const changes = {
      name: 'Alice Kim',
      given_name: 'Alice',
      family_name: 'Kim',
      picture: 'https://images.example.com/alice.png',
      locale: 'ko-KR',
      email: 'alice@example.com',
      email_verified: true,
    };
    const res = await admin('PATCH', `/admin/users/${alice.id}`, { body: changes });
    expect(res.status).toBe(200);
    await expectMatchesSpec(res, { method: 'PATCH', path: '/admin/users/{id}' });
    const { email_verified: _, ...profile } = changes;
    expect((await res.json()).user).toMatchObject({ ...profile, email_verified: true, updated_at: '2023-11-14T22:14:20.000Z' });
    expect(await deps.store.findUserById(alice.id)).toMatchObject({ name: 'Alice Kim', locale: 'ko-KR', updatedAt: deps.clock.now().getTime() });
    const [event] = (await deps.store.listAuditEvents({ type: 'user.updated', limit: 5 })).items;
    expect(event).toMatchObject({
      userId: alice.id,
      actor: 'admin:billing',
      details: { fields: ['name', 'given_name', 'family_name', 'picture', 'locale', 'email', 'email_verified'] },
    });
  });

  it('clears a field with null, marks a new address unverified, and changes nothing for a request that changes nothing', async () => {
    const { admin, alice, deps } = await adminSetup();
    await admin('PATCH', `/admin/users/${alice.id}`, { body: { name: 'Alice', email: 'a@example.com', email_verified: true } });
    deps.clock.advance(10);
    const moved = await (await admin('PATCH', `/admin/users/${alice.id}`, { body: { name: null, email: 'b@example.com' } })).json();
    expect(moved.user).toMatchObject({ name: null, email: 'b@example.com', email_verified: false, updated_at: '2023-11-14T22:13:30.000Z' });
    deps.clock.advance(10);
    const same = await (await admin('PATCH', `/admin/users/${alice.id}`, { body: { email: 'b@example.com' } })).json();
    expect(same.user.updated_at).toBe('2023-11-14T22:13:30.000Z');
    expect((await deps.store.listAuditEvents({ type: 'user.updated', limit: 5 })).items).toHaveLength(2);
  });

  it.each([
    ['a NUL in a name', { name: 'Al\u0000ice' }, 'name must not contain control characters'],
    ['a line break in a family name', { family_name: 'Kim\nEvil' }, 'family_name must not contain control characters'],
    ['a lone surrogate', { given_name: 'A\ud800' }, 'given_name must be well-formed Unicode'],
    ['a long name', { name: 'x'.repeat(257) }, 'name must be at most 256 characters'],
    ['a blank name', { name: '   ' }, 'name must not be blank (send null to clear it)'],
    ['an http picture', { picture: 'http://images.example.com/a.png' }, 'picture must be an https URL'],
    ['a javascript: picture', { picture: 'javascript:alert(1)' }, 'picture must be an https URL'],
    ['a locale that is no language tag', { locale: 'english please' }, 'locale must be a BCP 47 language tag such as en or ko-KR'],
    ['a bad address', { email: 'not an address' }, 'email must look like name@example.com (at most 254 characters)'],
    ['a NUL in an address', { email: 'alice\u0000@example.com' }, 'email must not contain control characters'],
    ['verified without an address', { email_verified: true }, 'email verified needs an email'],
    ['a number for a name', { name: 42 }, '"name" must be a string or null'],
    ['an unknown field', { username: 'mallory' }, 'unknown field "username"; allowed: name, given_name, family_name, picture, locale, email, email_verified'],
  ])('refuses %s with 400 invalid_request and changes nothing', async (_name, body, description) => {
    const { admin, alice, deps } = await adminSetup();
    const res = await admin('PATCH', `/admin/users/${alice.id}`, { body });
    expect(res.status).toBe(400);
    await expectMatchesSpec(res, { method: 'PATCH', path: '/admin/users/{id}' });
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: description });
    expect(await deps.store.findUserById(alice.id)).toMatchObject({ name: null, givenName: null, email: null, updatedAt: null });
  });

  it('answers 404 for an unknown user', async () => {
    const { admin } = await adminSetup();
    const res = await admin('PATCH', '/admin/users/usr_nobody', { body: { name: 'Nobody' } });
    expect(res.status).toBe(404);
    await expectMatchesSpec(res, { method: 'PATCH', path: '/admin/users/{id}' });
  });
});

describe('tessera users update', () => {
  it('sets and clears profile claims by name, and refuses what the admin API refuses', async () => {
    const { deps, alice } = await adminSetup();
    const set = await cli(deps, ['users', 'update', 'alice', '--name', 'Alice Kim', '--given-name', 'Alice', '--locale', 'ko', '--json']);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout).user).toMatchObject({ name: 'Alice Kim', given_name: 'Alice', locale: 'ko' });
    expect((await cli(deps, ['users', 'update', 'alice', '--name=', '--json'])).code).toBe(0);
    expect(await deps.store.findUserById(alice.id)).toMatchObject({ name: null, givenName: 'Alice' });
    expect((await cli(deps, ['users', 'show', 'alice'])).stdout).toMatch(/\nname +-\ngiven_name +Alice\nlocale +ko\nupdated_at +2023-11-14T22:13:20.000Z\n/);
    const bad = await cli(deps, ['users', 'update', 'alice', '--picture', 'http://x.example/a.png']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'tessera: picture must be an https URL']);
    const [event] = (await deps.store.listAuditEvents({ type: 'user.updated', limit: 1 })).items;
    expect(event).toMatchObject({ actor: 'cli', details: { fields: ['name'] } });
  });
});
