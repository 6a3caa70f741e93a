import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Deps } from '../../services/deps.js';
import { createRevocationHub } from '../../services/revocation-hub.js';
import { decodeFeedCursor, encodeFeedCursor, laterCursor, revocationPage, type RevocationEntry } from '../../services/revocations.js';

/**
 * GET /revocations: the revocation feed, as a JSON page or, for `Accept: text/event-stream`, live.
 * A comment line every `heartbeatMs` keeps proxies from closing a quiet stream and tells readers it lives.
 * Streams end when `shutdown` is aborted; readers reconnect from their cursor. `pollMs` is the shared poll's period.
 */
export function revocationRoutes(
  deps: Deps,
  { heartbeatMs = 15_000, shutdown, pollMs }: { heartbeatMs?: number; shutdown?: AbortSignal; pollMs?: number } = {},
) {
  const hub = createRevocationHub(deps, { intervalMs: pollMs });

  return new Hono().get('/revocations', async (c) => {
    const since = laterCursor(c.req.query('since'), c.req.header('last-event-id'));
    const wantsStream = (c.req.header('accept') ?? '').includes('text/event-stream');
    if (!wantsStream) return c.json(await revocationPage(deps, since), 200, { 'Cache-Control': 'no-cache' });
    // A bad cursor is a plain 400 before any stream starts.
    if (since !== undefined) decodeFeedCursor(since);

    // nginx buffers responses unless told not to, which would hold events back until the buffer fills.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      // An entry's id is its own revocation time: resuming from it re-reads the overlap behind it, so a
      // connection dropped anywhere in the stream misses nothing.
      const send = (entry: RevocationEntry) =>
        stream.writeSSE({ id: encodeFeedCursor(entry.revoked_at), data: JSON.stringify(entry) }).catch(() => undefined);
      const queued: RevocationEntry[] = [];
      // Listening before the catch-up read means an entry lands in one of the two, possibly both.
      const unsubscribe = await hub.subscribe((entry) => queued.push(entry));
      stream.onAbort(unsubscribe);
      try {
        const page = await revocationPage(deps, since);
        for (const entry of page.revocations) await send(entry);
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
