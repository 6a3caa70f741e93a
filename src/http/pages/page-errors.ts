import type { Context } from 'hono';
import type { Logger } from 'pino';
import { TooManyRequests } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { errorAnswer, loggable } from '../on-error.js';
import { badRequestMessage, errorPage } from './outcome.js';
import type { PageStatus } from './render-page.js';

/** onError of the hosted pages: a person reads these answers, so errors are pages, not JSON. */
export const pageErrors = (deps: Pick<Deps, 'config'>, log: Logger) => (error: Error, c: Context) => {
  if (error instanceof TooManyRequests) {
    return errorPage(c, deps, { key: 'tooManySignIns' }, 429, { ...error.headers });
  }
  const answer = errorAnswer(error);
  // A form without this browser's CSRF token: an old tab, or another site's page posting here.
  if (answer?.status === 403) return errorPage(c, deps, { key: 'formExpired' }, 403, answer.headers);
  if (answer) return errorPage(c, deps, badRequestMessage, answer.status as PageStatus, answer.headers, answer.description ?? answer.error);
  log.error({ err: loggable(error), path: c.req.path }, 'unhandled error');
  return errorPage(c, deps, { key: 'serverError' }, 500);
};
