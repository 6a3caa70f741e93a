import { Hono } from 'hono';
import { excerpt } from '../lib/excerpt.js';
import type { Deps } from '../services/deps.js';
import type { AppEnv } from './env.js';
import { requestPipeline } from './middleware/request-pipeline.js';
import { onError } from './on-error.js';
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
import { refreshRoute } from './routes/refresh.js';
import { revocationRoutes } from './routes/revocations.js';
import { revocationHub } from '../services/revocation-hub.js';
import { revokeRoute } from './routes/revoke.js';
import { tokenRoute } from './routes/token.js';
import { upstreamRoutes } from './routes/upstream.js';
import { userinfoRoute } from './routes/userinfo.js';
import { wellKnownRoutes } from './routes/well-known.js';

/** Largest request body accepted; token requests are a few hundred bytes. */
export const maxBodyBytes = 64 * 1024;

/**
 * `shutdown`, aborted when the process stops, ends the live revocation streams so they do not hold the drain up.
 * `feedPollMs`: how often the revocation hub reads the store for live feed streams (once a second unless a test needs
 * it faster); a session this process revokes reaches them at once, through the domain events.
 */
export function createApp(deps: Deps, { shutdown, feedPollMs }: { shutdown?: AbortSignal; feedPollMs?: number } = {}) {
  const app = new Hono<AppEnv>();
  const errors = onError(deps.log);
  app.onError(errors);
  app.notFound((c) => {
    c.set('errorCode', 'not_found');
    return c.json({ error: 'not_found', error_description: `no route for ${excerpt(c.req.method)} ${excerpt(c.req.path)}` }, 404);
  });
  app.use(requestPipeline({ log: deps.log, metrics: deps.metrics, trustProxy: deps.config.trustProxy, maxBodyBytes, onError: errors }));

  app.route('/', tokenRoute(deps));
  app.route('/', refreshRoute(deps));
  app.route('/', revokeRoute(deps));
  app.route('/', introspectRoute(deps));
  app.route('/', wellKnownRoutes(deps));
  app.route('/', revocationRoutes(deps, { shutdown, hub: revocationHub(deps, { intervalMs: feedPollMs }) }));
  app.route('/', healthRoutes(deps));
  app.route('/', docsRoutes(deps));
  app.route('/', metricsRoute(deps));
  app.route('/', authorizeRoute(deps));
  app.route('/', loginRoute(deps));
  app.route('/', secondStepRoutes(deps));
  app.route('/', accountSecurityRoutes(deps));
  app.route('/', consentRoute(deps));
  app.route('/', upstreamRoutes(deps));
  app.route('/', userinfoRoute(deps));
  app.route('/', logoutRoute(deps));
  app.route('/', assetRoutes());
  app.route('/admin', adminRoutes(deps));
  return app;
}

export type App = ReturnType<typeof createApp>;
