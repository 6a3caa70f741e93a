import type { Context } from 'hono';
import type { AuthorizeOutcome } from '../../services/authorize.js';
import type { Deps } from '../../services/deps.js';
import { sealPendingRequest } from '../../services/pending-request.js';
import { csrfToken } from '../browser-cookies.js';
import { ConsentPage } from './consent.js';
import { LoginPage } from './login.js';
import { MessagePage } from './message.js';
import { formActionSource, pageHeaders, renderPage, type PageStatus } from './respond.js';

/**
 * Where "Continue with NAME" leads: a link, not a form, so the redirect to the provider is not held
 * to the page's form-action. The sealed request is no secret (it is the /authorize query, signed).
 */
export const upstreamStartPath = (providerId: string, sealedRequest: string) =>
  `/upstream/${providerId}/start?${new URLSearchParams({ request: sealedRequest })}`;

/** An error page that never redirects (RFC 6749 §4.1.2.1: the client or its redirect URI is not to be trusted). */
export const errorPage = (c: Context, deps: Pick<Deps, 'config'>, description: string, status: PageStatus = 400, headers: Record<string, string> = {}) =>
  renderPage(
    c,
    <MessagePage
      brand={deps.config.loginTitle}
      title="This sign-in request cannot be completed"
      lines={[description, 'Go back to the application and try again.']}
      alert
    />,
    status,
    { ...pageHeaders(), ...headers },
  );

/** Turns what /authorize decided into the page or redirect the browser gets. `error` is the login form's failure message. */
export async function respond(
  c: Context,
  deps: Deps,
  outcome: AuthorizeOutcome,
  form: { error?: string; username?: string; status?: PageStatus; headers?: Readonly<Record<string, string>> } = {},
) {
  switch (outcome.kind) {
    case 'page':
      return errorPage(c, deps, outcome.description);
    case 'redirect':
      return c.body(null, 303, { ...pageHeaders(), Location: outcome.location });
    case 'login': {
      const request = await sealPendingRequest(deps, { request: outcome.request, userId: null });
      const providers = (await deps.store.listProviders()).map((p) => ({ name: p.name, href: upstreamStartPath(p.id, request) }));
      const page = (
        <LoginPage
          brand={deps.config.loginTitle}
          clientName={outcome.client.id}
          csrfToken={csrfToken(c, deps)}
          request={request}
          username={form.username ?? outcome.request.loginHint ?? undefined}
          error={form.error}
          providers={providers}
        />
      );
      return renderPage(c, page, form.status ?? 200, { ...pageHeaders([formActionSource(outcome.request.redirectUri)]), ...form.headers });
    }
    case 'consent': {
      const page = (
        <ConsentPage
          brand={deps.config.loginTitle}
          clientName={outcome.client.id}
          username={outcome.user.username}
          scopes={outcome.scopes}
          csrfToken={csrfToken(c, deps)}
          request={await sealPendingRequest(deps, { request: outcome.request, userId: outcome.user.id })}
        />
      );
      return renderPage(c, page, 200, pageHeaders([formActionSource(outcome.request.redirectUri)]));
    }
  }
}
