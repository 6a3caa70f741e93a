import type { MiddlewareHandler } from 'hono';
import { bodyLimit as streamingBodyLimit } from 'hono/body-limit';
import { InvalidRequest } from '../../errors/oauth.js';
import { requestHeader } from '../request-info.js';

/**
 * Refuses a body over `maxBytes` with 413. A request that declares its length (no Transfer-Encoding)
 * is judged by Content-Length alone, and one without a body is let through, without looking at the
 * body stream: touching it makes @hono/node-server build a full fetch Request for every request and
 * gives up its direct read of the body. A chunked body is counted as it streams (hono/body-limit).
 * The request pipeline (middleware/request-pipeline.ts) runs it for methods other than GET and HEAD.
 */
export const bodyLimit = (maxBytes: number): MiddlewareHandler => {
  const tooLarge = () => {
    throw new InvalidRequest(`request body exceeds ${maxBytes} bytes`, 413);
  };
  const streaming = streamingBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = requestHeader(c, 'content-length');
    if (length !== undefined && requestHeader(c, 'transfer-encoding') === undefined) return Number(length) > maxBytes ? tooLarge() : next();
    return streaming(c, next);
  };
};
