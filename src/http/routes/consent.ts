import { Hono } from 'hono';
import { currentBrowserSession } from '../../services/browser-sessions.js';
import type { Deps } from '../../services/deps.js';
import { answerConsent } from '../../services/sign-in/consent.js';
import { resumeConsent } from '../../services/sign-in/resume.js';
import { readSessionCookie, requireCsrfToken, signInBrowser } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { errorPage, outcomeResponse } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { actorFrom } from '../request-info.js';

/**
 * POST /consent: the user's answer on the consent page. `decision=allow` is remembered and the code
 * issued; `decision=deny` sends the browser back with access_denied.
 */
export function consentRoute(deps: Deps) {
  return new Hono<AppEnv>().onError(pageErrors(deps, deps.log)).post('/consent', formBody(), requireCsrfToken(), async (c) => {
    const form = c.get('form');
    const resumed = await resumeConsent(deps, form.get('request'));
    if (resumed.kind === 'expired') return errorPage(c, deps, { key: 'pageExpired' });
    if (resumed.kind === 'outcome') return outcomeResponse(c, deps, resumed.outcome);
    const { pending, userId } = resumed;
    const live = await currentBrowserSession(deps, readSessionCookie(c));
    const actor = actorFrom(c, `client:${pending.client.id}`);
    const answer = await answerConsent(deps, actor, { pending, userId, live, decision: form.get('decision'), browser: signInBrowser(c, deps) });
    if (answer.kind === 'unanswered') return errorPage(c, deps, { key: 'consentUnanswered' });
    return outcomeResponse(c, deps, answer);
  });
}
