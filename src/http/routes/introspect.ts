import { Hono } from 'hono';
import { InvalidRequest } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { assertMayIntrospect, introspect } from '../../services/introspect.js';
import type { AppEnv } from '../env.js';
import { dpopNonceHeader, tokenRequestProof } from '../dpop.js';
import { clientAuth } from '../middleware/client-auth.js';
import { formBody } from '../middleware/form-body.js';
import { noStore } from '../middleware/no-store.js';

/** POST /introspect (RFC 7662), for confidential clients with the `introspect` scope; the answer shows a token's DPoP binding (`cnf`). */
export function introspectRoute(deps: Deps) {
  return new Hono<AppEnv>().post('/introspect', noStore(), dpopNonceHeader(deps), formBody(), clientAuth({ deps }), async (c) => {
    assertMayIntrospect(c.get('client'));
    // The caller may prove a DPoP key as at /token (RFC 9449 §5); a --require-dpop client must.
    await tokenRequestProof(c, deps, c.get('client'));
    const form = c.get('form');
    const token = form.get('token');
    if (token === undefined) throw new InvalidRequest('token is required');
    return c.json(await introspect(deps, { token, hint: form.get('token_type_hint') }));
  });
}
