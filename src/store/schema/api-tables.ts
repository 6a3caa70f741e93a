import type { Columns } from './columns.js';

/** The APIs tokens are for (RFC 8707 resources), and roles: named sets of their scopes given to users. */
export function defineApiTables(c: Columns) {
  const apis = c.table('apis', {
    id: c.text('id').primaryKey(),
    /** The `aud` of its tokens and the `resource` that asks for them. */
    identifier: c.text('identifier').notNull().unique(),
    name: c.text('name'),
    /** Its scopes with their descriptions, JSON text: [{ name, description }]. */
    scopes: c.text('scopes').notNull(),
    /** Seconds its access tokens live; null: ACCESS_TOKEN_TTL. */
    tokenTtl: c.int('token_ttl'),
    /** Given to the clients that register themselves (RFC 7591 /register). */
    dynamicRegistration: c.bool('dynamic_registration').notNull().default(false),
    createdAt: c.instant('created_at').notNull(),
  });

  const roles = c.table('roles', {
    name: c.text('name').primaryKey(),
    /** "apiId:scope" entries, JSON text. */
    grants: c.text('grants').notNull(),
    createdAt: c.instant('created_at').notNull(),
  });

  const userRoles = c.table(
    'user_roles',
    {
      userId: c.text('user_id').notNull(),
      role: c.text('role').notNull(),
    },
    (t) => [c.primaryKey({ columns: [t.userId, t.role] }), c.index('user_roles_role_idx').on(t.role)],
  );

  return { apis, roles, userRoles };
}
