import { Hono } from 'hono';
import { excerpt } from '../lib/excerpt.js';
import type { Deps } from '../services/deps.js';
import type { AppEnv } from './env.js';
import { requestPipeline } from './middleware/request-pipeline.js';
import { onError } from './on-error.js';
import { accountRoutes } from './routes/account.js';
import { accountApiRoutes } from './routes/account-api.js';
import { adminRoutes } from './routes/admin/index.js';
import { assetRoutes } from './routes/assets.js';
import { authorizeRoute } from './routes/authorize.js';
import { consentRoute } from './routes/consent.js';
import { docsRoutes } from './routes/docs.js';
import { healthRoutes } from './routes/health.js';
import { introspectRoute } from './routes/introspect.js';
import { loginRoute } from './routes/login.js';
import { secondStepRoutes } from './routes/second-step.js';
import { accountSecurityRoutes } from './routes/account-security.js';
import { logoutRoute } from './routes/logout.js';
import { metricsRoute } from './routes/metrics.js';
import { parRoute } from './routes/par.js';
import { refreshRoute } from './routes/refresh.js';
import { registerRoute } from './routes/register.js';
import { revocationRoutes } from './routes/revocations.js';
import { revocationHub } from '../services/revocation-hub.js';
import { revokeRoute } from './routes/revoke.js';
import { tokenRoute } from './routes/token.js';
import { upstreamRoutes } from './routes/upstream.js';
import { userinfoRoute } from './routes/userinfo.js';
import { wellKnownRoutes } from './routes/well-known.js';
import { passwordResetRoutes } from './routes/password-reset.js';
import { signupRoutes } from './routes/signup.js';
import { verifyEmailRoutes } from './routes/verify-email.js';
import type { MailKick } from './routes/mail-kick.js';
import { startMailDelivery } from '../services/mail/deliver.js';
import { mailTransport, type MailTransport } from '../services/mail/transport.js';

/** Largest request body accepted; token requests are a few hundred bytes. */
export const maxBodyBytes = 64 * 1024;

export type AppOptions = {
  shutdown?: AbortSignal;
  feedPollMs?: number;
  /** Replaces the transport SMTP_URL names; `mailPollMs`: how often the mail sender looks for due mails (default 1 s). */
  mail?: { transport?: MailTransport; pollMs?: number };
  /** The period of the log line that sums up the static documents' answers. */
  staticSummaryMs?: number;
};

/**
 * `shutdown`, aborted when the process stops, ends the live revocation streams so they do not hold the drain up
 * and stops the mail sender. `feedPollMs`: how often the revocation hub reads the store for live feed streams (once
 * a second unless a test needs it faster); a session this process revokes reaches them at once, through the domain
 * events. With SMTP_URL set, the app also sends the queued mails (services/mail/deliver.ts). `staticSummaryMs`: the
 * period of the log line that sums up the static documents' answers (once a minute).
 */
export function createApp(deps: Deps, { shutdown, feedPollMs, mail, staticSummaryMs = 60_000 }: AppOptions = {}) {
  const app = new Hono<AppEnv>();
  const errors = onError(deps.log);
  app.onError(errors);
  app.notFound((c) => {
    c.set('errorCode', 'not_found');
    return c.json({ error: 'not_found', error_description: `no route for ${excerpt(c.req.method)} ${excerpt(c.req.path)}` }, 404);
  });
  app.use(
    requestPipeline({
      log: deps.log,
      metrics: deps.metrics,
      trustProxy: deps.config.trustProxy,
      maxBodyBytes,
      onError: errors,
      summaryEveryMs: staticSummaryMs,
      shutdown,
    }),
  );

  app.route('/', tokenRoute(deps));
  app.route('/', refreshRoute(deps));
  app.route('/', revokeRoute(deps));
  app.route('/', introspectRoute(deps));
  app.route('/', wellKnownRoutes(deps));
  app.route('/', revocationRoutes(deps, { shutdown, hub: revocationHub(deps, { intervalMs: feedPollMs }) }));
  app.route('/', healthRoutes(deps));
  app.route('/', docsRoutes(deps));
  app.route('/', metricsRoute(deps));
  app.route('/', parRoute(deps));
  app.route('/', authorizeRoute(deps));
  app.route('/', loginRoute(deps));
  app.route('/', secondStepRoutes(deps));
  app.route('/', accountSecurityRoutes(deps));
  app.route('/', consentRoute(deps));
  app.route('/', upstreamRoutes(deps));
  app.route('/', userinfoRoute(deps));
  app.route('/', logoutRoute(deps));
  const mailer = mailSender(deps, shutdown, mail);
  app.route('/', signupRoutes(deps, mailer));
  app.route('/', passwordResetRoutes(deps, mailer));
  app.route('/', verifyEmailRoutes(deps));
  app.route('/', accountApiRoutes(deps));
  app.route('/', accountRoutes(deps));
  app.route('/', assetRoutes());
  if (deps.config.registration !== 'off') app.route('/', registerRoute(deps, deps.config.registration));
  app.route('/admin', adminRoutes(deps));
  return app;
}

/** The mail sender of this app, or one that does nothing when mail is off. */
function mailSender(deps: Deps, shutdown: AbortSignal | undefined, options: AppOptions['mail'] = {}): MailKick {
  const transport = options.transport ?? mailTransport(deps.config, deps.log);
  if (transport === null) return { kick() {} };
  return startMailDelivery(deps, transport, { signal: shutdown ?? new AbortController().signal, intervalMs: options.pollMs });
}

export type App = ReturnType<typeof createApp>;
