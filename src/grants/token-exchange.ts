import { tokenExchangeGrant } from '../domain/types.js';
import { exchangeToken } from '../services/token-exchange.js';
import type { Grant } from './types.js';

/** RFC 8693 §2: for clients an operator allowed it (the grant in the client's list, `--allow-token-exchange`). */
export const tokenExchange: Grant = {
  grantType: tokenExchangeGrant,
  handler: ({ deps, client, params, actor, dpopJkt = null }) => exchangeToken(deps, actor, client, params, dpopJkt),
};
