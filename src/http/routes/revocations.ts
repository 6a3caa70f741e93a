import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Deps } from '../../services/deps.js';
import { createRevocationHub } from '../../services/revocation-hub.js';
import type { Revocation } from '../../domain/types.js';
import { decodeFeedCursor, encodeFeedCursor, laterCursor, parseFeedLimit, positionOf, revocationEntry, revocationPage } from '../../services/revocations.js';

/**
 * GET /revocations: the revocation feed, as a JSON page or, for `Accept: text/event-stream`, live.
 * A comment line every `heartbeatMs` keeps proxies from closing a quiet stream and tells readers it lives.
 * Streams end when `shutdown` is aborted; readers reconnect from their cursor.
 */
export function revocationRoutes(deps: Deps, { heartbeatMs = 15_000, shutdown }: { heartbeatMs?: number; shutdown?: AbortSignal } = {}) {
  const hub = createRevocationHub(deps);

  return new Hono().get('/revocations', async (c) => {
    const since = laterCursor(c.req.query('since'), c.req.header('last-event-id'));
    const limit = parseFeedLimit(c.req.query('limit'));
    const wire = (entry: Revocation) => revocationEntry(entry, deps.config.accessTokenTtl);
    const wantsStream = (c.req.header('accept') ?? '').includes('text/event-stream');
    if (!wantsStream) {
      const page = await revocationPage(deps, since, limit);
      return c.json({ revocations: page.entries.map(wire), cursor: page.cursor, more: page.more }, 200, { 'Cache-Control': 'no-cache' });
    }
    // A bad cursor is a plain 400 before any stream starts.
    if (since !== undefined) decodeFeedCursor(since);

    // nginx buffers responses unless told not to, which would hold events back until the buffer fills.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      // An entry's id is its own feed position: resuming from it re-reads the overlap behind it, so a
      // connection dropped anywhere in the stream misses nothing.
      const send = (entry: Revocation) =>
        stream.writeSSE({ id: encodeFeedCursor(positionOf(entry)), data: JSON.stringify(wire(entry)) }).catch(() => undefined);
      const queued: Revocation[] = [];
      // Listening before the catch-up read means an entry lands in one of the two, possibly both.
      const unsubscribe = await hub.subscribe((entry) => queued.push(entry));
      stream.onAbort(unsubscribe);
      try {
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
      }
    });
  });
}
