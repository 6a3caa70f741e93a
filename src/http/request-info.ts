import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { TrustedNetwork } from '../config/schema.js';
import type { Actor } from '../services/deps.js';
import type { AppEnv } from './env.js';

/** `::ffff:192.0.2.1` (an IPv4 client of a dual-stack socket) is `192.0.2.1`, so one client has one address. */
const unmapped = (address: string): string => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address);

/** The TCP peer, or null when the request did not come through a socket (in-process tests). */
function peerAddress(c: Context): string | null {
  try {
    const address = getConnInfo(c).remote.address;
    return address === undefined ? null : unmapped(address);
  } catch {
    return null;
  }
}

export function trustedProxies(networks: readonly TrustedNetwork[]): BlockList {
  const list = new BlockList();
  for (const { address, prefix, family } of networks) list.addSubnet(address, prefix, family);
  return list;
}

const isTrusted = (trusted: BlockList, address: string): boolean => trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * The client's address. From a peer outside TRUST_PROXY that is the peer, whatever the request says.
 * From a trusted proxy, X-Forwarded-For is read from the right (each proxy appends the address it
 * saw), past every trusted proxy, to the first address that is not one: the client. An entry that is
 * not an IP address stops the walk at the last address known good.
 */
export function resolveClientIp(peer: string | null, forwardedFor: string | undefined, trusted: BlockList): string | null {
  if (peer === null || forwardedFor === undefined || !isTrusted(trusted, peer)) return peer;
  let client = peer;
  for (const entry of forwardedFor.split(',').reverse()) {
    const address = unmapped(entry.trim());
    if (isIP(address) === 0) return client;
    client = address;
    if (!isTrusted(trusted, address)) return client;
  }
  return client; // every hop is a trusted proxy: the leftmost is as far as anyone can see
}

/**
 * A request header as fetch's Headers.get() gives it (every line of it, joined with ", "), read from Node's own
 * parsed lines when the request came through @hono/node-server: c.req.header() would first build a fetch Headers
 * object of all of them. Node's `headers` keeps only the first line of a header it holds single (Authorization,
 * Content-Type), which would let a second credential or type pass unseen; `headersDistinct` has them all.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming === undefined) return c.req.header(name);
  return incoming.headersDistinct[name]?.join(', ');
}

/**
 * Resolves the client IP of a request, for clientIp(); the request pipeline (middleware/request-pipeline.ts) sets it
 * once per request before the routes.
 */
export const clientAddressResolver = (networks: readonly TrustedNetwork[]) => {
  const trusted = trustedProxies(networks);
  // X-Forwarded-For only counts from a trusted proxy; without any, it is not even read.
  if (networks.length === 0) return (c: Context): string | null => peerAddress(c);
  return (c: Context): string | null => resolveClientIp(peerAddress(c), requestHeader(c, 'x-forwarded-for'), trusted);
};

const requestIdShape = /[^\w\-=]/;

/** X-Request-Id is accepted when it is short and plain (at most 128 word characters, `-` and `=`), generated otherwise; the request pipeline echoes it either way. */
export function requestIdOf(c: Context): string {
  const given = requestHeader(c, 'x-request-id');
  return given !== undefined && given !== '' && given.length <= 128 && !requestIdShape.test(given) ? given : randomUUID();
}

/**
 * The client IP that limits, the audit log and family listings record; null when unknown. Without
 * the request pipeline (a route mounted on its own) it is the TCP peer: no header is trusted.
 */
export function clientIp(c: Context): string | null {
  const resolved = (c as Context<AppEnv>).get('clientIp');
  return resolved === undefined ? peerAddress(c) : resolved;
}

export const userAgent = (c: Context): string | null => requestHeader(c, 'user-agent')?.slice(0, 512) ?? null;

export const actorFrom = (c: Context, name: string): Actor => ({
  name,
  ip: clientIp(c),
  userAgent: userAgent(c),
  requestId: (c as Context<AppEnv>).get('requestId') ?? null,
});
