import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

/** How long a client may take to send its request, and how often Node looks for sockets past that. */
export type RequestTimeouts = { headersMs: number; requestMs: number; checkEveryMs: number };

/**
 * A socket that trickles its headers is closed (408) within headersMs + checkEveryMs, 11 s; one that
 * trickles its body within requestMs + checkEveryMs, 16 s. Node's defaults held such sockets for a
 * minute and more. Only receiving the request is timed: a long response, such as a live revocation
 * stream, is not cut.
 */
export const requestTimeouts: RequestTimeouts = { headersMs: 10_000, requestMs: 15_000, checkEveryMs: 1_000 };

/** Serves `fetch` over HTTP with the request timeouts; `timeouts` is for tests that cannot wait seconds. */
export function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  { port, hostname, timeouts = requestTimeouts }: { port: number; hostname: string; timeouts?: RequestTimeouts },
  onListening?: (info: AddressInfo) => void,
): ServerType {
  const serverOptions = { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs };
  return serve({ fetch, port, hostname, serverOptions }, onListening);
}
