import { Hono } from 'hono';
import type { Deps } from '../../services/deps.js';
import { verifyDpopProof } from '../../services/dpop.js';
import { pushAuthorizationRequest } from '../../services/par.js';
import { dpopNonceHeader, proofRequest } from '../dpop.js';
import type { AppEnv } from '../env.js';
import { clientAuth } from '../middleware/client-auth.js';
import { formBody } from '../middleware/form-body.js';
import { noStore } from '../middleware/no-store.js';

/**
 * POST /par (RFC 9126 §2): an authenticated client pushes its authorization request and gets a request_uri for
 * /authorize; with a DPoP proof (RFC 9449 §10.1) the code it leads to is bound to the proof's key.
 */
export function parRoute(deps: Deps) {
  return new Hono<AppEnv>().post('/par', noStore(), dpopNonceHeader(deps), formBody(), clientAuth({ deps }), async (c) => {
    // RFC 9449 §10.1: a DPoP proof sent with the push binds the code to its key, as dpop_jkt does.
    const proofJkt = await verifyDpopProof(deps, proofRequest(c, deps), 'token');
    return c.json(await pushAuthorizationRequest(deps, c.get('client'), c.get('form'), proofJkt), 201);
  });
}
