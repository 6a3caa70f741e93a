import { Hono } from 'hono';
import type { Deps } from '../../services/deps.js';
import { pushAuthorizationRequest } from '../../services/par.js';
import type { AppEnv } from '../env.js';
import { clientAuth } from '../middleware/client-auth.js';
import { formBody } from '../middleware/form-body.js';
import { noStore } from '../middleware/no-store.js';

/** POST /par (RFC 9126 §2): an authenticated client pushes its authorization request and gets a request_uri for /authorize. */
export function parRoute(deps: Deps) {
  return new Hono<AppEnv>().post('/par', noStore(), formBody(), clientAuth({ deps }), async (c) =>
    c.json(await pushAuthorizationRequest(deps, c.get('client'), c.get('form')), 201),
  );
}
