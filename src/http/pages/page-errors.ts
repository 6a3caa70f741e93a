import type { Context } from 'hono';
import type { Logger } from 'pino';
import { TooManyRequests } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { errorAnswer, loggable } from '../on-error.js';
import { errorPage } from './outcome.js';
import type { PageStatus } from './respond.js';

/** onError of the hosted pages: a person reads these answers, so errors are pages, not JSON. */
export const pageErrors = (deps: Pick<Deps, 'config'>, log: Logger) => (error: Error, c: Context) => {
  if (error instanceof TooManyRequests) {
    return errorPage(c, deps, 'Too many sign-in attempts. Wait a minute, then try again.', 429, { ...error.headers });
  }
  const answer = errorAnswer(error);
  if (answer) return errorPage(c, deps, answer.description ?? answer.error, answer.status as PageStatus, answer.headers);
  log.error({ err: loggable(error), path: c.req.path }, 'unhandled error');
  return errorPage(c, deps, 'Something went wrong on our side.', 500);
};
