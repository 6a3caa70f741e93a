import type { GrantType } from '../domain/types.js';
import { authorizationCode } from './authorization-code.js';
import { clientCredentials } from './client-credentials.js';
import { password } from './password.js';
import { refreshToken } from './refresh-token.js';
import type { Grant } from './types.js';

export const grants: ReadonlyMap<string, Grant> = new Map<GrantType, Grant>([
  [password.grantType, password],
  [clientCredentials.grantType, clientCredentials],
  [refreshToken.grantType, refreshToken],
  [authorizationCode.grantType, authorizationCode],
]);
