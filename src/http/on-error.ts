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

/** Tells the request log which error the response carries. */
const recordCode = (c: Context, code: string) => (c as Context<AppEnv>).set('errorCode', code);

/** The one place errors become responses: OAuth errors in RFC 6749 §5.2 form, anything else a logged 500 that says nothing. */
export const onError = (log: Logger) => (error: Error, c: Context) => {
  if (error instanceof OAuthError) {
    recordCode(c, error.code);
    return c.json(
      { error: error.code, ...(error.description ? { error_description: error.description } : {}) },
      error.status,
      { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...error.headers },
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    recordCode(c, 'invalid_request');
    return c.json({ error: 'invalid_request', error_description: error.message || 'bad request' }, error.status, { 'Cache-Control': 'no-store' });
  }
  if (clientClosed(error, c)) {
    // Anyone can do this at will, so it must not look like a fault: a warning without a stack.
    log.warn({ reason: error.message, path: c.req.path }, 'client closed the connection mid-request');
    return c.body(null, clientClosedStatus as UnofficialStatusCode);
  }
  log.error({ err: loggable(error), path: c.req.path }, 'unhandled error');
  recordCode(c, 'server_error');
  return c.json({ error: 'server_error', error_description: 'internal error' }, 500, { 'Cache-Control': 'no-store' });
};

/**
 * What of an unexpected error goes to the log. A failed query's message and stack (drizzle's
 * DrizzleQueryError) carry the statement's parameters, which can hold a secret's hash or a user's
 * input: only the database's own error is logged.
 */
function loggable(error: Error): { name: string; message: string; code?: string; stack?: string } {
  const cause = error.cause instanceof Error ? error.cause : null;
  if (cause && 'params' in error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return { name: 'QueryError', message: cause.message, ...(code ? { code: String(code) } : {}) };
  }
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}
