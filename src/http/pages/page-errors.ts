import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { OAuthError, TooManyRequests } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { errorPage } from './outcome.js';
import type { PageStatus } from './respond.js';

/** onError of the hosted pages: a person reads these answers, so errors are pages, not JSON. */
export const pageErrors = (deps: Pick<Deps, 'config'>, log: Logger) => (error: Error, c: Context) => {
  if (error instanceof TooManyRequests) {
    return errorPage(c, deps, 'Too many sign-in attempts. Wait a minute, then try again.', 429, { ...error.headers });
  }
  if (error instanceof OAuthError) return errorPage(c, deps, error.description ?? error.code, error.status as PageStatus, { ...error.headers });
  if (error instanceof HTTPException && error.status < 500) return errorPage(c, deps, error.message || 'bad request', error.status as PageStatus);
  log.error({ err: { name: error.name, message: error.message, stack: error.stack }, path: c.req.path }, 'unhandled error');
  return errorPage(c, deps, 'Something went wrong on our side.', 500);
};
