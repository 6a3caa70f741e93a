import type { Context } from 'hono';
import type { AuthorizeOutcome } from '../../services/authorize.js';
import type { Deps } from '../../services/deps.js';
import { csrfToken } from '../browser-cookies.js';
import { ConsentPage } from './consent.js';
import { LoginPage } from './login.js';
import { securityText } from './i18n/security.js';
import { SecondStepPage } from './second-step.js';
import { pageLocale } from './page-locale.js';
import { clientName } from './client-name.js';
import { ErrorPage } from './error-page.js';
import { formActionSource, pageHeaders, renderPage, type PageStatus } from './render-page.js';

/**
 * Where "Continue with NAME" leads: a link, not a form, so the redirect to the provider is not held
 * to the page's form-action. The sealed request is no secret (it is the /authorize query, signed).
 */
export const upstreamStartPath = (providerId: string, sealedRequest: string) =>
  `/upstream/${providerId}/start?${new URLSearchParams({ request: sealedRequest })}`;

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
  message: string,
  status: PageStatus = 400,
  headers: Record<string, string> = {},
  detail?: string,
) =>
  renderPage(
    c,
    <ErrorPage brand={deps.config.loginTitle} title={titles[status] ?? titles[400]!} message={message} detail={detail} reference={reference(c)} />,
    status,
    { ...pageHeaders(), ...headers },
  );

const titles: Partial<Record<PageStatus, string>> = {
  400: 'This request cannot be completed',
  403: 'This page has expired',
  429: 'Too many attempts',
  500: 'Something went wrong',
};

/** What a person reads when the application sent a request we cannot carry out. */
export const badRequestMessage =
  'The application that sent you here asked for something we cannot do, so nothing has changed. Go back to the application and try again. If it happens again, tell the people who run it.';

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
      const page = (
        <LoginPage
          brand={deps.config.loginTitle}
          clientName={clientName(outcome.client)}
          csrfToken={csrfToken(c, deps)}
          request={sealedRequest}
          username={outcome.username ?? outcome.request.loginHint ?? undefined}
          error={error?.message}
          providers={outcome.providers.map((p) => ({ name: p.name, href: upstreamStartPath(p.id, sealedRequest) }))}
        />
      );
      const status = error === undefined ? 200 : error.retryAfter === undefined ? 400 : 429;
      const retryAfter: Record<string, string> = error?.retryAfter === undefined ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfter))) };
      return renderPage(c, page, status, { ...pageHeaders([formActionSource(outcome.request.redirectUri)], { scripts: true }), ...retryAfter });
    }
    case 'second-step': {
      const lang = pageLocale(c);
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
      const retryAfter: Record<string, string> = error?.retryAfter === undefined ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfter))) };
      return renderPage(c, page, status, {
        ...pageHeaders([formActionSource(outcome.request.redirectUri)], { scripts: outcome.methods.passkeys }),
        ...retryAfter,
      });
    }
    case 'consent': {
      const page = (
        <ConsentPage
          brand={deps.config.loginTitle}
          clientName={clientName(outcome.client)}
          username={outcome.user.username}
          scopes={outcome.scopes}
          csrfToken={csrfToken(c, deps)}
          request={outcome.sealedRequest}
        />
      );
      return renderPage(c, page, 200, pageHeaders([formActionSource(outcome.request.redirectUri)]));
    }
  }
}
