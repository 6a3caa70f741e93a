import { formatScope } from '../domain/scope.js';
import { isPublicClient } from '../domain/types.js';
import { UnauthorizedClient } from '../errors/oauth.js';
import { tokenTtl } from '../services/resources.js';
import { grantScope, issueAccessToken, requestedResource, tokenResponse } from '../services/sessions/access-token.js';
import type { Grant } from './types.js';

/**
 * RFC 6749 §4.4: a confidential client acting for itself; `sub` is the client id and no refresh token is issued.
 * For one of its APIs (`resource`) it may have any of that API's scopes.
 */
export const clientCredentials: Grant = {
  grantType: 'client_credentials',
  async handler({ deps, client, params, dpopJkt = null }) {
    if (isPublicClient(client)) throw new UnauthorizedClient('client_credentials is for confidential clients only');
    const resource = await requestedResource(deps, client, params);
    const scope = formatScope(grantScope(params.get('scope'), resource.scopes));
    const ttl = tokenTtl(deps, resource);
    const issued = await issueAccessToken(deps, {
      subject: client.id,
      clientId: client.id,
      scope,
      audience: resource.identifier,
      sid: null,
      jkt: dpopJkt,
      ttl,
    });
    return tokenResponse({ ...issued, scope });
  },
};
