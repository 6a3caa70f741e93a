import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { UnofficialStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { OAuthError } from '../errors/oauth.js';
import type { AppEnv } from './env.js';

/**
 * Status recorded for a request whose client closed the connection before it was read (nginx's
 * "client closed request"): nobody receives it, and it is not counted as a server error.
 */
export const clientClosedStatus = 499;

/**
 * The client has gone: the request's signal is aborted once its connection closes early, and reading
 * a body cut short fails with Node's "aborted" (`abortIncoming`), which may come first.
 */
const clientClosed = (error: Error, c: Context): boolean =>
  c.req.raw.signal.aborted || ((error as NodeJS.ErrnoException).code === 'ECONNRESET' && error.message === 'aborted');

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
  if (clientClosed(error, c)) {
    // Anyone can do this at will, so it must not look like a fault: a warning without a stack.
    log.warn({ reason: error.message, path: c.req.path }, 'client closed the connection mid-request');
    return c.body(null, clientClosedStatus as UnofficialStatusCode);
  }
  log.error({ err: { name: error.name, message: error.message, stack: error.stack }, path: c.req.path }, 'unhandled error');
  c.set('errorCode', 'server_error');
  return c.json({ error: 'server_error', error_description: 'internal error' }, 500, { 'Cache-Control': 'no-store' });
};
