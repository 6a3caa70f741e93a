import type { MiddlewareHandler } from 'hono';
import { InvalidClient, InvalidRequest } from '../../errors/oauth.js';
import { assertionClientId, jwtBearerAssertionType } from '../../services/client-assertion.js';
import { authenticateClient, type ClientCredentials } from '../../services/client-auth.js';
import type { Deps } from '../../services/deps.js';
import type { AppEnv } from '../env.js';
import { requestHeader } from '../request-info.js';

/**
 * Authenticates the client (RFC 6749 §2.3) by HTTP Basic, by form post, by a signed client assertion
 * (private_key_jwt, RFC 7523 §2.2), or `none` with a bare client_id, into `c.var.client`. Runs after formBody(). With `optional`, a request that names no
 * client passes through without one.
 */
export const clientAuth =
  ({ deps, optional = false }: { deps: Deps; optional?: boolean }): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const credentials = readCredentials(requestHeader(c, 'authorization'), c.get('form'));
    if (credentials === null) {
      if (!optional) throw new InvalidClient('client authentication is required');
    } else {
      c.set('client', await authenticateClient(deps, credentials, `${deps.config.issuer}${c.req.path}`));
      c.set('clientAuthMethod', credentials.method);
    }
    await next();
  };

export function readCredentials(authorization: string | undefined, form: ReadonlyMap<string, string>): ClientCredentials | null {
  const formId = form.get('client_id');
  const formSecret = form.get('client_secret');
  const basic = authorization !== undefined && /^basic /i.test(authorization) ? parseBasic(authorization.slice(6).trim()) : null;
  const assertion = readAssertion(form);

  if (assertion) {
    if (basic || formSecret !== undefined) throw new InvalidRequest('use one client authentication method, not two');
    if (formId !== undefined && formId !== assertion.clientId) throw new InvalidClient('client_id does not match the client assertion');
    return { method: 'private_key_jwt', ...assertion };
  }

  if (basic) {
    if (formSecret !== undefined) throw new InvalidRequest('use one client authentication method, not two');
    if (formId !== undefined && formId !== basic.clientId) throw new InvalidRequest('client_id does not match the Authorization header');
    return { method: 'client_secret_basic', ...basic };
  }
  if (formSecret !== undefined) {
    if (formId === undefined) throw new InvalidRequest('client_secret needs client_id');
    return { method: 'client_secret_post', clientId: formId, secret: formSecret };
  }
  return formId === undefined ? null : { method: 'none', clientId: formId };
}

/** RFC 7521 §4.2: `client_assertion_type` and `client_assertion` together; the client is the assertion's `sub`. */
function readAssertion(form: ReadonlyMap<string, string>): { clientId: string; assertion: string } | null {
  const type = form.get('client_assertion_type');
  const assertion = form.get('client_assertion');
  if (type === undefined && assertion === undefined) return null;
  if (type !== jwtBearerAssertionType) throw new InvalidRequest(`client_assertion_type must be ${jwtBearerAssertionType}`);
  if (assertion === undefined) throw new InvalidRequest('client_assertion is required with client_assertion_type');
  const clientId = assertionClientId(assertion);
  if (clientId === null) throw new InvalidClient('the client assertion is not a JWT naming the client in sub');
  return { clientId, assertion };
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function parseBasic(encoded: string): { clientId: string; secret: string } {
  const fail = () => new InvalidClient('malformed Basic credentials', true);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw fail();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw fail();
  try {
    const clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    const secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    return { clientId, secret };
  } catch {
    throw fail();
  }
}
