import type { Revocation } from '../domain/types.js';
import { InvalidRequest } from '../errors/oauth.js';
import { epochSeconds } from '../lib/clock.js';
import type { Deps } from './deps.js';

/**
 * How far back every read of the feed looks behind its cursor. A revocation is stamped before it
 * commits, and instances' clocks differ a little, so an entry can become visible after later ones
 * were served; re-reading this window means such an entry is sent late, never lost, as long as it
 * commits within this many seconds of its stamp (by the clock of the instance that reads). The
 * cursor never moves past what was read, and entries with equal stamps are all re-read. Verifiers
 * treat the feed as a set, so the repeats cost nothing.
 */
export const feedOverlapSeconds = 30;

export type RevocationEntry = { sid: string; revoked_at: number; expires_at: number };
export type RevocationPage = { revocations: RevocationEntry[]; cursor: string };

/** A cursor is the latest revocation time the reader has seen, opaque to it. */
export const encodeFeedCursor = (at: number): string => Buffer.from(`r1:${at}`).toString('base64url');

export function decodeFeedCursor(cursor: string): number {
  const match = /^r1:(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || encodeFeedCursor(Number(match[1])) !== cursor) throw new InvalidRequest('since is not a cursor this feed gave out');
  return Number(match[1]);
}

/**
 * The later of two cursors, either possibly absent: EventSource reconnects to its original URL (an old
 * `since`) with the newer Last-Event-ID. Both are checked, so a bad one is refused either way.
 */
export function laterCursor(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a || b || undefined;
  return decodeFeedCursor(b) > decodeFeedCursor(a) ? b : a;
}

export const revocationEntry = (r: Revocation): RevocationEntry => ({ sid: r.sid, revoked_at: r.revokedAt, expires_at: r.expiresAt });

/**
 * The families revoked at or after the cursor (less the overlap), or every entry still in the feed
 * when there is none. Entries whose access tokens have all expired are left out.
 */
export async function revocationPage(deps: Pick<Deps, 'store' | 'clock' | 'config'>, since: string | undefined): Promise<RevocationPage> {
  const now = epochSeconds(deps.clock.now());
  const after = since === undefined ? null : decodeFeedCursor(since);
  const entries = await deps.store.listRevocations(after === null ? 0 : after - feedOverlapSeconds, now, deps.config.accessTokenTtl);
  const live = entries.filter((e) => e.expiresAt > now);
  const latest = Math.max(after ?? 0, ...live.map((e) => e.revokedAt));
  // With nothing seen yet, "now" is where the next read starts (less the overlap, which covers stragglers).
  return { revocations: live.map(revocationEntry), cursor: encodeFeedCursor(latest > 0 ? latest : now) };
}
