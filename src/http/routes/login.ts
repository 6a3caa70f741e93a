import { Hono } from 'hono';
import type { Deps } from '../../services/deps.js';
import { signInWithPassword } from '../../services/sign-in/password.js';
import { resumeSignIn } from '../../services/sign-in/resume.js';
import { requireCsrfToken, signInBrowser } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { errorPage, outcomeResponse } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { actorFrom } from '../request-info.js';

/**
 * POST /login: the hosted sign-in form. A good password starts the browser session and the
 * authorization request carries on (consent, or the code); a bad one shows the form again.
 */
export function loginRoute(deps: Deps) {
  return new Hono<AppEnv>().onError(pageErrors(deps, deps.log)).post('/login', formBody(), requireCsrfToken(), async (c) => {
    const form = c.get('form');
    const resumed = await resumeSignIn(deps, form.get('request'));
    if (resumed.kind === 'expired') return errorPage(c, deps, { key: 'signInExpired' });
    if (resumed.kind === 'outcome') return outcomeResponse(c, deps, resumed.outcome);
    const { pending } = resumed;
    const actor = actorFrom(c, `client:${pending.client.id}`);
    const credentials = { username: form.get('username') ?? '', password: form.get('password') ?? '' };
    return outcomeResponse(c, deps, await signInWithPassword(deps, actor, { pending, ...credentials, browser: signInBrowser(c, deps) }));
  });
}
