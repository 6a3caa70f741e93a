import { and, eq, gte, lt, or, type Column, type SQL } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type {
  AuditEvent,
  AuthorizationCode,
  Client,
  ClientProfile,
  ClientRegistrar,
  Consent,
  Family,
  GrantType,
  ParRequest,
  ResourceGrants,
  User,
} from '../domain/types.js';
import type * as sqlite from './schema/sqlite.js';
import type { AuditQuery, Page } from './types.js';

// Both dialects infer the same row types (test/store/schema.test.ts keeps them in step), so one set of mappers serves.
type UserRow = typeof sqlite.users.$inferSelect;
type ClientRow = typeof sqlite.clients.$inferSelect;
type AuditRow = typeof sqlite.auditEvents.$inferSelect;
type ConsentRow = typeof sqlite.consents.$inferSelect;
type FamilyRow = typeof sqlite.families.$inferSelect;
type CodeRow = typeof sqlite.authorizationCodes.$inferSelect;

const grantsToText = (g: ResourceGrants | null): string | null => (g === null ? null : JSON.stringify(g));
const grantsFromText = (t: string | null): ResourceGrants | null => (t === null ? null : (JSON.parse(t) as ResourceGrants));

export const familyToRow = (f: Family): FamilyRow => ({ ...f, grants: grantsToText(f.grants) });
export const familyFromRow = (r: FamilyRow): Family => ({ ...r, grants: grantsFromText(r.grants) });
export const codeToRow = (c: AuthorizationCode): CodeRow => ({ ...c, grants: grantsToText(c.grants) });
export const codeFromRow = (r: CodeRow): AuthorizationCode => ({ ...r, grants: grantsFromText(r.grants) });

export const userToRow = (u: User): UserRow => ({ ...u, scopes: u.scopes === null ? null : JSON.stringify(u.scopes) });

export const userFromRow = (r: UserRow): User => ({ ...r, scopes: r.scopes === null ? null : (JSON.parse(r.scopes) as string[]) });

export const clientToRow = (c: Client): ClientRow => ({
  ...c,
  grants: JSON.stringify(c.grants),
  scopes: JSON.stringify(c.scopes),
  redirectUris: JSON.stringify(c.redirectUris),
  postLogoutRedirectUris: JSON.stringify(c.postLogoutRedirectUris),
  apis: JSON.stringify(c.apis),
});

export const clientFromRow = (r: ClientRow): Client => ({
  ...r,
  grants: JSON.parse(r.grants) as GrantType[],
  scopes: JSON.parse(r.scopes) as string[],
  redirectUris: JSON.parse(r.redirectUris) as string[],
  postLogoutRedirectUris: JSON.parse(r.postLogoutRedirectUris) as string[],
  profile: r.profile as ClientProfile | null,
  registeredBy: r.registeredBy as ClientRegistrar,
  apis: JSON.parse(r.apis) as string[],
});

type ParRow = typeof sqlite.parRequests.$inferSelect;

export const parToRow = (p: ParRequest): ParRow => ({ ...p, params: JSON.stringify(p.params) });

export const parFromRow = (r: ParRow): ParRequest => ({ ...r, params: JSON.parse(r.params) as Record<string, string> });

export const consentToRow = (c: Consent): ConsentRow => ({ ...c, scopes: JSON.stringify(c.scopes) });

export const consentFromRow = (r: ConsentRow): Consent => ({ ...r, scopes: JSON.parse(r.scopes) as string[] });

export const auditToRow = (e: AuditEvent): AuditRow => ({ ...e, details: JSON.stringify(e.details) });

export const auditFromRow = (r: AuditRow): AuditEvent => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> });

/** Newest-first keyset pagination: rows strictly after the cursor's (at, id); no condition without a cursor. */
export function olderThanCursor(at: Column, id: Column, cursor: string | undefined): SQL | undefined {
  const after = cursor === undefined ? null : decodeCursor(cursor);
  return after ? or(lt(at, after.at), and(eq(at, after.at), lt(id, after.id))) : undefined;
}

/** The WHERE of an audit query; the columns are either dialect's audit_events table. */
export function auditFilter(t: { userId: Column; type: Column; at: Column; id: Column }, q: AuditQuery): SQL | undefined {
  return and(
    q.userId !== undefined ? eq(t.userId, q.userId) : undefined,
    q.type !== undefined ? eq(t.type, q.type) : undefined,
    q.since !== undefined ? gte(t.at, q.since) : undefined,
    olderThanCursor(t.at, t.id, q.cursor),
  );
}

/** Turns the `limit + 1` rows a listing fetched into a page, with a cursor when more follow. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, at: (row: R) => number, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(at(last), last.id) : null };
}
