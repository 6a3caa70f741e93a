import { readSse } from './sse.js';

export type RevocationFollowerOptions = {
  /** The feed, e.g. https://auth.example.com/revocations. */
  url: string;
  fetch: typeof fetch;
  now: () => Date;
  /** Between polls when the feed cannot stream, and before a reconnect. Default 1 s. */
  retryMs?: number;
  /** A stream silent this long (no event, no keep-alive) is presumed dead and reopened. Default 45 s. */
  idleMs?: number;
  /** How long verification waits for the first read of the feed before going ahead without it. Default 5 s. */
  readyTimeoutMs?: number;
  /** Seconds an entry is kept after its expires_at: the verifier's clock tolerance, which accepts tokens that long after exp. */
  graceSeconds?: number;
  onError?: (error: Error) => void;
};

/** A revoked session, a deleted or disabled client whose tokens issued up to `revoked_at` are refused, or one revoked token. */
type Entry = { sid?: unknown; client_id?: unknown; jti?: unknown; revoked_at?: unknown; expires_at?: unknown };
type Revoked = { revokedAt: number; expiresAt: number };

/** The token claims the feed speaks about. */
export type RevocableClaims = { sid?: unknown; client_id?: unknown; iat?: unknown; jti?: unknown };

function keyOf(entry: Entry): string | null {
  if (typeof entry.sid === 'string') return `sid:${entry.sid}`;
  if (typeof entry.client_id === 'string') return `client:${entry.client_id}`;
  if (typeof entry.jti === 'string') return `jti:${entry.jti}`;
  return null;
}

// While polling because the feed would not stream (a buffering proxy, full stream slots), try the stream again this often.
const pollsBetweenStreamAttempts = 30;

/**
 * Keeps the set of revoked families from Tessera's revocation feed: one JSON read to catch up, then
 * the live event stream, reconnecting from its cursor; where the stream is not available it polls.
 */
export function followRevocations(options: RevocationFollowerOptions) {
  const retryMs = options.retryMs ?? 1000;
  const idleMs = options.idleMs ?? 45_000;
  const graceSeconds = options.graceSeconds ?? 0;
  // Keyed `sid:<sid>`, `client:<client_id>` and `jti:<jti>`; times are epoch seconds.
  const revoked = new Map<string, Revoked>();
  const abort = new AbortController();
  let cursor: string | undefined;
  let closed = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  // A feed that hangs must not hold verification up forever.
  const readyTimer = setTimeout(() => markReady(), options.readyTimeoutMs ?? 5000);
  readyTimer.unref?.();
  void ready.then(() => clearTimeout(readyTimer));

  const nowSeconds = () => options.now().getTime() / 1000;
  let sweptAt = 0;
  // Entries are also dropped when looked up, but most sids are never asked about again.
  const sweep = () => {
    const now = nowSeconds();
    if (now - sweptAt < 60) return;
    sweptAt = now;
    for (const [key, { expiresAt }] of revoked) if (expiresAt + graceSeconds <= now) revoked.delete(key);
  };
  const add = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    const entry = value as Entry;
    if (typeof entry.revoked_at !== 'number' || typeof entry.expires_at !== 'number') return;
    const key = keyOf(entry);
    if (key === null) return;
    sweep();
    if (entry.expires_at + graceSeconds <= nowSeconds()) return;
    // A client disabled twice: the later revocation covers every token the earlier one did.
    const known = revoked.get(key);
    if (!known || known.revokedAt < entry.revoked_at)
      revoked.set(key, { revokedAt: entry.revoked_at, expiresAt: Math.max(entry.expires_at, known?.expiresAt ?? 0) });
  };
  const live = (key: string): Revoked | null => {
    const found = revoked.get(key);
    if (found === undefined) return null;
    if (found.expiresAt + graceSeconds > nowSeconds()) return found;
    revoked.delete(key);
    return null;
  };
  const feedUrl = () => (cursor ? `${options.url}?since=${encodeURIComponent(cursor)}` : options.url);
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });

  /** Reads one page; true when it came full and the next one follows at once. */
  async function readPage(): Promise<boolean> {
    const res = await options.fetch(feedUrl(), { headers: { accept: 'application/json' }, signal: abort.signal });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`revocation feed answered ${res.status}`);
    }
    const page = (await res.json()) as { revocations?: unknown[]; cursor?: unknown; more?: unknown };
    for (const entry of Array.isArray(page.revocations) ? page.revocations : []) add(entry);
    if (typeof page.cursor === 'string') cursor = page.cursor;
    return page.more === true;
  }

  /** Streams until the connection ends or goes silent; returns false when the server answers but will not stream. */
  async function stream(): Promise<boolean> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (cursor) headers['last-event-id'] = cursor;
    const connection = new AbortController();
    const stop = () => connection.abort();
    abort.signal.addEventListener('abort', stop, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    const stillAlive = () => {
      clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
    };
    try {
      stillAlive();
      const res = await options.fetch(feedUrl(), { headers, signal: connection.signal });
      // 503: Tessera has as many live streams open as it allows; its JSON page is still served.
      if (res.status === 503) {
        await res.body?.cancel();
        return false;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new Error(`revocation feed answered ${res.status}`);
      }
      if (!res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
        await res.body?.cancel();
        return false;
      }
      for await (const event of readSse(res.body, stillAlive)) {
        let entry: unknown;
        try {
          entry = JSON.parse(event.data);
        } catch {
          continue;
        }
        add(entry);
        if (event.id) cursor = event.id;
      }
      return true;
    } catch (error) {
      // Our own idle abort is a reconnect, not a failure worth reporting.
      if (connection.signal.aborted && !abort.signal.aborted) return true;
      throw error;
    } finally {
      clearTimeout(idle);
      abort.signal.removeEventListener('abort', stop);
    }
  }

  async function run(): Promise<void> {
    let streaming = true;
    let polls = 0;
    while (!closed) {
      try {
        if (cursor === undefined || !streaming) {
          while ((await readPage()) && !closed);
          markReady();
          if (!streaming && ++polls % pollsBetweenStreamAttempts === 0) streaming = true;
        }
        if (streaming) streaming = await stream();
      } catch (error) {
        if (closed) return;
        markReady(); // a feed that cannot be reached must not hold verification up
        options.onError?.(error as Error);
      }
      if (!closed) await pause(retryMs);
    }
  }
  void run();

  return {
    /** Resolves once the first read of the feed has succeeded, failed or timed out. */
    ready,
    /** Whether the token itself or its session was revoked, or its client ended after the token was issued. */
    isRevoked(claims: RevocableClaims): boolean {
      if (typeof claims.jti === 'string' && live(`jti:${claims.jti}`)) return true;
      if (typeof claims.sid === 'string' && live(`sid:${claims.sid}`)) return true;
      if (typeof claims.client_id !== 'string') return false;
      const client = live(`client:${claims.client_id}`);
      // Revocation times are whole seconds: a token issued in that second is refused too.
      return client !== null && (typeof claims.iat !== 'number' || claims.iat <= client.revokedAt);
    },
    /** How many entries (revoked sessions, ended clients, revoked tokens) it holds. */
    get size() {
      return revoked.size;
    },
    close(): void {
      closed = true;
      clearTimeout(readyTimer);
      abort.abort();
    },
  };
}

export type RevocationFollower = ReturnType<typeof followRevocations>;
