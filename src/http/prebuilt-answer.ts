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
