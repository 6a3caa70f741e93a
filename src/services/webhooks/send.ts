import type { LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { linkLocalAddress } from '../../domain/webhooks.js';

export type SendResult = { status: number | null; error: string | null };

/** Posts one message. What the receiver answers is not read beyond its status; a non-2xx or no answer is a failure. */
export type Send = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

const timeoutMs = 10_000;

/**
 * The real sender. Unless `allowLinkLocal`, it refuses a name that resolves to a link-local or metadata address at
 * connection time, so a DNS answer changed after the URL was checked reaches no metadata service either.
 */
export function httpSender({ allowLinkLocal }: { allowLinkLocal: boolean }): Send {
  const lookup: LookupFunction = (host, options, callback) =>
    dnsLookup(host, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const allowed = addresses.filter((a) => allowLinkLocal || !linkLocalAddress(a.address));
      if (allowed.length === 0) return callback(new Error(`${host} resolves to a link-local or metadata address`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof allowed) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  return (url, headers, body) =>
    new Promise((resolve) => {
      const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup,
        timeout: timeoutMs,
      });
      request.on('response', (response) => {
        response.resume();
        const status = response.statusCode ?? null;
        const ok = status !== null && status >= 200 && status < 300;
        resolve({ status, error: ok ? null : `HTTP ${status}` });
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      request.on('error', (error) => resolve({ status: null, error: error.message.slice(0, 200) }));
      request.end(body);
    });
}
