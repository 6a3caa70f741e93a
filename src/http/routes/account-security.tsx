import { Hono, type Context } from 'hono';
import { InvalidInput } from '../../errors/domain.js';
import { isRecent } from '../../services/account/sign-in.js';
import { accountSignInPath } from '../../services/account-client.js';
import { currentBrowserSession, type LiveBrowserSession } from '../../services/browser-sessions.js';
import type { Deps } from '../../services/deps.js';
import { registerPasskey, registrationOptions, removePasskey } from '../../services/factors/passkeys.js';
import { renewRecoveryCodes } from '../../services/factors/recovery.js';
import { factorSummary, hasFactor, removeTotp } from '../../services/factors/summary.js';
import { beginTotp, confirmTotp, pendingTotp, type TotpEnrollment } from '../../services/factors/totp.js';
import { openSecondStep, sealSecondStep, type SecondStepState } from '../../services/sign-in/second-step-state.js';
import { csrfToken, readSessionCookie, requireCsrfToken } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { SecurityPage, type SecurityPageProps } from '../pages/account-security.js';
import { securityText } from '../pages/i18n/security.js';
import { pageErrors } from '../pages/page-errors.js';
import { pageLocale } from '../pages/locale.js';
import { formActionSource, pageHeaders, renderPage } from '../pages/render-page.js';
import { actorFrom } from '../request-info.js';

type Extra = Pick<SecurityPageProps, 'enrolling' | 'recoveryCodes' | 'notice'> & { signIn?: SecondStepState | null };

/**
 * /account/security, in the browser session of the hosted pages (without one: sign in, then back): the
 * authenticator app, recovery codes and passkeys. Every change needs a sign-in within five minutes. With
 * `continue` (a sign-in that requires a second factor the user lacks), enrolling one carries the sign-in on.
 */
export function accountSecurityRoutes(deps: Deps) {
  const render = async (c: Context<AppEnv>, live: LiveBrowserSession, extra: Extra = {}, status: 200 | 400 = 200) => {
    const lang = pageLocale(c, deps);
    const summary = await factorSummary(deps, live.user.id);
    const signIn = extra.signIn
      ? { state: await sealSecondStep(deps, extra.signIn), passed: extra.signIn.passed, clientName: extra.signIn.request.clientId }
      : null;
    const page = (
      <SecurityPage
        brand={deps.config.loginTitle}
        username={live.user.username}
        csrfToken={csrfToken(c, deps)}
        text={securityText[lang]}
        lang={lang}
        totp={summary.totp}
        recoveryCodesLeft={summary.recoveryCodesLeft}
        passkeys={summary.passkeys}
        enrolling={extra.enrolling ?? null}
        recoveryCodes={extra.recoveryCodes}
        signIn={signIn}
        notice={extra.notice ?? null}
        reauthHref={accountSignInPath(deps)}
      />
    );
    // A sign-in carried on from here ends with a redirect to its client, which form-action must allow.
    const formActions = extra.signIn ? ["'self'", formActionSource(extra.signIn.request.redirectUri)] : ["'self'"];
    return renderPage(c, page, status, pageHeaders(formActions, { scripts: true }));
  };

  /** The session, the sign-in waiting for a factor (when the form or link carries one of this user's), and whether changes are allowed now. */
  const context = async (c: Context<AppEnv>, sealed: string | undefined) => {
    const live = await currentBrowserSession(deps, readSessionCookie(c));
    if (!live) return null;
    const state = sealed ? await openSecondStep(deps, sealed, csrfToken(c, deps)) : null;
    const signIn = state && state.userId === live.user.id ? state : null;
    const recent = isRecent(deps, live);
    return { live, signIn, recent, actor: actorFrom(c, `user:${live.user.id}`) };
  };

  /** After a factor was enrolled during a sign-in: it may carry on, with that factor in its amr. */
  const passed = (signIn: SecondStepState | null, amr: string[]) => (signIn ? { ...signIn, amr: [...signIn.amr, ...amr], passed: true } : null);

  /** Recovery codes come with the first factor. */
  const firstCodes = async (live: LiveBrowserSession, actor: ReturnType<typeof actorFrom>) =>
    (await factorSummary(deps, live.user.id)).recoveryCodesLeft === 0 ? renewRecoveryCodes(deps, actor, live.user) : undefined;

  type Ctx = NonNullable<Awaited<ReturnType<typeof context>>>;
  const change = (path: string, act: (c: Context<AppEnv>, ctx: Ctx, form: Map<string, string>) => Promise<Response>) =>
    [
      path,
      formBody(),
      requireCsrfToken(),
      async (c: Context<AppEnv>) => {
        const form = c.get('form') as unknown as Map<string, string>;
        const ctx = await context(c, form.get('continue'));
        if (!ctx) return c.redirect(accountSignInPath(deps), 303);
        if (!ctx.recent && !ctx.signIn) return render(c, ctx.live, { notice: 'reauth' }, 400);
        return act(c, ctx, form);
      },
    ] as const;

  return new Hono<AppEnv>()
    .onError(pageErrors(deps, deps.log))
    .get('/account/security', async (c) => {
      const ctx = await context(c, c.req.query('continue'));
      if (!ctx) return c.redirect(accountSignInPath(deps), 303);
      return render(c, ctx.live, { signIn: ctx.signIn, enrolling: await pendingTotp(deps, ctx.live.user) });
    })
    .post(...change('/account/security/totp', async (c, { live, signIn }) => render(c, live, { signIn, enrolling: await beginTotp(deps, live.user) })))
    .post(
      ...change('/account/security/totp/confirm', async (c, { live, signIn, actor }, form) => {
        if (!(await confirmTotp(deps, actor, live.user, form.get('code') ?? ''))) {
          return render(c, live, { signIn, enrolling: await pendingTotp(deps, live.user), notice: 'failed' }, 400);
        }
        return render(c, live, { signIn: passed(signIn, ['otp']), recoveryCodes: await firstCodes(live, actor), notice: 'done' });
      }),
    )
    .post(
      ...change('/account/security/totp/remove', async (c, { live, actor }) => {
        await removeTotp(deps, actor, live.user.id);
        return render(c, live, { notice: 'done' });
      }),
    )
    .post(
      ...change('/account/security/recovery-codes', async (c, { live, actor }) => {
        if (!hasFactor(await factorSummary(deps, live.user.id))) return render(c, live, { notice: 'failed' }, 400);
        return render(c, live, { recoveryCodes: await renewRecoveryCodes(deps, actor, live.user), notice: 'done' });
      }),
    )
    .post(
      ...change('/account/security/passkeys/options', async (c, { live }) =>
        c.json(await registrationOptions(deps, live.user), 200, { 'Cache-Control': 'no-store' }),
      ),
    )
    .post(
      ...change('/account/security/passkeys', async (c, { live, signIn, actor }, form) => {
        try {
          await registerPasskey(deps, actor, live.user, { response: form.get('credential'), name: form.get('name') });
        } catch (error) {
          if (error instanceof InvalidInput) return render(c, live, { signIn, notice: 'failed' }, 400);
          throw error;
        }
        return render(c, live, { signIn: passed(signIn, ['hwk']), recoveryCodes: await firstCodes(live, actor), notice: 'done' });
      }),
    )
    .post(
      ...change('/account/security/passkeys/remove', async (c, { live, actor }, form) => {
        const removed = await removePasskey(deps, actor, live.user, form.get('credential_id') ?? '');
        return render(c, live, { notice: removed ? 'done' : 'failed' }, removed ? 200 : 400);
      }),
    );
}

export type { TotpEnrollment };
