import { Hono } from 'hono';
import type { Deps } from '../../../services/deps.js';
import { dpopNonceHeader } from '../../dpop.js';
import { adminAuth, type AdminEnv } from '../../middleware/admin-auth.js';
import { noStore } from '../../middleware/no-store.js';
import { adminApiRoutes } from './apis.js';
import { adminAuditRoutes } from './audit.js';
import { adminClientRoutes } from './clients.js';
import { adminFamilyRoutes } from './families.js';
import { adminKeyRoutes } from './keys.js';
import { adminProviderRoutes } from './providers.js';
import { adminRegistrationTokenRoutes } from './registration-tokens.js';
import { adminUserRoutes } from './users.js';
import { adminWebhookRoutes } from './webhooks.js';

/** The operator API (README, "Operating Tessera"; openapi.yaml, tag admin), mounted at /admin behind a Bearer (or DPoP-bound) token with scope `admin`. */
export function adminRoutes(deps: Deps) {
  const admin = new Hono<AdminEnv>();
  // Answers may carry a client secret, and listings go stale: nothing here is cached.
  admin.use('*', noStore(), dpopNonceHeader(deps), adminAuth({ deps }));
  admin.route('/', adminUserRoutes(deps));
  admin.route('/', adminFamilyRoutes(deps));
  admin.route('/', adminClientRoutes(deps));
  admin.route('/', adminKeyRoutes(deps));
  admin.route('/', adminAuditRoutes(deps));
  admin.route('/', adminProviderRoutes(deps));
  admin.route('/', adminWebhookRoutes(deps));
  admin.route('/', adminRegistrationTokenRoutes(deps));
  admin.route('/', adminApiRoutes(deps));
  return admin;
}
