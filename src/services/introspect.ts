import type { ClientsStore, RevocationFeedStore, SessionsStore, UsersStore } from '../store/types.js';
import { isExchangeable } from '../domain/refresh.js';
import { isPublicClient, type Client } from '../domain/types.js';
import { InsufficientScope } from '../errors/oauth.js';
import type { Uses } from './deps.js';
import { findTokenFamily, presentedTokenState } from './sessions/rotate.js';
import { checkAccessToken, isLive, looksLikeJwt } from './sessions/check.js';

export type Introspection =
  | { active: false }
  | {
      active: true;
      token_type: 'access_token' | 'refresh_token';
      scope: string;
      client_id: string;
      sub: string;
      aud?: string | string[];
      iss?: string;
      exp: number;
      iat: number;
      jti?: string;
      sid?: string;
      /** RFC 9449 §6.2: the DPoP key the token is bound to. */
      cnf?: { jkt: string };
      /** RFC 8693 §4.1: the client acting for the subject, on an exchanged token. */
      act?: unknown;
    };

const inactive: Introspection = { active: false };

/** Only confidential clients holding the `introspect` scope may ask (RFC 7662 §2.1 leaves the policy to the server). */
export function assertMayIntrospect(client: Client): void {
  if (isPublicClient(client) || !client.scopes.includes('introspect')) {
    // Not a Bearer-protected resource: the client authenticated itself, so there is nothing to challenge.
    throw new InsufficientScope('introspect', { description: 'introspection needs a confidential client with the "introspect" scope', challenge: false });
  }
}

/** RFC 7662 §2.2: the token's state now. Never throws for a bad token; anything not valid now is inactive. */
export async function introspect(
  deps: Uses<'clock' | 'config' | 'keys', ClientsStore & RevocationFeedStore & SessionsStore & UsersStore>,
  input: { token: string; hint?: string },
): Promise<Introspection> {
  const order = input.hint === 'refresh_token' ? [refreshToken, accessToken] : [accessToken, refreshToken];
  for (const lookup of order) {
    const answer = await lookup(deps, input.token);
    if (answer) return answer;
  }
  return inactive;
}

/** null: not one of our access tokens at all; `inactive`: one of ours that is no longer good. */
async function accessToken(
  deps: Uses<'clock' | 'keys', ClientsStore & RevocationFeedStore & SessionsStore & UsersStore>,
  token: string,
): Promise<Introspection | null> {
  if (!looksLikeJwt(token)) return null;
  const verdict = await checkAccessToken(deps, token);
  if (verdict === 'invalid') return null;
  if (!isLive(verdict)) return inactive;
  const { claims } = verdict;
  return {
    active: true,
    token_type: 'access_token',
    scope: typeof claims.scope === 'string' ? claims.scope : '',
    client_id: claims.client_id,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    exp: claims.exp!,
    iat: claims.iat!,
    jti: claims.jti,
    ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}),
    ...(boundKey(claims.cnf) ? { cnf: { jkt: boundKey(claims.cnf)! } } : {}),
    ...(claims.act !== undefined ? { act: claims.act } : {}),
  };
}

async function refreshToken(deps: Uses<'clock' | 'config', ClientsStore & SessionsStore & UsersStore>, token: string): Promise<Introspection | null> {
  const found = await findTokenFamily(deps, token);
  if (!found) return null;
  const { token: record, family } = found;
  if (!isExchangeable(await presentedTokenState(deps, record, family)) || !(await userActive(deps, family.userId))) return inactive;
  const client = await deps.store.findClient(family.clientId);
  if (!client || client.disabledAt !== null) return inactive;
  return {
    active: true,
    token_type: 'refresh_token',
    scope: family.scope,
    client_id: family.clientId,
    sub: family.userId,
    exp: Math.floor(record.expiresAt / 1000),
    iat: Math.floor(record.createdAt / 1000),
    sid: family.id,
    ...(family.dpopJkt !== null ? { cnf: { jkt: family.dpopJkt } } : {}),
  };
}

const boundKey = (cnf: unknown): string | null => {
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined;
  return typeof jkt === 'string' ? jkt : null;
};

async function userActive(deps: Uses<never, UsersStore>, userId: string): Promise<boolean> {
  const user = await deps.store.findUserById(userId);
  return user !== null && user.disabledAt === null;
}
