import type { Context, MiddlewareHandler } from 'hono';
import type { Client } from '../domain/types.js';
import { InvalidDpopProof } from '../errors/oauth.js';
import type { Deps } from '../services/deps.js';
import { verifyDpopProof, type ProofRequest } from '../services/dpop.js';
import { currentDpopNonce } from '../services/dpop-nonce.js';
import type { AppEnv } from './env.js';
import { requestHeader } from './request-info.js';

/**
 * The request's DPoP proof with what it must match: the method, and the URL at Tessera's public address (the issuer),
 * whatever proxy the request came through.
 */
export const proofRequest = (c: Context, deps: Pick<Deps, 'config'>): ProofRequest => ({
  proof: requestHeader(c, 'dpop'),
  method: c.req.method,
  url: `${deps.config.issuer}${c.req.path}`,
});

/**
 * The key of a token request's DPoP proof (RFC 9449 §5) at /token, /refresh and /introspect: null without one, unless
 * the client was registered with --require-dpop (`dpop_bound_access_tokens`, §5.2).
 */
export async function tokenRequestProof(c: Context, deps: Deps, client: Client): Promise<string | null> {
  const jkt = await verifyDpopProof(deps, proofRequest(c, deps), 'token');
  if (jkt === null && client.dpopBoundAccessTokens) throw new InvalidDpopProof('this client must send a DPoP proof with every token request');
  return jkt;
}

/** With DPOP_NONCE=on, every answer of a DPoP endpoint hands out the current nonce (RFC 9449 §8.2). */
export const dpopNonceHeader =
  (deps: Deps): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    await next();
    if (deps.config.dpopNonce && !c.res.headers.has('DPoP-Nonce')) c.res.headers.set('DPoP-Nonce', await currentDpopNonce(deps));
  };
