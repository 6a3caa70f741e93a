import { and, asc, eq, gt, gte, lt, lte, notInArray, sql, type Column, type SQL } from 'drizzle-orm';
import { changes, rows, storable, type Dialect, type Tables } from './dialect.js';
import type { Revocation } from '../domain/types.js';
import type { FeedPosition, RevocationFeedStore } from './types.js';

/** Family revocations that the ended client's own feed entry covers. */
const clientReasons = ['client_deleted', 'client_disabled'];

/** The revocation feed: revoked families, ended clients and revoked access tokens, in one order (revokedAt, kind, id). */
export function revocationFeedStore(dialect: Dialect, tables: Tables): RevocationFeedStore {
  const { families, clientRevocations, tokenRevocations } = tables;
  const { run } = dialect;
  return {
    listRevocations: ({ after, from, upTo = null, aliveAt, limit }) =>
      run(function* (db) {
        const revokedFamilies = yield* rows(
          db
            .select({ id: families.id, at: families.revokedAt })
            .from(families)
            .where(and(notInArray(families.revokeReason, clientReasons), feedBounds(families.revokedAt, families.id, 'family', from, after, upTo)))
            .orderBy(asc(families.revokedAt), asc(families.id))
            .limit(limit),
        );
        const endedClients = yield* rows(
          db
            .select({ id: clientRevocations.clientId, at: clientRevocations.revokedAt })
            .from(clientRevocations)
            .where(feedBounds(clientRevocations.revokedAt, clientRevocations.clientId, 'client', from, after, upTo))
            .orderBy(asc(clientRevocations.revokedAt), asc(clientRevocations.clientId))
            .limit(limit),
        );
        const revokedTokens = yield* rows(
          db
            .select()
            .from(tokenRevocations)
            .where(
              and(
                feedBounds(tokenRevocations.revokedAt, tokenRevocations.jti, 'token', from, after, upTo),
                aliveAt === undefined ? undefined : gt(tokenRevocations.expiresAt, aliveAt),
              ),
            )
            .orderBy(asc(tokenRevocations.revokedAt), asc(tokenRevocations.jti))
            .limit(limit),
        );
        return mergeFeed(
          mergeFeed(
            revokedFamilies.map((r): Revocation => ({ kind: 'family', sid: r.id, revokedAt: r.at! })),
            endedClients.map((r): Revocation => ({ kind: 'client', clientId: r.id, revokedAt: r.at })),
          ),
          revokedTokens.map((r): Revocation => ({ kind: 'token', jti: r.jti, revokedAt: r.revokedAt, expiresAt: r.expiresAt })),
        ).slice(0, limit);
      }),
    revokeAccessToken: (revocation) =>
      run(function* (db) {
        return (yield* changes(db.insert(tokenRevocations).values(revocation).onConflictDoNothing())) > 0;
      }),
    isAccessTokenRevoked: (jti) =>
      run(function* (db) {
        if (!storable(jti)) return false;
        const [row] = yield* rows(db.select({ jti: tokenRevocations.jti }).from(tokenRevocations).where(eq(tokenRevocations.jti, jti)));
        return row !== undefined;
      }),
  };
}

const kindOrder: Record<Revocation['kind'], number> = { family: 0, client: 1, token: 2 };

/** Rows of one kind revoked at or after `from`, strictly after `after` and at or before `upTo`, in feed order (revokedAt, kind, id). */
function feedBounds(at: Column, id: Column, kind: Revocation['kind'], from: number, after: FeedPosition | null, upTo: FeedPosition | null): SQL | undefined {
  // Within the kind, a row-value comparison, which both databases answer with one range scan of the (revoked_at, id)
  // index; `at > x or (at = x and id > y)`, or `at >= from` beside the row value, made them scan every row of the
  // instant x again for each page. When `after` is older than `from`, `from` alone is the lower bound.
  const lower =
    after && after.at >= from ? bound(after, { earlierKind: gt, laterKind: gte }, () => sql`(${at}, ${id}) > (${after.at}, ${after.id})`) : gte(at, from);
  const upper = upTo && bound(upTo, { earlierKind: lte, laterKind: lt }, () => sql`(${at}, ${id}) <= (${upTo.at}, ${upTo.id})`);
  return and(lower, upper ?? undefined);

  function bound(pos: FeedPosition, ops: { earlierKind: typeof gt; laterKind: typeof gt }, sameKind: () => SQL) {
    // At the position's instant, entries of an earlier kind sort before it and those of a later kind after it.
    if (kindOrder[kind] < kindOrder[pos.kind]) return ops.earlierKind(at, pos.at);
    if (kindOrder[kind] > kindOrder[pos.kind]) return ops.laterKind(at, pos.at);
    return sameKind();
  }
}

/** Merges two lists already in feed order (each sorted by the database, each of other kinds) without comparing ids across kinds. */
function mergeFeed(a: Revocation[], b: Revocation[]): Revocation[] {
  const merged: Revocation[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const takeA =
      j >= b.length ||
      (i < a.length && (a[i]!.revokedAt < b[j]!.revokedAt || (a[i]!.revokedAt === b[j]!.revokedAt && kindOrder[a[i]!.kind] <= kindOrder[b[j]!.kind])));
    merged.push(takeA ? a[i++]! : b[j++]!);
  }
  return merged;
}
