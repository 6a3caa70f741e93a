import { isPublicClient, usesPrivateKeyJwt, type Client } from '../domain/types.js';
import { InvalidClient, InvalidDpopProof, InvalidGrant, InvalidRequest } from '../errors/oauth.js';
import type { Uses } from '../services/deps.js';
import type { ClientsStore } from '../store/types.js';
import { readRefreshToken, rotate, type PresentedRefreshToken, type RotateOutcome } from '../services/sessions/rotate.js';
import type { Grant } from './types.js';

/** What each refusal tells the client (RFC 6749 §5.2: invalid_grant). */
const refusals: Record<Extract<RotateOutcome, { kind: 'refused' }>['reason'], string> = {
  invalid: 'refresh token is invalid',
  revoked: 'refresh token has been revoked',
  expired: 'refresh token has expired',
  reused: 'refresh token was already used; the session has been revoked',
};

/** RFC 9449 §5: a bound refresh token without a proof by its key. */
const unproven = 'this refresh token is bound to a DPoP key: send a DPoP proof by that key';

/**
 * RFC 6749 §6 with rotation (README, "Refresh tokens, for client authors"), at /token and at /refresh.
 * /refresh may have read the token already (`refreshToken`), to find its client.
 */
export const refreshToken: Grant = {
  grantType: 'refresh_token',
  async handler({ deps, client, params, actor, refreshToken: read, dpopJkt = null }) {
    let presented = read;
    if (!presented) {
      const secret = params.get('refresh_token');
      if (!secret) throw new InvalidRequest('refresh_token is required');
      presented = await readRefreshToken(deps, secret);
    }
    const outcome = await rotate(deps, actor, { presented, client, scope: params.get('scope'), resource: params.get('resource'), dpopJkt });
    if (outcome.kind === 'unproven') throw new InvalidDpopProof(unproven);
    if (outcome.kind === 'refused') throw new InvalidGrant(refusals[outcome.reason]);
    return outcome.response;
  },
};

/**
 * The client a refresh request without client credentials speaks for: the token's own client, which
 * must be public (a confidential client always authenticates).
 */
export async function clientOfRefreshToken(deps: Uses<never, ClientsStore>, presented: PresentedRefreshToken): Promise<Client> {
  const client = presented.found && (await deps.store.findClient(presented.found.family.clientId));
  if (!client) throw new InvalidGrant(refusals.invalid);
  if (!isPublicClient(client)) {
    throw new InvalidClient(
      usesPrivateKeyJwt(client) ? 'this client must authenticate with private_key_jwt (a client assertion)' : 'this client must authenticate with its secret',
    );
  }
  return client;
}
