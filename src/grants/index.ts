import type { Client, GrantType } from '../domain/types.js';
import { UnauthorizedClient } from '../errors/oauth.js';
import { authorizationCode } from './authorization-code.js';
import { clientCredentials } from './client-credentials.js';
import { password } from './password.js';
import { refreshToken } from './refresh-token.js';
import { tokenExchange } from './token-exchange.js';
import type { Grant } from './types.js';

export const grants: ReadonlyMap<string, Grant> = new Map<GrantType, Grant>([
  [password.grantType, password],
  [clientCredentials.grantType, clientCredentials],
  [refreshToken.grantType, refreshToken],
  [authorizationCode.grantType, authorizationCode],
  [tokenExchange.grantType, tokenExchange],
]);

/** `grant`, when `client` may use it; unauthorized_client when it may not (RFC 6749 §5.2). */
export function allowedGrant(client: Client, grant: Grant): Grant {
  if (!client.grants.includes(grant.grantType)) throw new UnauthorizedClient(`this client may not use the ${grant.grantType} grant`);
  return grant;
}
