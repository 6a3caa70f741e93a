import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/services/apis.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { adminSetup, cli } from './setup.js';

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
        dynamic_registration: false,
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

  it('opens an API to dynamic registration and closes it again, in the admin API, with its audit and answers as openapi.yaml says', async () => {
    const { admin, deps } = await adminSetup();
    const created = await admin('POST', '/admin/apis', { body: { ...orders, dynamic_registration: true } });
    expect(created.status).toBe(201);
    await expectMatchesSpec(created.clone(), { method: 'POST', path: '/admin/apis' });
    expect((await created.json()).api.dynamic_registration).toBe(true);
    expect((await deps.store.listRegistrationApis()).map((a) => a.id)).toEqual(['orders']);
    const listed = await (await admin('GET', '/admin/apis')).json();
    expect(listed.apis.map((a: { id: string; dynamic_registration: boolean }) => [a.id, a.dynamic_registration])).toEqual([['orders', true]]);

    const closed = await admin('PATCH', '/admin/apis/orders', { body: { dynamic_registration: false } });
    await expectMatchesSpec(closed.clone(), { method: 'PATCH', path: '/admin/apis/{id}' });
    expect((await closed.json()).api).toMatchObject({ id: 'orders', token_ttl: 300, dynamic_registration: false });
    expect((await (await admin('GET', '/admin/apis/orders')).json()).api.dynamic_registration).toBe(false);
    expect(await deps.store.listRegistrationApis()).toEqual([]);
    const [updated] = (await deps.store.listAuditEvents({ limit: 1, type: 'api.updated' })).items;
    expect(updated?.details).toMatchObject({ id: 'orders', dynamic_registration: false });
    const [made] = (await deps.store.listAuditEvents({ limit: 1, type: 'api.created' })).items;
    expect(made?.details).toMatchObject({ id: 'orders', dynamic_registration: true });

    for (const value of ['yes', 1, null]) {
      const res = await admin('PATCH', '/admin/apis/orders', { body: { dynamic_registration: value } });
      expect(res.status).toBe(400);
      await expectMatchesSpec(res.clone(), { method: 'PATCH', path: '/admin/apis/{id}' });
      expect(await res.json()).toEqual({ error: 'invalid_request', error_description: '"dynamic_registration" must be true or false' });
    }
    expect((await admin('POST', '/admin/apis', { body: { id: 'x', identifier: 'https://x.example', dynamic_registration: 'true' } })).status).toBe(400);
    expect((await deps.store.findApi('orders'))?.dynamicRegistration).toBe(false);
    expect(await deps.store.findApi('x')).toBeNull();
  });

  it('keeps at most 50 APIs open to registration, as a client lists at most 50', async () => {
    const { admin, deps } = await adminSetup();
    for (let i = 0; i < 50; i++) await createApi(deps, { name: 'cli' }, { id: `api-${i}`, identifier: `https://api-${i}.example`, dynamicRegistration: true });
    const refusal = { error: 'invalid_request', error_description: 'at most 50 APIs may be open to dynamic registration (a client lists at most 50)' };
    const more = await admin('POST', '/admin/apis', { body: { id: 'one-more', identifier: 'https://one-more.example', dynamic_registration: true } });
    expect(more.status).toBe(400);
    expect(await more.json()).toEqual(refusal);
    expect((await admin('POST', '/admin/apis', { body: { id: 'one-more', identifier: 'https://one-more.example' } })).status).toBe(201);
    expect(await (await admin('PATCH', '/admin/apis/one-more', { body: { dynamic_registration: true } })).json()).toEqual(refusal);
    // An open API's other settings still change; one closed makes room.
    expect((await admin('PATCH', '/admin/apis/api-0', { body: { name: 'Zero', dynamic_registration: true } })).status).toBe(200);
    expect((await admin('PATCH', '/admin/apis/api-0', { body: { dynamic_registration: false } })).status).toBe(200);
    expect((await admin('PATCH', '/admin/apis/one-more', { body: { dynamic_registration: true } })).status).toBe(200);
    expect((await deps.store.listRegistrationApis()).length).toBe(50);
  });

  it('opens and closes an API with tessera apis create|update --dynamic-registration / --no-dynamic-registration, and shows it', async () => {
    const { deps } = await adminSetup();
    const created = await cli(deps, ['apis', 'create', 'mcp', '--identifier', 'https://mcp.example/mcp', '--scope', 'tools', '--dynamic-registration']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toBe('created API mcp: https://mcp.example/mcp, tokens live ACCESS_TOKEN_TTL, open to dynamic registration\n  tools\n');
    expect((await deps.store.findApi('mcp'))?.dynamicRegistration).toBe(true);
    await cli(deps, ['apis', 'create', 'orders', '--identifier', 'https://orders.example']);
    const list = await cli(deps, ['apis', 'list']);
    expect(list.stdout.split('\n').map((line) => line.split(/\s+/).slice(0, 5))).toEqual([
      ['ID', 'IDENTIFIER', 'SCOPE', 'TOKEN_TTL', 'REGISTRATION'],
      ['mcp', 'https://mcp.example/mcp', 'tools', 'default', 'open'],
      ['orders', 'https://orders.example', '-', 'default', '-'],
      [''],
    ]);

    const closed = await cli(deps, ['apis', 'update', 'mcp', '--no-dynamic-registration', '--json']);
    expect(closed.code).toBe(0);
    expect(JSON.parse(closed.stdout).api).toMatchObject({ id: 'mcp', dynamic_registration: false, scopes: [{ name: 'tools', description: '' }] });
    const opened = await cli(deps, ['apis', 'update', 'orders', '--dynamic-registration']);
    expect(opened.stdout).toBe('updated API orders: https://orders.example, tokens live ACCESS_TOKEN_TTL, open to dynamic registration\n');
    expect((await cli(deps, ['apis', 'show', 'mcp'])).stdout).toBe('mcp: https://mcp.example/mcp, tokens live ACCESS_TOKEN_TTL\n  tools\n');

    const both = await cli(deps, ['apis', 'update', 'mcp', '--dynamic-registration', '--no-dynamic-registration']);
    expect(both).toMatchObject({ code: 2, stdout: '' });
    expect(both.stderr).toContain('give --dynamic-registration or --no-dynamic-registration, not both');
    expect((await cli(deps, ['apis', 'create', 'x', '--identifier', 'https://x.example', '--no-dynamic-registration'])).code).toBe(2);
    expect((await cli(deps, ['apis', 'update', 'mcp', '--dynamic-registration=yes'])).code).toBe(2);
    expect((await deps.store.listRegistrationApis()).map((a) => a.id)).toEqual(['orders']);
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
