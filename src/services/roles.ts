import { splitQualifiedScope, type Role } from '../domain/apis.js';
import { pageById } from '../domain/cursor.js';
import { Conflict, InvalidInput, NotFound } from '../errors/domain.js';
import { excerpt } from '../lib/excerpt.js';
import type { ApisStore, AuditStore, UsersStore } from '../store/types.js';
import { audited } from './audit.js';
import type { Actor, Uses } from './deps.js';
import { pageInput, type PageInput } from './inputs.js';

// Roles: named sets of API scopes (`apiId:scope`) given to users: `tessera roles …`, /admin/roles, `users update --role`.

type RoleDeps = Uses<'clock' | 'ids', ApisStore & UsersStore & AuditStore>;

const rolePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const iso = (ms: number) => new Date(ms).toISOString();
export const roleView = (r: Role) => ({ name: r.name, grants: r.grants, created_at: iso(r.createdAt) });
export type RoleView = ReturnType<typeof roleView>;

/** Each grant must name a scope of an existing API, so a typo is an error rather than a role that grants nothing. */
async function checkGrants(deps: RoleDeps, grants: readonly string[]): Promise<string[]> {
  if (grants.length > 500) throw new InvalidInput('a role grants at most 500 scopes');
  for (const grant of grants) {
    const parts = splitQualifiedScope(grant);
    if (!parts) throw new InvalidInput(`grant "${excerpt(grant)}" must be API:SCOPE, e.g. orders:orders:read`);
    const api = await deps.store.findApi(parts.apiId);
    if (!api) throw new InvalidInput(`grant "${excerpt(grant)}" names no API "${excerpt(parts.apiId)}"`);
    if (!api.scopes.some((s) => s.name === parts.scope)) throw new InvalidInput(`API "${api.id}" has no scope "${excerpt(parts.scope)}"`);
  }
  return [...new Set(grants)];
}

export async function createRole(deps: RoleDeps, actor: Actor, input: { name: string; grants: string[] }): Promise<RoleView> {
  if (!rolePattern.test(input.name)) throw new InvalidInput('role name must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  const role: Role = { name: input.name, grants: await checkGrants(deps, input.grants), createdAt: deps.clock.now().getTime() };
  try {
    const audit = audited(deps, actor, [{ type: 'role.created', details: { role: role.name, grants: role.grants } }]);
    await deps.store.insertRole(role, [{ type: 'role.created', data: { role: role.name } }], audit);
  } catch (error) {
    if (error instanceof Conflict) throw new Conflict(`role "${input.name}" already exists`);
    throw error;
  }
  return roleView(role);
}

export async function listRoles(deps: RoleDeps, page: PageInput) {
  const all = (await deps.store.listRoles()).map((r) => ({ ...r, id: r.name }));
  const { items, nextCursor } = pageById(all, pageInput(page));
  return { roles: items.map(roleView), next_cursor: nextCursor };
}

const noRole = (name: string) => new NotFound(`no role "${excerpt(name)}"`);

export async function showRole(deps: RoleDeps, name: string): Promise<RoleView> {
  const role = await deps.store.findRole(name);
  if (!role) throw noRole(name);
  return roleView(role);
}

export async function deleteRole(deps: RoleDeps, actor: Actor, name: string): Promise<void> {
  const audit = audited(deps, actor, [{ type: 'role.deleted', details: { role: name } }]);
  if (!(await deps.store.deleteRole(name, deps.clock.now().getTime(), [{ type: 'role.deleted', data: { role: name } }], audit))) throw noRole(name);
}

/** Gives the user exactly these roles. Sessions already started keep what they were granted until they end. */
export async function setUserRoles(deps: RoleDeps, actor: Actor, userId: string, roles: string[]): Promise<string[]> {
  const names = [...new Set(roles)].sort();
  if (names.length > 100) throw new InvalidInput('a user has at most 100 roles');
  for (const name of names) if (!(await deps.store.findRole(name))) throw new InvalidInput(`no role "${excerpt(name)}"`);
  if (!(await deps.store.findUserById(userId))) throw new NotFound('no such user');
  const audit = audited(deps, actor, [{ type: 'user.updated', userId, details: { roles: names } }]);
  await deps.store.setUserRoles(userId, names, deps.clock.now().getTime(), [{ type: 'user.updated', data: { userId, fields: ['roles'] } }], audit);
  return names;
}
