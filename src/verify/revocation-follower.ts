import { readSse } from './sse.js';

export type RevocationFollowerOptions = {
  /** The feed, e.g. https://auth.example.com/revocations. */
  url: string;
  fetch: typeof fetch;
  now: () => Date;
  /** Between polls when the feed cannot stream, and before a reconnect. */
  retryMs?: number;
  onError?: (error: Error) => void;
};

type Entry = { sid: string; revoked_at: number; expires_at: number };

const isEntry = (value: unknown): value is Entry =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Entry).sid === 'string' &&
  typeof (value as Entry).expires_at === 'number';

/**
 * Keeps the set of revoked families from Tessera's revocation feed: one JSON read to catch up, then
 * the live event stream, reconnecting from its cursor; where the stream is not available it polls.
 */
export function followRevocations(options: RevocationFollowerOptions) {
  const retryMs = options.retryMs ?? 1000;
  const revoked = new Map<string, number>(); // sid → expires_at (epoch seconds)
  const abort = new AbortController();
  let cursor: string | undefined;
  let closed = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const nowSeconds = () => options.now().getTime() / 1000;
  const add = (entry: Entry) => {
    if (entry.expires_at > nowSeconds()) revoked.set(entry.sid, entry.expires_at);
  };
  const feedUrl = () => (cursor ? `${options.url}?since=${encodeURIComponent(cursor)}` : options.url);
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });

  async function readPage(): Promise<void> {
    const res = await options.fetch(feedUrl(), { headers: { accept: 'application/json' }, signal: abort.signal });
    if (res.status !== 200) throw new Error(`revocation feed answered ${res.status}`);
    const page = (await res.json()) as { revocations?: unknown[]; cursor?: unknown };
    for (const entry of page.revocations ?? []) if (isEntry(entry)) add(entry);
    if (typeof page.cursor === 'string') cursor = page.cursor;
  }

  /** Streams until the connection ends; returns false when the server does not stream. */
  async function stream(): Promise<boolean> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (cursor) headers['last-event-id'] = cursor;
    const res = await options.fetch(feedUrl(), { headers, signal: abort.signal });
    if (res.status !== 200 || !res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
      await res.body?.cancel();
      return false;
    }
    for await (const event of readSse(res.body)) {
      let entry: unknown;
      try {
        entry = JSON.parse(event.data);
      } catch {
        continue;
      }
      if (isEntry(entry)) add(entry);
      if (event.id) cursor = event.id;
    }
    return true;
  }

  async function run(): Promise<void> {
    let streaming = true;
    while (!closed) {
      try {
        if (cursor === undefined || !streaming) {
          await readPage();
          markReady();
        }
        if (streaming) streaming = await stream();
      } catch (error) {
        if (closed) return;
        markReady(); // a feed that cannot be reached must not hold verification up forever
        options.onError?.(error as Error);
      }
      if (!closed) await pause(retryMs);
    }
  }
  void run();

  return {
    /** Resolves once the first read of the feed has succeeded or failed. */
    ready,
    isRevoked(sid: string): boolean {
      const expiresAt = revoked.get(sid);
      if (expiresAt === undefined) return false;
      if (expiresAt > nowSeconds()) return true;
      revoked.delete(sid);
      return false;
    },
    get size() {
      return revoked.size;
    },
    close(): void {
      closed = true;
      abort.abort();
    },
  };
}

export type RevocationFollower = ReturnType<typeof followRevocations>;
