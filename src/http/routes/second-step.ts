import type { PageMessage } from '../../domain/messages.js';
import { Hono } from 'hono';
import type { Deps } from '../../services/deps.js';
import { authenticationOptions } from '../../services/factors/passkeys.js';
import { signInWithPasskey } from '../../services/sign-in/passkey.js';
import { resumeSignIn } from '../../services/sign-in/resume.js';
import { answerSecondStep } from '../../services/sign-in/second-step-answer.js';
import { openSecondStep } from '../../services/sign-in/second-step-state.js';
import { requireCsrfToken, signInBrowser } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { errorPage, outcomeResponse } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { actorFrom } from '../request-info.js';

const expired: PageMessage = { key: 'signInExpired' };

/**
 * The sign-in steps after (or instead of) the password: POST /login/second-step (a code, a recovery code or
 * a passkey), POST /login/continue (after a factor enrolled during the sign-in), POST /login/passkey
 * ("Sign in with a passkey"), and POST /webauthn/authentication/options, the challenge for either.
 */
export function secondStepRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .onError(pageErrors(deps, deps.log))
    .post('/login/second-step', formBody(), requireCsrfToken(), async (c) => {
      const form = c.get('form');
      const state = await openSecondStep(deps, form.get('state'), form.get('csrf_token'));
      if (!state || state.passed) return errorPage(c, deps, expired);
      const actor = actorFrom(c, `client:${state.request.clientId}`);
      const answer = { code: form.get('code'), recoveryCode: form.get('recovery_code'), credential: form.get('credential') };
      const outcome = await answerSecondStep(deps, actor, { state, answer, browser: signInBrowser(c, deps) });
      return outcome.kind === 'expired' ? errorPage(c, deps, expired) : outcomeResponse(c, deps, outcome);
    })
    .post('/login/continue', formBody(), requireCsrfToken(), async (c) => {
      const form = c.get('form');
      const state = await openSecondStep(deps, form.get('state'), form.get('csrf_token'));
      if (!state?.passed) return errorPage(c, deps, expired);
      const actor = actorFrom(c, `client:${state.request.clientId}`);
      const outcome = await answerSecondStep(deps, actor, { state, answer: {}, browser: signInBrowser(c, deps) });
      return outcome.kind === 'expired' ? errorPage(c, deps, expired) : outcomeResponse(c, deps, outcome);
    })
    .post('/login/passkey', formBody(), requireCsrfToken(), async (c) => {
      const form = c.get('form');
      const resumed = await resumeSignIn(deps, form.get('request'));
      if (resumed.kind === 'expired') return errorPage(c, deps, expired);
      if (resumed.kind === 'outcome') return outcomeResponse(c, deps, resumed.outcome);
      const actor = actorFrom(c, `client:${resumed.pending.client.id}`);
      return outcomeResponse(
        c,
        deps,
        await signInWithPasskey(deps, actor, { pending: resumed.pending, credential: form.get('credential'), browser: signInBrowser(c, deps) }),
      );
    })
    .post('/webauthn/authentication/options', formBody(), requireCsrfToken(), async (c) => {
      const form = c.get('form');
      // On the second step, the user's own passkeys; on the login page, any discoverable one.
      const state = form.has('state') ? await openSecondStep(deps, form.get('state'), form.get('csrf_token')) : null;
      if (form.has('state') && !state)
        return c.json({ error: 'invalid_request', error_description: 'this page has expired; start again' }, 400, { 'Cache-Control': 'no-store' });
      return c.json(await authenticationOptions(deps, state?.userId ?? null), 200, { 'Cache-Control': 'no-store' });
    });
}
