import { describe, expect, it } from 'vitest';
import type { Api } from '../../../src/domain/apis.js';
import type { AuditEntry, Audited } from '../../../src/domain/audit.js';
import { Conflict } from '../../../src/errors/domain.js';
import type { StoreSetup } from '../contract.js';
import { client, event, family, t0, user } from '../fixtures.js';

// APIs, roles and the roles given to users; what families and clients keep of them.
const api = (o: Partial<Api> = {}): Api => ({
  id: 'orders',
  identifier: 'https://orders.example',
  name: 'Orders',
  scopes: [{ name: 'orders:read', description: 'See your orders' }],
  tokenTtl: 300,
  dynamicRegistration: false,
  createdAt: t0,
  ...o,
});

export function apiSuite(setup: () => Promise<StoreSetup>) {
  describe('APIs and roles', () => {
    it('keeps an API, finds it by id and by identifier, refuses a taken id or identifier, updates and deletes it with its events', async () => {
      const { store } = await setup();
      await store.insertApi(api(), [{ type: 'api.created', data: { apiId: 'orders', identifier: 'https://orders.example' } }]);
      expect(await store.findApi('orders')).toEqual(api());
      expect(await store.findApiByIdentifier('https://orders.example')).toEqual(api());
      await expect(store.insertApi(api({ identifier: 'https://other.example' }))).rejects.toBeInstanceOf(Conflict);
      await expect(store.insertApi(api({ id: 'other' }))).rejects.toBeInstanceOf(Conflict);
      await store.insertApi(api({ id: 'billing', identifier: 'https://billing.example', scopes: [], tokenTtl: null, name: null }));
      expect((await store.listApis()).map((a) => a.id)).toEqual(['billing', 'orders']);
      await expect(store.updateApi('billing', { identifier: 'https://orders.example' }, t0)).rejects.toBeInstanceOf(Conflict);
      expect(await store.updateApi('orders', { scopes: [], tokenTtl: null }, t0 + 1)).toEqual(api({ scopes: [], tokenTtl: null }));
      expect(await store.updateApi('nope', { name: 'x' }, t0)).toBeNull();
      expect(await store.deleteApi('orders', t0 + 2, [{ type: 'api.deleted', data: { apiId: 'orders' } }])).toBe(true);
      expect(await store.deleteApi('orders', t0 + 2)).toBe(false);
      expect(await store.findApi('orders\0')).toBeNull();
      expect((await store.listEvents({ after: 0, limit: 10 })).map((e) => e.event.type)).toEqual(['api.created', 'api.deleted']);
    });

    it('writes the audit record of an API or role change in the change’s transaction: a failing audit write leaves the change undone', async () => {
      const { store } = await setup();
      await store.insertAuditEvent(event({ id: 'evt_taken', type: 'key.encrypted' }));
      const audit = (id: string, type: AuditEntry['type']): Audited => ({ actor: { name: 'admin:ops' }, newId: () => id, entries: [{ type, details: {} }] });
      await expect(
        store.insertApi(api(), [{ type: 'api.created', data: { apiId: 'orders', identifier: 'https://orders.example' } }], audit('evt_taken', 'api.created')),
      ).rejects.toThrow();
      expect(await store.findApi('orders')).toBeNull();
      expect(await store.lastEventSeq()).toBe(0);
      await store.insertApi(api(), [], audit('evt_1', 'api.created'));
      await expect(store.deleteApi('orders', t0 + 1, [], audit('evt_taken', 'api.deleted'))).rejects.toThrow();
      expect(await store.findApi('orders')).not.toBeNull();
      await store.insertRole({ name: 'clerk', grants: [], createdAt: t0 }, [], audit('evt_2', 'role.created'));
      await expect(store.setUserRoles('usr_1', ['clerk'], t0 + 1, [], audit('evt_taken', 'user.updated'))).rejects.toThrow();
      expect(await store.listUserRoles('usr_1')).toEqual([]);
      expect((await store.listAuditEvents({ limit: 10 })).items.map((e) => [e.id, e.type, e.actor])).toEqual([
        ['evt_taken', 'key.encrypted', expect.any(String)],
        ['evt_2', 'role.created', 'admin:ops'],
        ['evt_1', 'api.created', 'admin:ops'],
      ]);
    });

    it('lists the APIs open to dynamic registration, by id, and opens or closes one by update', async () => {
      const { store } = await setup();
      expect(await store.listRegistrationApis()).toEqual([]);
      await store.insertApi(api({ id: 'tools', identifier: 'https://mcp.example/mcp', dynamicRegistration: true }));
      await store.insertApi(api());
      await store.insertApi(api({ id: 'billing', identifier: 'https://billing.example', dynamicRegistration: true }));
      expect(await store.listRegistrationApis()).toEqual([
        api({ id: 'billing', identifier: 'https://billing.example', dynamicRegistration: true }),
        api({ id: 'tools', identifier: 'https://mcp.example/mcp', dynamicRegistration: true }),
      ]);
      expect(await store.updateApi('orders', { dynamicRegistration: true }, t0 + 1)).toEqual(api({ dynamicRegistration: true }));
      expect(await store.updateApi('tools', { dynamicRegistration: false, name: 'Tools' }, t0 + 1)).toMatchObject({
        dynamicRegistration: false,
        name: 'Tools',
      });
      expect((await store.listRegistrationApis()).map((a) => a.id)).toEqual(['billing', 'orders']);
      expect((await store.findApi('tools'))?.dynamicRegistration).toBe(false);
      await store.deleteApi('billing', t0 + 2);
      expect((await store.listRegistrationApis()).map((a) => a.id)).toEqual(['orders']);
    });

    it("gives users roles, reads the scopes they grant, and takes a deleted role or user's rows away", async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.insertRole({ name: 'shopper', grants: ['orders:orders:read', 'billing:billing:read'], createdAt: t0 });
      await store.insertRole({ name: 'reader', grants: ['orders:orders:read'], createdAt: t0 });
      await expect(store.insertRole({ name: 'reader', grants: [], createdAt: t0 })).rejects.toBeInstanceOf(Conflict);
      await store.setUserRoles('usr_1', ['shopper', 'reader'], t0);
      expect(await store.listUserRoles('usr_1')).toEqual(['reader', 'shopper']);
      expect((await store.userRoleGrants('usr_1')).sort()).toEqual(['billing:billing:read', 'orders:orders:read']);
      expect(await store.updateRole('reader', ['orders:orders:write'])).toBe(true);
      expect((await store.findRole('reader'))?.grants).toEqual(['orders:orders:write']);
      expect(await store.deleteRole('shopper', t0)).toBe(true);
      expect(await store.listUserRoles('usr_1')).toEqual(['reader']);
      expect((await store.listRoles()).map((r) => r.name)).toEqual(['reader']);
      await store.deleteUser('usr_1', t0);
      expect(await store.listUserRoles('usr_1')).toEqual([]);
      expect(await store.userRoleGrants('nobody\0')).toEqual([]);
    });

    it('keeps what a family was granted per API, and the APIs a client may ask for', async () => {
      const { store } = await setup();
      await store.insertUser(user());
      await store.insertClient(client({ apis: ['orders', 'billing'], defaultApi: 'orders' }));
      expect(await store.findClient('web-app')).toMatchObject({ apis: ['orders', 'billing'], defaultApi: 'orders' });
      expect(await store.updateClient('web-app', { apis: ['billing'], defaultApi: null })).toMatchObject({ apis: ['billing'], defaultApi: null });
      const grants = { 'https://orders.example': ['orders:read'], 'https://billing.example': [] };
      const started = family({ grants });
      await store.startFamily({
        family: started,
        firstToken: {
          id: 'rt_1',
          familyId: started.id,
          hash: 'h1',
          createdAt: t0,
          expiresAt: t0 + 1000,
          usedAt: null,
          successorId: null,
          successorSealed: null,
        },
        authTime: t0,
        maxSessions: null,
      });
      expect((await store.findFamily(started.id))?.grants).toEqual(grants);
    });
  });
}
