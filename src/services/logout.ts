import type { AuditStore, AuthorizationStore, ClientsStore, SessionsStore, UsersStore } from '../store/types.js';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { signingAlgs } from '../config/schema.js';
import type { Client, User } from '../domain/types.js';
import { InvalidRequest } from '../errors/oauth.js';
import { recordAudit } from './audit.js';
import { currentBrowserSession, endBrowserSession } from './browser-sessions.js';
import type { Actor, Uses } from './deps.js';
import { revokeFamily } from './sessions/families.js';

export type LogoutInput = {
  /** The browser session cookie, if the browser sent one. */
  cookie: string | undefined;
  idTokenHint?: string;
  clientId?: string;
  postLogoutRedirectUri?: string;
  state?: string;
  /** The user confirmed on our own page: a form post that carried this browser's CSRF token. */
  confirmed: boolean;
};

export type LogoutOutcome =
  /** Ask the signed-in user first: nothing (no id_token of theirs) shows that the request came from an application they use. */
  | { kind: 'confirm'; user: User; client: Client | null }
  /** Signed out; `redirect` is where to send the browser, or null for our own "signed out" page. */
  | { kind: 'signed-out'; redirect: string | null; client: Client | null };

/**
 * OpenID Connect RP-Initiated Logout 1.0 §2-3: ends the browser's session and, given an id_token of
 * ours as hint, the session (family) that id_token came from. Without a hint any site could send the
 * browser here, so a signed-in user is asked to confirm first (contract §8).
 */
export async function logout(
  deps: Uses<'clock' | 'config' | 'events' | 'ids' | 'keys', AuditStore & AuthorizationStore & ClientsStore & SessionsStore & UsersStore>,
  actor: Actor,
  input: LogoutInput,
): Promise<LogoutOutcome> {
  const hint = input.idTokenHint === undefined ? null : await readIdTokenHint(deps, input.idTokenHint);
  if (hint && input.clientId !== undefined && input.clientId !== hint.aud) throw new InvalidRequest('client_id does not match the id_token_hint');
  const clientId = hint?.aud ?? input.clientId;
  const client = clientId === undefined ? null : await deps.store.findClient(clientId);

  let redirect: string | null = null;
  if (input.postLogoutRedirectUri !== undefined) {
    // Exact match only: the loopback exception of RFC 8252 is for authorization responses.
    if (!client?.postLogoutRedirectUris.includes(input.postLogoutRedirectUri)) {
      throw new InvalidRequest('post_logout_redirect_uri is not registered for this client (send id_token_hint or client_id with it)');
    }
    const url = new URL(input.postLogoutRedirectUri);
    if (input.state !== undefined) url.searchParams.append('state', input.state);
    redirect = url.href;
  }

  if (!input.confirmed) {
    const live = await currentBrowserSession(deps, input.cookie);
    // Also when the hint is not this user's (§2: the OP must ask then): anyone can get an id_token of their own.
    if (live && live.user.id !== hint?.sub) return { kind: 'confirm', user: live.user, client };
  }
  await endBrowserSession(deps, actor, input.cookie);
  if (hint) {
    const family = await deps.store.findFamily(hint.sid);
    if (family && family.userId === hint.sub && family.clientId === hint.aud) await revokeFamily(deps, actor, family, 'logout');
    await recordAudit(deps, actor, { type: 'logout', userId: hint.sub, clientId: hint.aud, familyId: hint.sid });
  }
  return { kind: 'signed-out', redirect, client };
}

/**
 * An id_token we issued: signature, issuer and typ are checked, expiry is not (the spec lets a client
 * log out with an expired id_token).
 */
export async function readIdTokenHint(deps: Uses<'clock' | 'config' | 'keys'>, token: string): Promise<{ sub: string; aud: string; sid: string }> {
  const now = deps.clock.now();
  try {
    if (token.length > 8192) throw new Error('too long');
    const { payload } = await jwtVerify(token, createLocalJWKSet(deps.keys.jwks(now)), {
      issuer: deps.config.issuer,
      typ: 'JWT',
      algorithms: [...signingAlgs],
      currentDate: now,
      clockTolerance: Number.MAX_SAFE_INTEGER,
    });
    const { sub, aud, sid } = payload;
    if (typeof sub !== 'string' || typeof aud !== 'string' || typeof sid !== 'string') throw new Error('not an id_token');
    return { sub, aud, sid };
  } catch {
    throw new InvalidRequest('id_token_hint is not an id_token issued here');
  }
}
