import { asc, eq, inArray } from 'drizzle-orm';
import type { Api, ApiScope, Role } from '../domain/apis.js';
import type { Audited } from '../domain/audit.js';
import { recordChange } from './session-ends.js';
import { changes, rows, storable, type Db, type Dialect, type Tables } from './dialect.js';
import type { ApisStore, Events } from './types.js';

type ApiRow = Tables['apis']['$inferSelect'];
type RoleRow = Tables['roles']['$inferSelect'];

const apiFromRow = (r: ApiRow): Api => ({ ...r, scopes: JSON.parse(r.scopes) as ApiScope[] });
const apiToRow = (a: Api): ApiRow => ({ ...a, scopes: JSON.stringify(a.scopes) });
const roleFromRow = (r: RoleRow): Role => ({ ...r, grants: JSON.parse(r.grants) as string[] });

/** APIs (RFC 8707 resources) and roles, with the roles given to users. */
export function apisStore(dialect: Dialect, tables: Tables): ApisStore {
  const { apis, roles, userRoles } = tables;
  const { run, transaction } = dialect;
  const append = (db: Db, at: number, events: Events, audited?: Audited) => recordChange(dialect, db, tables, at, events, audited);
  return {
    insertApi: (api, events = [], audited) =>
      transaction(function* (db) {
        yield* changes(db.insert(apis).values(apiToRow(api)), `api ${api.id}`);
        yield* append(db, api.createdAt, events, audited);
      }),
    findApi: (id) =>
      run(function* (db) {
        if (!storable(id)) return null;
        const [row] = yield* rows(db.select().from(apis).where(eq(apis.id, id)));
        return row ? apiFromRow(row) : null;
      }),
    findApiByIdentifier: (identifier) =>
      run(function* (db) {
        if (!storable(identifier)) return null;
        const [row] = yield* rows(db.select().from(apis).where(eq(apis.identifier, identifier)));
        return row ? apiFromRow(row) : null;
      }),
    listApis: () =>
      run(function* (db) {
        return (yield* rows(db.select().from(apis).orderBy(asc(apis.id)))).map(apiFromRow);
      }),
    listRegistrationApis: () =>
      run(function* (db) {
        return (yield* rows(db.select().from(apis).where(eq(apis.dynamicRegistration, true)).orderBy(asc(apis.id)))).map(apiFromRow);
      }),
    updateApi: (id, update, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const { scopes, ...plain } = update;
        const set = { ...plain, ...(scopes === undefined ? {} : { scopes: JSON.stringify(scopes) }) };
        if (Object.keys(set).length > 0) yield* changes(db.update(apis).set(set).where(eq(apis.id, id)), `api identifier ${update.identifier ?? ''}`);
        const [row] = yield* rows(db.select().from(apis).where(eq(apis.id, id)));
        if (!row) return null;
        yield* append(db, now, events, audited);
        return apiFromRow(row);
      }),
    deleteApi: (id, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(id)) return false;
        const [row] = yield* rows(db.delete(apis).where(eq(apis.id, id)).returning());
        if (!row) return false;
        yield* append(db, now, events, audited);
        return true;
      }),
    insertRole: (role, events = [], audited) =>
      transaction(function* (db) {
        yield* changes(db.insert(roles).values({ ...role, grants: JSON.stringify(role.grants) }), `role ${role.name}`);
        yield* append(db, role.createdAt, events, audited);
      }),
    findRole: (name) =>
      run(function* (db) {
        if (!storable(name)) return null;
        const [row] = yield* rows(db.select().from(roles).where(eq(roles.name, name)));
        return row ? roleFromRow(row) : null;
      }),
    listRoles: () =>
      run(function* (db) {
        return (yield* rows(db.select().from(roles).orderBy(asc(roles.name)))).map(roleFromRow);
      }),
    updateRole: (name, grants) =>
      run(function* (db) {
        if (!storable(name)) return false;
        return (
          (yield* changes(
            db
              .update(roles)
              .set({ grants: JSON.stringify(grants) })
              .where(eq(roles.name, name)),
          )) > 0
        );
      }),
    deleteRole: (name, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(name)) return false;
        const [row] = yield* rows(db.delete(roles).where(eq(roles.name, name)).returning());
        if (!row) return false;
        yield* changes(db.delete(userRoles).where(eq(userRoles.role, name)));
        yield* append(db, now, events, audited);
        return true;
      }),
    setUserRoles: (userId, names, now, events = [], audited) =>
      transaction(function* (db) {
        yield* changes(db.delete(userRoles).where(eq(userRoles.userId, userId)));
        if (names.length > 0) yield* changes(db.insert(userRoles).values(names.map((role) => ({ userId, role }))));
        yield* append(db, now, events, audited);
      }),
    listUserRoles: (userId) =>
      run(function* (db) {
        if (!storable(userId)) return [];
        const found = yield* rows(db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)).orderBy(asc(userRoles.role)));
        return found.map((r) => r.role);
      }),
    userRoleGrants: (userId) =>
      run(function* (db) {
        if (!storable(userId)) return [];
        const names = (yield* rows(db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)))).map((r) => r.role);
        if (names.length === 0) return [];
        const found = yield* rows(db.select().from(roles).where(inArray(roles.name, names)));
        return [...new Set(found.flatMap((r) => roleFromRow(r).grants))];
      }),
  };
}
