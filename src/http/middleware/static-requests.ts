import type { Logger } from 'pino';

/**
 * The public static documents: fixed bytes that carry no user action. Their answers get no request line each
 * (at tens of thousands a second the line was most of what they cost, issue 30); they are counted in the request
 * metrics like every request and summed up in one log line per period. An error answer still gets its own line.
 */
export const staticDocumentPaths: ReadonlySet<string> = new Set([
  '/.well-known/jwks.json',
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
  '/healthz',
]);

/** Whether this answer is summed up rather than logged on its own line. */
export const summarised = (method: string, path: string, status: number): boolean =>
  status < 400 && (method === 'GET' || method === 'HEAD') && staticDocumentPaths.has(path);

/**
 * Counts the summarised answers and writes them as one line `static requests` every `everyMs`, with the number of
 * answers by path and status over the period: `{"requests": 1520, "period_s": 60, "paths": {"/healthz": {"200": 1500},
 * …}}`. The timer runs only while there is something to write, so an idle server (or a test's app) keeps none;
 * `flush()` writes what is pending at once (at shutdown).
 */
export function staticRequestSummary(log: Logger, everyMs: number) {
  let counts = new Map<string, number>();
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let since = performance.now();

  const flush = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (total === 0) return;
    const paths: Record<string, Record<string, number>> = {};
    for (const [key, n] of counts) {
      const [path, status] = key.split(' ') as [string, string];
      paths[path] ??= {};
      paths[path][status] = n;
    }
    log.info({ requests: total, period_s: Math.round((performance.now() - since) / 100) / 10, paths }, 'static requests');
    counts = new Map();
    total = 0;
  };

  const count = (path: string, status: number): void => {
    if (timer === null) {
      since = performance.now();
      timer = setTimeout(flush, everyMs);
      timer.unref();
    }
    const key = `${path} ${status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  };

  return { count, flush };
}
