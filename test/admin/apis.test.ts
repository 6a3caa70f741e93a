import { describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { adminSetup } from './setup.js';

const orders = {
  id: 'orders',
  identifier: 'https://orders.example.com',
  name: 'Orders',
  scopes: [{ name: 'orders:read', description: 'See your orders' }, 'orders:write'],
  token_ttl: 300,
};

describe('admin APIs and roles', () => {
  it('creates, pages, shows, changes and deletes APIs, each answer as openapi.yaml says, and audits them', async () => {
    const { admin, deps } = await adminSetup();
    const created = await admin('POST', '/admin/apis', { body: orders });
    expect(created.status).toBe(201);
    await expectMatchesSpec(created.clone(), { method: 'POST', path: '/admin/apis' });
    expect(await created.json()).toEqual({
      api: {
        id: 'orders',
        identifier: 'https://orders.example.com',
        name: 'Orders',
        scopes: [
          { name: 'orders:read', description: 'See your orders' },
          { name: 'orders:write', description: '' },
        ],
        token_ttl: 300,
        created_at: '2023-11-14T22:13:20.000Z',
      },
    });
    for (const id of ['a-api', 'b-api']) expect((await admin('POST', '/admin/apis', { body: { id, identifier: `https://${id}.example` } })).status).toBe(201);
    const first = await admin('GET', '/admin/apis?limit=2');
    await expectMatchesSpec(first.clone(), { method: 'GET', path: '/admin/apis' });
    const page = await first.json();
    expect(page.apis.map((a: { id: string }) => a.id)).toEqual(['a-api', 'b-api']);
    expect((await (await admin('GET', `/admin/apis?limit=2&cursor=${page.next_cursor}`)).json()).apis.map((a: { id: string }) => a.id)).toEqual(['orders']);

    const patched = await admin('PATCH', '/admin/apis/orders', { body: { token_ttl: null, name: null } });
    await expectMatchesSpec(patched.clone(), { method: 'PATCH', path: '/admin/apis/{id}' });
    expect((await patched.json()).api).toMatchObject({ token_ttl: null, name: null });
    const shown = await admin('GET', '/admin/apis/orders');
    await expectMatchesSpec(shown.clone(), { method: 'GET', path: '/admin/apis/{id}' });

    // A client lists it; deleting the API takes it off the client.
    expect((await admin('PATCH', '/admin/clients/billing', { body: { apis: ['orders'], default_api: 'orders' } })).status).toBe(200);
    const deleted = await admin('DELETE', '/admin/apis/orders');
    await expectMatchesSpec(deleted.clone(), { method: 'DELETE', path: '/admin/apis/{id}' });
    expect(await deleted.json()).toEqual({ id: 'orders', deleted: true, revoked_families: 0, unlinked_identities: 0 });
    expect(await deps.store.findClient('billing')).toMatchObject({ apis: [], defaultApi: null });
    const audit = (await deps.store.listAuditEvents({ limit: 50 })).items.map((e) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['api.created', 'api.updated', 'api.deleted']));
  });

  it('refuses bad APIs with 400, a taken id or identifier with 409, an unknown one with 404, and changes nothing', async () => {
    const { admin, deps } = await adminSetup();
    expect((await admin('POST', '/admin/apis', { body: orders })).status).toBe(201);
    for (const [body, description] of [
      [{ ...orders, id: 'Orders:x' }, 'API id must be 1-64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit'],
      [{ ...orders, id: 'x', identifier: 'https://x.example#frag' }, 'identifier must not have a fragment (RFC 8707)'],
      [{ ...orders, id: 'x', identifier: 'not a uri' }, 'identifier must be an absolute URI of at most 2000 printable characters'],
      [{ ...orders, id: 'x', identifier: 'https://x.example', scopes: ['admin'] }, 'scope "admin" is Tessera\'s own; an API cannot define it'],
      [{ ...orders, id: 'x', identifier: 'https://x.example', token_ttl: 0 }, 'token TTL must be a whole number of seconds from 1 to 86400'],
      [
        { ...orders, id: 'x', identifier: 'https://x.example', scopes: [{ name: 'a', extra: 1 }] },
        '"scopes" must be an array of names or { name, description } objects',
      ],
    ] as const) {
      const res = await admin('POST', '/admin/apis', { body });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_request', error_description: description });
    }
    expect((await admin('POST', '/admin/apis', { body: { ...orders, identifier: 'https://y.example' } })).status).toBe(409);
    expect((await admin('POST', '/admin/apis', { body: { ...orders, id: 'other' } })).status).toBe(409);
    expect((await admin('GET', '/admin/apis/nope')).status).toBe(404);
    expect((await admin('PATCH', '/admin/apis/nope', { body: { name: 'x' } })).status).toBe(404);
    expect((await admin('DELETE', '/admin/apis/nope')).status).toBe(404);
    expect((await deps.store.listApis()).map((a) => a.id)).toEqual(['orders']);
  });

  it('creates roles over existing API scopes only, gives them to users, and deletes them', async () => {
    const { admin, alice } = await adminSetup();
    expect((await admin('POST', '/admin/apis', { body: orders })).status).toBe(201);
    const role = await admin('POST', '/admin/roles', { body: { name: 'shopper', grants: ['orders:orders:read'] } });
    expect(role.status).toBe(201);
    await expectMatchesSpec(role.clone(), { method: 'POST', path: '/admin/roles' });
    for (const [grant, description] of [
      ['orders:orders:delete', 'API "orders" has no scope "orders:delete"'],
      ['billing:read', 'grant "billing:read" names no API "billing"'],
      ['nocolon', 'grant "nocolon" must be API:SCOPE, e.g. orders:orders:read'],
    ]) {
      expect(await (await admin('POST', '/admin/roles', { body: { name: 'bad', grants: [grant] } })).json()).toEqual({
        error: 'invalid_request',
        error_description: description,
      });
    }
    expect((await admin('POST', '/admin/roles', { body: { name: 'shopper' } })).status).toBe(409);
    const listed = await admin('GET', '/admin/roles');
    await expectMatchesSpec(listed.clone(), { method: 'GET', path: '/admin/roles' });
    expect((await listed.json()).roles.map((r: { name: string }) => r.name)).toEqual(['shopper']);

    const given = await admin('PUT', `/admin/users/${alice.id}/roles`, { body: { roles: ['shopper'] } });
    await expectMatchesSpec(given.clone(), { method: 'PUT', path: '/admin/users/{id}/roles' });
    expect(await given.json()).toEqual({ user_id: alice.id, roles: ['shopper'] });
    expect((await admin('PUT', `/admin/users/${alice.id}/roles`, { body: { roles: ['nobody'] } })).status).toBe(400);
    expect((await (await admin('GET', `/admin/users/${alice.id}`)).json()).roles).toEqual(['shopper']);

    const shown = await admin('GET', '/admin/roles/shopper');
    await expectMatchesSpec(shown.clone(), { method: 'GET', path: '/admin/roles/{name}' });
    const deleted = await admin('DELETE', '/admin/roles/shopper');
    await expectMatchesSpec(deleted.clone(), { method: 'DELETE', path: '/admin/roles/{name}' });
    expect((await (await admin('GET', `/admin/users/${alice.id}`)).json()).roles).toEqual([]);
    expect((await admin('DELETE', '/admin/roles/shopper')).status).toBe(404);
  });
});
