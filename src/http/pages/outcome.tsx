import { retryAfter } from '../../errors/oauth.js';
import type { Context } from 'hono';
import type { AuthorizeOutcome } from '../../services/authorize.js';
import type { Deps } from '../../services/deps.js';
import { csrfToken } from '../browser-cookies.js';
import { ConsentPage } from './consent.js';
import { LoginPage } from './login.js';
import { securityText } from './i18n/security.js';
import { SecondStepPage } from './second-step.js';
import { clientName } from './client-name.js';
import { ErrorPage } from './error-page.js';
import { passwordResetText } from './i18n/password-reset.js';
import { signupText } from './i18n/signup.js';
import { readQuery } from '../params.js';
import { formActionSource, pageHeaders, renderPage, type PageStatus } from './render-page.js';
import type { PageMessage } from '../../domain/messages.js';
import { errorText } from './i18n/error.js';
import { messageIn, pageLocale } from './locale.js';

/**
 * Where "Continue with NAME" leads: a link, not a form, so the redirect to the provider is not held
 * to the page's form-action. The sealed request is no secret (it is the /authorize query, signed).
 */
export const upstreamStartPath = (providerId: string, sealedRequest: string) =>
  `/upstream/${providerId}/start?${new URLSearchParams({ request: sealedRequest })}`;

/**
 * The login page's way to the account pages (issue 26): password reset always (its page says when mail is off),
 * sign-up when SIGNUP=open, carrying the sealed request so the sign-up ends signed in to the application.
 */
function accountLinks(c: Context, deps: Pick<Deps, 'config'>, sealedRequest: string) {
  // As read, not strictly: /authorize has its own rules for the query, and a page is shown whatever ui_locales holds.
  const lang = pageLocale(c, deps, readQuery(c).values.get('ui_locales'));
  const links = [{ href: `/password-reset?ui_locales=${lang}`, text: passwordResetText[lang].loginLink }];
  if (deps.config.signup)
    links.push({ href: `/signup?${new URLSearchParams({ request: sealedRequest, ui_locales: lang })}`, text: signupText[lang].loginLink });
  return links;
}

/** The request id the front gave this request, shown on error pages as a reference to report. */
const reference = (c: Context): string | undefined => c.get('requestId');

/**
 * An error page that never redirects (RFC 6749 §4.1.2.1: the client or its redirect URI is not to be
 * trusted). `message` is for the person; `detail`, when given, is the developer's description of the
 * request's fault, shown under it.
 */
export const errorPage = (
  c: Context,
  deps: Pick<Deps, 'config'>,
  message: PageMessage,
  status: PageStatus = 400,
  headers: Record<string, string> = {},
  detail?: string,
) => {
  const locale = pageLocale(c, deps);
  const titles: Partial<Record<PageStatus, string>> = errorText[locale].titles;
  const title = titles[status] ?? titles[400]!;
  const page = (
    <ErrorPage brand={deps.config.loginTitle} locale={locale} title={title} message={messageIn(locale, message)} detail={detail} reference={reference(c)} />
  );
  return renderPage(c, page, status, { ...pageHeaders(), ...headers });
};

/** What a person reads when the application sent a request we cannot carry out. */
export const badRequestMessage: PageMessage = { key: 'badRequest' };

/**
 * The page or redirect an authorization outcome calls for: the error page, the login page (with a
 * failed sign-in's message and status), the consent page, or the redirect back to the client.
 */
export function outcomeResponse(c: Context, deps: Pick<Deps, 'config' | 'ids'>, outcome: AuthorizeOutcome) {
  switch (outcome.kind) {
    case 'page':
      return errorPage(c, deps, badRequestMessage, 400, {}, outcome.description);
    case 'redirect':
      return c.body(null, 303, { ...pageHeaders(), Location: outcome.location });
    case 'login': {
      const { error, sealedRequest } = outcome;
      const locale = pageLocale(c, deps, outcome.request.uiLocales);
      const page = (
        <LoginPage
          brand={deps.config.loginTitle}
          locale={locale}
          clientName={clientName(outcome.client)}
          csrfToken={csrfToken(c, deps)}
          request={sealedRequest}
          username={outcome.username ?? outcome.request.loginHint ?? undefined}
          error={error && messageIn(locale, error.message)}
          providers={outcome.providers.map((p) => ({ name: p.name, href: upstreamStartPath(p.id, sealedRequest) }))}
          links={accountLinks(c, deps, sealedRequest)}
        />
      );
      const status = error === undefined ? 200 : error.retryAfter === undefined ? 400 : 429;
      const wait = error?.retryAfter === undefined ? {} : retryAfter(error.retryAfter);
      return renderPage(c, page, status, { ...pageHeaders([formActionSource(outcome.request.redirectUri)], { scripts: true }), ...wait });
    }
    case 'second-step': {
      const lang = pageLocale(c, deps, outcome.request.uiLocales);
      const page = (
        <SecondStepPage
          brand={deps.config.loginTitle}
          clientName={clientName(outcome.client)}
          csrfToken={csrfToken(c, deps)}
          state={outcome.sealedState}
          methods={outcome.methods}
          error={outcome.error?.problem}
          text={securityText[lang]}
          lang={lang}
        />
      );
      const error = outcome.error;
      const status = error === undefined ? 200 : error.retryAfter === undefined ? 400 : 429;
      const wait = error?.retryAfter === undefined ? {} : retryAfter(error.retryAfter);
      return renderPage(c, page, status, {
        ...pageHeaders([formActionSource(outcome.request.redirectUri)], { scripts: outcome.methods.passkeys }),
        ...wait,
      });
    }
    case 'consent': {
      const page = (
        <ConsentPage
          brand={deps.config.loginTitle}
          locale={pageLocale(c, deps, outcome.request.uiLocales)}
          clientName={clientName(outcome.client)}
          username={outcome.user.username}
          groups={outcome.groups}
          csrfToken={csrfToken(c, deps)}
          request={outcome.sealedRequest}
        />
      );
      return renderPage(c, page, 200, pageHeaders([formActionSource(outcome.request.redirectUri)]));
    }
  }
}
