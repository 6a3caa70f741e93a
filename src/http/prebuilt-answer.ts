import type { Context } from 'hono';
import type { AppEnv } from './env.js';
import { corsHeaders, publicCorsPaths } from './middleware/public-cors.js';

/**
 * A fixed answer (a prebuilt document) with everything the request pipeline would add to it (X-Request-Id, and on
 * a public path the CORS headers) in one plain header object: @hono/node-server writes such a response
 * straight out, where a fetch Headers object would be built, filled and read back header by header.
 */
export function prebuiltAnswer(c: Context<AppEnv>, body: string | null, status: 200 | 304, headers: Readonly<Record<string, string>>): Response {
  const requestId = c.get('requestId');
  // Mounted without the pipeline (a route on its own), the answer is what the route gives.
  if (requestId === undefined) return new Response(body, { status, headers });
  c.set('prebuilt', true);
  // Copied key by key: object spread with string keys like these is several times slower here.
  const all: Record<string, string> = {};
  for (const name in headers) all[name] = headers[name]!;
  all['X-Request-Id'] = requestId;
  if (publicCorsPaths.has(c.req.path)) for (const name in corsHeaders) all[name] = corsHeaders[name as keyof typeof corsHeaders];
  return new Response(body, { status, headers: all });
}

/**
 * `value` as a JSON answer (200) under noStore() and the request pipeline, with the headers they would add, in one plain
 * header object (see prebuiltAnswer()): the token endpoint's answer. The names are lowercase and in the order a fetch
 * Headers object gives them, so the bytes on the wire are those the middleware would have written. Only where
 * nothing has set a header on the context yet (c.header(), setCookie()): those are not carried over. Without the
 * pipeline or outside noStore() it is c.json(value).
 */
export function jsonAnswer(c: Context<AppEnv>, value: unknown): Response {
  const requestId = c.get('requestId');
  if (requestId === undefined || c.get('noStore') !== true) return c.json(value);
  c.set('prebuilt', true);
  const headers: Record<string, string> = {};
  if (publicCorsPaths.has(c.req.path)) {
    headers['access-control-allow-origin'] = corsHeaders['Access-Control-Allow-Origin'];
    headers['access-control-expose-headers'] = corsHeaders['Access-Control-Expose-Headers'];
  }
  headers['cache-control'] = 'no-store';
  headers['content-type'] = 'application/json';
  headers.pragma = 'no-cache';
  headers['x-request-id'] = requestId;
  const body = JSON.stringify(value);
  // Named here rather than left to Node, which would write it after Date and Connection.
  headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Response(body, { status: 200, headers });
}
