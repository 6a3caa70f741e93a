import {
  authorizeParamsOf,
  authorizationResponseUri,
  consentDecision,
  grantedScopes,
  loginDecision,
  validateAuthorizeRequest,
  type AuthorizationRequest,
  type AuthorizeErrorCode,
  type AuthorizeParams,
} from '../domain/authorize.js';
import { formatScope } from '../domain/scope.js';
import type { Client, User } from '../domain/types.js';
import { InvalidRequest } from '../errors/oauth.js';
import { recordAudit } from './audit.js';
import type { LiveBrowserSession } from './browser-sessions.js';
import { issueCode } from './codes.js';
import type { Actor, Deps } from './deps.js';
import { readIdTokenHint } from './logout.js';

// The /authorize use case: validate → need a login? → need consent? → issue the code.

export type AuthorizeOutcome =
  /** The request cannot be answered to its client: an error page, no redirect. */
  | { kind: 'page'; description: string }
  | { kind: 'login'; request: AuthorizationRequest; client: Client }
  | { kind: 'consent'; request: AuthorizationRequest; client: Client; user: User; scopes: string[] }
  /** Back to the client, with a code or an error (RFC 6749 §4.1.2, §4.1.2.1, RFC 9207). */
  | { kind: 'redirect'; location: string };

/** Where the browser goes with an error; `state` and `iss` always travel with it. */
export function errorRedirect(deps: Pick<Deps, 'config'>, redirectUri: string, state: string | null, error: AuthorizeErrorCode, description: string) {
  return {
    kind: 'redirect' as const,
    location: authorizationResponseUri(redirectUri, { error, error_description: description, state, iss: deps.config.issuer }),
  };
}

/** Validates the parameters of GET /authorize against the client they name. */
export async function parseAuthorizeRequest(
  deps: Deps,
  params: AuthorizeParams,
): Promise<{ request: AuthorizationRequest; client: Client } | AuthorizeOutcome> {
  const clientId = params.values.get('client_id');
  const found = clientId !== undefined && !params.refused.has('client_id') ? await deps.store.findClient(clientId) : null;
  // A disabled client is unknown here as everywhere else.
  const client = found && found.disabledAt === null ? found : null;
  const result = validateAuthorizeRequest(params, client);
  if (result.kind === 'page') return result;
  if (result.kind === 'redirect') return errorRedirect(deps, result.redirectUri, result.state, result.error, result.description);
  return { request: result.request, client: client! };
}

/**
 * The request once more against the client as it is now: a login or consent page may have been open
 * for minutes, and the client changed or deleted meanwhile.
 */
export const recheckRequest = (deps: Deps, request: AuthorizationRequest) => parseAuthorizeRequest(deps, authorizeParamsOf(request));

/**
 * Takes a valid request as far as it can go with the browser's session: to the login page, to the
 * consent page, or back to the client. `stage` says what the user has just done on our pages, so a
 * prompt=login is not asked twice and a consent just given is not asked again.
 */
export async function continueAuthorization(
  deps: Deps,
  actor: Actor,
  input: { request: AuthorizationRequest; client: Client; live: LiveBrowserSession | null; stage: 'start' | 'signed-in' | 'consented' },
): Promise<AuthorizeOutcome> {
  const { request, client, live, stage } = input;
  const fail = (error: AuthorizeErrorCode, description: string) => errorRedirect(deps, request.redirectUri, request.state, error, description);

  if (stage === 'start' || live === null) {
    const hinted = await hintedUser(deps, request);
    if (hinted === 'invalid') return fail('invalid_request', 'id_token_hint is not an id_token issued here');
    // A session of another user than the hint names counts as none: that user must sign in.
    const session = live !== null && (hinted === null || hinted === live.user.id) ? live.session : null;
    const login = loginDecision({ session, prompt: request.prompt, maxAge: request.maxAge, now: deps.clock.now().getTime() });
    if (login === 'login_required') return fail('login_required', 'the user is not signed in');
    if (login === 'login' || live === null) return { kind: 'login', request, client };
  }
  const { user, session } = live;
  const scopes = grantedScopes(request.scopes, client, user);

  if (stage !== 'consented') {
    const consent = await deps.store.findConsent(user.id, client.id);
    const decision = consentDecision({ client, scopes, consented: consent?.scopes ?? null, prompt: request.prompt });
    if (decision === 'consent_required') return fail('consent_required', 'the user has not approved this application');
    if (decision === 'consent') return { kind: 'consent', request, client, user, scopes };
  }

  const scope = formatScope(scopes);
  const code = await issueCode(deps, {
    clientId: client.id,
    userId: user.id,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scope,
    nonce: request.nonce,
    authTime: session.authTime,
    provider: session.provider,
  });
  await recordAudit(deps, actor, { type: 'authorization_code.issued', userId: user.id, clientId: client.id, details: { scope } });
  return { kind: 'redirect', location: authorizationResponseUri(request.redirectUri, { code, state: request.state, iss: deps.config.issuer }) };
}

/** The user an `id_token_hint` names (null without one), or `invalid` for a hint that is not an id_token of ours. */
async function hintedUser(deps: Deps, request: AuthorizationRequest): Promise<string | null | 'invalid'> {
  if (request.idTokenHint === null) return null;
  try {
    return (await readIdTokenHint(deps, request.idTokenHint)).sub;
  } catch (error) {
    if (error instanceof InvalidRequest) return 'invalid';
    throw error;
  }
}

/** Remembers a consent, adding the scopes given now to those given before. */
export async function rememberConsent(deps: Deps, actor: Actor, user: User, client: Client, scopes: string[]): Promise<void> {
  const before = (await deps.store.findConsent(user.id, client.id))?.scopes ?? [];
  const all = [...new Set([...before, ...scopes])];
  await deps.store.saveConsent({ userId: user.id, clientId: client.id, scopes: all, grantedAt: deps.clock.now().getTime() });
  await recordAudit(deps, actor, { type: 'consent.granted', userId: user.id, clientId: client.id, details: { scope: formatScope(scopes) } });
}
