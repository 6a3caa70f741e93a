import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { OAuthError } from '../errors/oauth.js';
import type { AppEnv } from './env.js';

/** The one place errors become responses: OAuth errors in RFC 6749 §5.2 form, anything else a logged 500 that says nothing. */
export const onError = (log: Logger) => (error: Error, c: Context<AppEnv>) => {
  if (error instanceof OAuthError) {
    c.set('errorCode', error.code);
    return c.json(
      { error: error.code, ...(error.description ? { error_description: error.description } : {}) },
      error.status,
      { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...error.headers },
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    c.set('errorCode', 'invalid_request');
    return c.json({ error: 'invalid_request', error_description: error.message || 'bad request' }, error.status, { 'Cache-Control': 'no-store' });
  }
  log.error({ err: { name: error.name, message: error.message, stack: error.stack }, path: c.req.path }, 'unhandled error');
  c.set('errorCode', 'server_error');
  return c.json({ error: 'server_error', error_description: 'internal error' }, 500, { 'Cache-Control': 'no-store' });
};
