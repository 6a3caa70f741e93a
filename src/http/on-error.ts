import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode, UnofficialStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { DomainError, domainErrorWireCode, type DomainErrorCode } from '../errors/domain.js';
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

/** The use cases' refusals as openapi.yaml gives them (AdminNotFound, AdminConflict, AdminBadRequest). */
export const domainAnswers: Record<DomainErrorCode, { status: 400 | 404 | 409; error: string }> = {
  not_found: { status: 404, error: domainErrorWireCode.not_found },
  conflict: { status: 409, error: domainErrorWireCode.conflict },
  invalid_input: { status: 400, error: domainErrorWireCode.invalid_input },
};

export type ErrorAnswer = { status: ContentfulStatusCode; error: string; description?: string; headers: Record<string, string> };

/**
 * What a refused request is told: an OAuth error as RFC 6749 §5.2 shapes it, a use case's refusal, or
 * a request hono could not read. null for anything else: a fault, which says nothing to the caller.
 */
export function errorAnswer(error: Error): ErrorAnswer | null {
  if (error instanceof OAuthError) return { status: error.status, error: error.code, description: error.description, headers: { ...error.headers } };
  if (error instanceof DomainError) return { ...domainAnswers[error.code], description: error.message, headers: {} };
  if (error instanceof HTTPException && error.status < 500) {
    return { status: error.status as ContentfulStatusCode, error: 'invalid_request', description: error.message || 'bad request', headers: {} };
  }
  return null;
}

/** The one place errors become JSON responses (`{error, error_description}`); a fault is a logged 500 that says nothing. */
export const onError = (log: Logger) => (error: Error, c: Context) => {
  const answer = errorAnswer(error);
  if (answer) {
    recordCode(c, answer.error);
    return c.json({ error: answer.error, ...(answer.description ? { error_description: answer.description } : {}) }, answer.status, {
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      ...answer.headers,
    });
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
export function loggable(error: Error): { name: string; message: string; code?: string; stack?: string } {
  const cause = error.cause instanceof Error ? error.cause : null;
  if (cause && 'params' in error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return { name: 'QueryError', message: cause.message, ...(code ? { code: String(code) } : {}) };
  }
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}
