import { formatScope } from '../domain/scope.js';
import { isPublicClient } from '../domain/types.js';
import { UnauthorizedClient } from '../errors/oauth.js';
import { grantAudience, grantScope, issueAccessToken, tokenResponse } from '../services/sessions/access-token.js';
import type { Grant } from './types.js';

/** RFC 6749 §4.4: a confidential client acting for itself; `sub` is the client id and no refresh token is issued. */
export const clientCredentials: Grant = {
  grantType: 'client_credentials',
  async handler({ deps, client, params, dpopJkt = null }) {
    if (isPublicClient(client)) throw new UnauthorizedClient('client_credentials is for confidential clients only');
    const audience = grantAudience(params.get('audience'), client, deps.config.issuer);
    const scope = formatScope(grantScope(params.get('scope'), client.scopes));
    const issued = await issueAccessToken(deps, { subject: client.id, clientId: client.id, scope, audience, sid: null, jkt: dpopJkt });
    return tokenResponse({ ...issued, scope });
  },
};
