import type { Client, GrantType } from '../domain/types.js';
import type { TokenResponse } from '../services/sessions/access-token.js';
import type { Actor, Deps } from '../services/deps.js';
import type { PresentedRefreshToken } from '../services/sessions/rotate.js';
import type { ExchangeResponse } from '../services/token-exchange.js';

export type GrantRequest = {
  deps: Deps;
  client: Client;
  /** The form parameters, each present at most once. */
  params: ReadonlyMap<string, string>;
  actor: Actor;
  /** A refresh token the endpoint read already (/refresh, to learn its client), so it is read once. */
  refreshToken?: PresentedRefreshToken;
  /** The thumbprint of the key of the request's valid DPoP proof (RFC 9449 §5); absent or null without one. */
  dpopJkt?: string | null;
};

/** One grant_type and its handler, which reads the parameters it needs and ignores the rest (RFC 6749 §3.2). */
export type Grant = {
  grantType: GrantType;
  handler(request: GrantRequest): Promise<TokenResponse | ExchangeResponse>;
};
