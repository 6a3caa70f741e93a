import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { TemporarilyUnavailable } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { revocationHub, type RevocationHub } from '../../services/revocation-hub.js';
import type { Revocation } from '../../domain/types.js';
import { decodeFeedCursor, encodeFeedCursor, laterCursor, parseFeedLimit, positionOf, revocationEntry, revocationPage } from '../../services/revocations.js';
import { queryParams } from '../params.js';
import { clientIp, requestHeader } from '../request-info.js';

/** What a refused stream is told: when to try again, and the page to read meanwhile. */
const streamRetryAfterSeconds = 30;
const streamsFull = 'too many live revocation streams are open; read the JSON page of the feed meanwhile';

/**
 * The open live streams of this process, in all and per client IP. A slot is taken before a stream
 * starts and given back when it ends, whatever the reason; `release` may be called more than once.
 */
function streamSlots({ total, perIp }: { total: number; perIp: number }) {
  let open = 0;
  const byIp = new Map<string, number>();
  return {
    /** A slot for `ip`, or null when either cap is reached. */
    take(ip: string): { release(): void } | null {
      const mine = byIp.get(ip) ?? 0;
      if (open >= total || mine >= perIp) return null;
      open += 1;
      byIp.set(ip, mine + 1);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          open -= 1;
          const left = byIp.get(ip)! - 1;
          if (left === 0) byIp.delete(ip);
          else byIp.set(ip, left);
        },
      };
    },
  };
}

/**
 * GET /revocations: the revocation feed, as a JSON page or, for `Accept: text/event-stream`, live.
 * A comment line every `heartbeatMs` keeps proxies from closing a quiet stream and tells readers it lives.
 * Streams end when `shutdown` is aborted; readers reconnect from their cursor. `hub` is the process's shared poll of the
 * feed (createApp builds it; services/revocation-hub.ts). Live streams are capped (FEED_MAX_STREAMS, FEED_MAX_STREAMS_PER_IP): beyond, 503 with Retry-After;
 * the JSON page is not.
 */
export function revocationRoutes(
  deps: Deps,
  { heartbeatMs = 15_000, shutdown, hub = revocationHub(deps) }: { heartbeatMs?: number; shutdown?: AbortSignal; hub?: RevocationHub } = {},
) {
  const slots = streamSlots({ total: deps.config.feedMaxStreams, perIp: deps.config.feedMaxStreamsPerIp });

  return new Hono().get('/revocations', async (c) => {
    const query = queryParams(c);
    const since = laterCursor(query.get('since'), requestHeader(c, 'last-event-id'));
    const limit = parseFeedLimit(query.get('limit'));
    const wire = (entry: Revocation) => revocationEntry(entry, deps.config.accessTokenTtl);
    const wantsStream = (requestHeader(c, 'accept') ?? '').includes('text/event-stream');
    if (!wantsStream) {
      const page = await revocationPage(deps, since, limit);
      return c.json({ revocations: page.entries.map(wire), cursor: page.cursor, more: page.more }, 200, { 'Cache-Control': 'no-cache' });
    }
    // A bad cursor is a plain 400 before any stream starts.
    if (since !== undefined) decodeFeedCursor(since);
    const slot = slots.take(clientIp(c) ?? 'unknown');
    if (slot === null) throw new TemporarilyUnavailable(streamsFull, streamRetryAfterSeconds);

    // nginx buffers responses unless told not to, which would hold events back until the buffer fills.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      // An entry's id is its own feed position: resuming from it re-reads the overlap behind it, so a
      // connection dropped anywhere in the stream misses nothing.
      const send = (entry: Revocation) =>
        stream.writeSSE({ id: encodeFeedCursor(positionOf(entry)), data: JSON.stringify(wire(entry)) }).catch(() => undefined);
      const queued: Revocation[] = [];
      let unsubscribe = () => {};
      stream.onAbort(() => {
        unsubscribe();
        slot.release();
      });
      try {
        // Listening before the catch-up read means an entry lands in one of the two, possibly both.
        unsubscribe = await hub.subscribe((entry) => queued.push(entry));
        for (let cursor = since, more = true; more && !stream.aborted; ) {
          const page = await revocationPage(deps, cursor, limit);
          for (const entry of page.entries) await send(entry);
          [cursor, more] = [page.cursor, page.more];
        }
        await stream.write(': caught up\n\n');
        const tickMs = Math.min(250, heartbeatMs);
        let sinceBeat = 0;
        while (!stream.aborted && !stream.closed && !shutdown?.aborted) {
          for (const entry of queued.splice(0)) await send(entry);
          await stream.sleep(tickMs);
          sinceBeat += tickMs;
          if (sinceBeat >= heartbeatMs) {
            sinceBeat = 0;
            await stream.write(': keep-alive\n\n');
          }
        }
      } finally {
        unsubscribe();
        slot.release();
      }
    });
  });
}
