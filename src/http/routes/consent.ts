import { Hono } from 'hono';
import { continueAuthorization, errorRedirect, recheckRequest, rememberConsent } from '../../services/authorize.js';
import { currentBrowserSession } from '../../services/browser-sessions.js';
import type { Deps } from '../../services/deps.js';
import { openPendingRequest } from '../../services/pending-request.js';
import { grantedScopes } from '../../domain/authorize.js';
import { readSessionCookie, requireCsrfToken } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { errorPage, respond } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { actorFrom } from '../request-info.js';

/**
 * POST /consent: the user's answer on the consent page. `decision=allow` is remembered and the code
 * issued; `decision=deny` sends the browser back with access_denied.
 */
export function consentRoute(deps: Deps) {
  return new Hono<AppEnv>().onError(pageErrors(deps, deps.log)).post('/consent', formBody(), requireCsrfToken(), async (c) => {
    const form = c.get('form');
    const pending = await openPendingRequest(deps, form.get('request'));
    if (!pending || pending.userId === null) return errorPage(c, deps, 'This page has expired. Go back to the application and start again.');
    const checked = await recheckRequest(deps, pending.request);
    if (!('request' in checked)) return respond(c, deps, checked);
    const { request, client } = checked;
    const live = await currentBrowserSession(deps, readSessionCookie(c));
    const actor = actorFrom(c, `client:${client.id}`);
    // Signed out, or another user signed in meanwhile: this answer is not theirs to give.
    if (!live || live.user.id !== pending.userId) return respond(c, deps, await continueAuthorization(deps, actor, { request, client, live, stage: 'start' }));

    const decision = form.get('decision');
    if (decision === 'deny') return respond(c, deps, errorRedirect(deps, request.redirectUri, request.state, 'access_denied', 'the user denied access'));
    if (decision !== 'allow') return errorPage(c, deps, 'The answer must be allow or deny.');
    await rememberConsent(deps, actor, live.user, client, grantedScopes(request.scopes, client, live.user));
    return respond(c, deps, await continueAuthorization(deps, actor, { request, client, live, stage: 'consented' }));
  });
}
