import type { Context } from 'hono';
import type { Logger } from 'pino';
import { TooManyRequests } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { errorAnswer, loggable } from '../on-error.js';
import { badRequestMessage, errorPage } from './outcome.js';
import type { PageStatus } from './render-page.js';

/** A form without this browser's CSRF token: an old tab, or another site's page posting here. */
const expiredFormMessage = 'This form has expired or was not sent from this site, so nothing has changed. Go back to the application and start again.';

/** onError of the hosted pages: a person reads these answers, so errors are pages, not JSON. */
export const pageErrors = (deps: Pick<Deps, 'config'>, log: Logger) => (error: Error, c: Context) => {
  if (error instanceof TooManyRequests) {
    return errorPage(c, deps, 'Too many sign-in attempts. Wait a minute, then try again.', 429, { ...error.headers });
  }
  const answer = errorAnswer(error);
  if (answer?.status === 403) return errorPage(c, deps, expiredFormMessage, 403, answer.headers);
  if (answer) return errorPage(c, deps, badRequestMessage, answer.status as PageStatus, answer.headers, answer.description ?? answer.error);
  log.error({ err: loggable(error), path: c.req.path }, 'unhandled error');
  return errorPage(c, deps, 'Something went wrong on our side, and nothing has changed. Try again in a minute.', 500);
};
