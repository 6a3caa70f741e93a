import type { Revocation } from '../domain/types.js';
import { InvalidInput } from '../errors/domain.js';
import type { FeedPosition, RevocationFeedStore } from '../store/types.js';
import type { Uses } from './deps.js';
import { limitInput } from './inputs.js';

/**
 * How far back a caught-up read of the feed looks behind its cursor. A revocation is stamped before
 * it commits, and instances' clocks differ a little, so an entry can become visible after later ones
 * were served; re-reading this window means such an entry is sent late, never lost, as long as it
 * commits within this many seconds of its stamp (by the clock of the instance that reads). Verifiers
 * treat the feed as a set, so the repeats cost nothing.
 */
export const feedOverlapSeconds = 30;

export const defaultFeedLimit = 1000;

/** A feed entry on the wire; times are epoch seconds, like the `iat` and `exp` they are compared with. */
export type RevocationEntry = ({ sid: string } | { client_id: string } | { jti: string }) & { revoked_at: number; expires_at: number };

/** `more`: the page was full and the next read, with `cursor`, continues at once. */
export type RevocationPage = { entries: Revocation[]; cursor: string; more: boolean };

const kinds = ['family', 'client', 'token'] as const;

/** A cursor is the feed position of the last entry the reader has, opaque to it. */
export const encodeFeedCursor = (p: FeedPosition): string => Buffer.from(`r2:${p.at}:${kinds.indexOf(p.kind)}:${p.id}`).toString('base64url');

export function decodeFeedCursor(cursor: string): FeedPosition {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Cursors of earlier versions held the latest revocation second: everything from that second on follows.
  const v1 = /^r1:(\d{1,12})$/.exec(text);
  if (v1 && Buffer.from(text).toString('base64url') === cursor) return { at: Number(v1[1]) * 1000, kind: 'family', id: '' };
  const match = /^r2:(\d{1,15}):([012]):([\x21-\x7e]{0,200})$/.exec(text);
  if (!match || Buffer.from(text).toString('base64url') !== cursor) throw new InvalidInput('since is not a cursor this feed gave out');
  return { at: Number(match[1]), kind: kinds[Number(match[2])]!, id: match[3]! };
}

/**
 * The later of two cursors, either possibly absent: EventSource reconnects to its original URL (an old
 * `since`) with the newer Last-Event-ID. Both are checked, so a bad one is refused either way.
 */
export function laterCursor(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a || b || undefined;
  const [pa, pb] = [decodeFeedCursor(a), decodeFeedCursor(b)];
  return pb.at > pa.at || (pb.at === pa.at && kinds.indexOf(pb.kind) > kinds.indexOf(pa.kind)) ? b : a;
}

const idOf = (r: Revocation): string => (r.kind === 'family' ? r.sid : r.kind === 'client' ? r.clientId : r.jti);

export const positionOf = (r: Revocation): FeedPosition => ({ at: r.revokedAt, kind: r.kind, id: idOf(r) });

export function revocationEntry(r: Revocation, accessTokenTtl: number): RevocationEntry {
  // An access token issued in the second of the revocation has iat equal to revoked_at: verifiers refuse
  // tokens with iat <= revoked_at, so flooring never lets one through.
  const times = { revoked_at: Math.floor(r.revokedAt / 1000), expires_at: Math.ceil(r.revokedAt / 1000) + accessTokenTtl };
  if (r.kind === 'family') return { sid: r.sid, ...times };
  if (r.kind === 'client') return { client_id: r.clientId, ...times };
  // A token entry is about that one token: it leaves the feed when the token expires.
  return { jti: r.jti, ...times, expires_at: Math.ceil(r.expiresAt / 1000) };
}

export const parseFeedLimit = (raw: string | undefined): number => limitInput(raw, { fallback: defaultFeedLimit, max: defaultFeedLimit });

/**
 * One page of the feed after the cursor (without one, every entry whose access tokens may still be
 * alive), at most `limit` entries. A full page continues inside a burst of equal times; once the
 * reader is caught up, the rest of the page re-reads the overlap behind the cursor.
 */
export async function revocationPage(
  deps: Uses<'clock' | 'config', RevocationFeedStore>,
  since: string | undefined,
  limit = defaultFeedLimit,
): Promise<RevocationPage> {
  const now = deps.clock.now().getTime();
  // Entries revoked at or before this instant cover no access token that is still alive.
  const horizon = now - deps.config.accessTokenTtl * 1000 + 1;
  const after = since === undefined ? null : decodeFeedCursor(since);
  const fresh = await deps.store.listRevocations({ after, from: horizon, aliveAt: now, limit });
  const more = fresh.length === limit;
  const overlap =
    after === null || more
      ? []
      : await deps.store.listRevocations({
          after: null,
          from: Math.max(horizon, after.at - feedOverlapSeconds * 1000),
          upTo: after,
          aliveAt: now,
          limit: limit - fresh.length,
        });
  const last = fresh.at(-1);
  // With nothing seen yet, "now" is where the next read starts (less the overlap, which covers stragglers).
  const cursor = last ? positionOf(last) : (after ?? { at: now, kind: 'family', id: '' });
  return { entries: [...overlap, ...fresh], cursor: encodeFeedCursor(cursor), more };
}
