import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { createUser } from '../../src/services/users.js';
import { adminSetup } from '../admin/setup.js';
import { alicePassword, passwordGrant } from '../helpers/fixtures.js';

// Issue #11, finding 2: a user created without --scope got `admin` through a client that lists it.

async function setup() {
  const s = await adminSetup();
  await createClient(s.deps, { name: 'cli' }, { id: 'console', public: true, grants: ['password'], scopes: ['read', 'admin', 'introspect'] });
  await createUser(s.deps, { name: 'cli' }, { username: 'root', password: alicePassword, scopes: ['read', 'admin'] });
  const login = async (username: string, scope?: string) => {
    const res = await passwordGrant(s, { client_id: 'console', username, scope });
    return { status: res.status, body: await res.json() };
  };
  return { ...s, loginAs: login };
}

describe('privileged scopes', () => {
  it('are never granted to a user without a scope list, asked for or by default', async () => {
    const s = await setup();
    const byDefault = await s.loginAs('alice');
    expect(byDefault).toMatchObject({ status: 200, body: { scope: 'read' } });
    expect((await s.admin('GET', '/admin/clients', { token: byDefault.body.access_token })).status).toBe(403);
    expect(await s.loginAs('alice', 'admin')).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(await s.loginAs('alice', 'introspect')).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });

  it('are granted to a user the operator listed them on', async () => {
    const s = await setup();
    const root = await s.loginAs('root');
    expect(root).toMatchObject({ status: 200, body: { scope: 'read admin' } });
    expect((await s.admin('GET', '/admin/clients', { token: root.body.access_token })).status).toBe(200);
    expect(await s.loginAs('root', 'introspect')).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });
});
