import { isValidS256Challenge } from './pkce.js';
import { redirectUriMatches } from './redirect-uri.js';
import { formatScope, isValidScopeToken, parseScope } from './scope.js';
import { acrValuesSupported } from './amr.js';
import type { Client } from './types.js';

// The rules of GET /authorize (RFC 6749 §4.1, RFC 7636, OpenID Connect Core §3.1.2) as pure decisions.

export type Prompt = 'login' | 'none' | 'consent';

/** A validated authorization request. */
export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  /** As requested; empty asks for the default (RFC 6749 §3.3). */
  scopes: string[];
  /** RFC 8707 `resource` values, in the order sent; empty: the client's default. */
  resources: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string;
  prompt: Prompt[];
  /** Seconds (OpenID Connect Core §3.1.2.1). */
  maxAge: number | null;
  loginHint: string | null;
  /** An id_token we issued earlier, naming the user the client expects (OpenID Connect Core §3.1.2.1); checked by the service. */
  idTokenHint: string | null;
  /** RFC 9449 §10: the thumbprint of the DPoP key the code is bound to; absent from requests sealed before it existed. */
  dpopJkt?: string | null;
  /** The languages the user prefers for the pages (OpenID Connect Core §3.1.2.1), as sent; absent in requests sealed before it was kept. */
  uiLocales?: string | null;
  /** The authentication context classes asked for, best first (OpenID Connect Core §3.1.2.1); those we do not know are left out. */
  acrValues: string[];
};

/** The error codes of RFC 6749 §4.1.2.1 and OpenID Connect Core §3.1.2.6 that this server sends. */
export type AuthorizeErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'login_required'
  | 'consent_required'
  | 'request_not_supported'
  | 'request_uri_not_supported';

export type AuthorizeValidation =
  | { kind: 'ok'; request: AuthorizationRequest }
  /** The client or its redirect URI cannot be trusted: show an error page, never redirect (RFC 6749 §4.1.2.1). */
  | { kind: 'page'; description: string }
  | { kind: 'redirect'; redirectUri: string; state: string | null; error: AuthorizeErrorCode; description: string };

/**
 * Query (or form) parameters; those that broke the request-parameter policy (sent twice, which RFC 6749
 * §3.1 forbids, or badly encoded) are in `refused`, each with why (http/params.ts).
 */
export type AuthorizeParams = { values: ReadonlyMap<string, string>; refused: ReadonlyMap<string, string> };

/** Scopes of OpenID Connect itself: every client with the authorization code grant may ask for them. */
export const identityScopes: readonly string[] = ['openid', 'profile', 'email'];

const limits = { state: 1024, nonce: 512, loginHint: 256, uiLocales: 256, idTokenHint: 8192, maxAge: 100 * 365 * 86_400 } as const;
const prompts: readonly Prompt[] = ['login', 'none', 'consent'];

/**
 * Validates an authorization request against its client (null when `client_id` names none).
 * The client and redirect URI come first: until both are known good, errors go to a page.
 * `pushed`: the parameters came through PAR (RFC 9126), which a client registered with
 * require_pushed_authorization_requests must use.
 */
export function validateAuthorizeRequest(params: AuthorizeParams, client: Client | null, { pushed = false } = {}): AuthorizeValidation {
  const { values, refused } = params;
  const clientId = values.get('client_id');
  if (refused.has('client_id')) return { kind: 'page', description: refused.get('client_id')! };
  if (clientId === undefined) return { kind: 'page', description: 'the request names no client (client_id is missing)' };
  if (!client) return { kind: 'page', description: 'the application that sent you here is not registered' };
  const redirectUri = values.get('redirect_uri');
  if (refused.has('redirect_uri')) return { kind: 'page', description: refused.get('redirect_uri')! };
  if (redirectUri === undefined) return { kind: 'page', description: 'the request has no redirect_uri' };
  if (!redirectUriMatches(redirectUri, client.redirectUris)) {
    return { kind: 'page', description: 'the redirect_uri is not one registered for this application' };
  }

  const state = values.get('state') ?? null;
  const fail = (error: AuthorizeErrorCode, description: string): AuthorizeValidation => ({
    kind: 'redirect',
    redirectUri,
    // A state that is itself invalid is not echoed back.
    state: state !== null && state.length <= limits.state && !refused.has('state') ? state : null,
    error,
    description,
  });

  const [problem] = refused.values();
  if (problem !== undefined) return fail('invalid_request', problem);
  if (state !== null && state.length > limits.state) return fail('invalid_request', `state must be at most ${limits.state} characters`);
  if (values.has('request')) return fail('request_not_supported', 'request objects are not supported');
  if (values.has('request_uri')) return fail('request_uri_not_supported', 'request_uri is not supported');
  if (client.requirePar && !pushed) return fail('invalid_request', 'this client must push its authorization request to /par first (RFC 9126)');
  const responseType = values.get('response_type');
  if (responseType === undefined) return fail('invalid_request', 'response_type is required');
  if (responseType !== 'code') return fail('unsupported_response_type', 'only response_type=code is supported');
  const responseMode = values.get('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') return fail('invalid_request', 'only response_mode=query is supported');
  if (!client.grants.includes('authorization_code')) return fail('unauthorized_client', 'this client may not use the authorization code grant');

  // RFC 7636 §4.4.1, and RFC 9700 §2.1.1: PKCE for every client, and only S256.
  const challenge = values.get('code_challenge');
  const method = values.get('code_challenge_method');
  if (challenge === undefined) return fail('invalid_request', 'code_challenge is required (PKCE with S256)');
  if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256; plain is not supported');
  if (!isValidS256Challenge(challenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters (S256)');

  const scopes = parseScope(values.get('scope'));
  // A malformed token breaks RFC 6749 §3.3's grammar; a well-formed one the client may not have is
  // left out of the grant later (signInGrants in ./apis.ts), never an error (OpenID Connect Core §3.1.2.1).
  const badScope = scopes.find((s) => !isValidScopeToken(s));
  if (badScope !== undefined) return fail('invalid_scope', `"${badScope.slice(0, 40)}" is not a valid scope token`);

  const resources = parseScope(values.get('resource'));
  if (resources.length > 10) return fail('invalid_target', 'at most 10 resources per request');
  const badResource = resources.find((r) => resourceProblem(r) !== null);
  if (badResource !== undefined) return fail('invalid_target', resourceProblem(badResource)!);

  const prompt = parseScope(values.get('prompt'));
  const badPrompt = prompt.find((p) => !(prompts as readonly string[]).includes(p));
  if (badPrompt !== undefined) return fail('invalid_request', `prompt "${badPrompt.slice(0, 40)}" is not supported; use login, none or consent`);
  if (prompt.includes('none') && prompt.length > 1) return fail('invalid_request', 'prompt=none cannot be combined with other values');

  const rawMaxAge = values.get('max_age');
  if (rawMaxAge !== undefined && (!/^\d{1,10}$/.test(rawMaxAge) || Number(rawMaxAge) > limits.maxAge)) {
    return fail('invalid_request', 'max_age must be a whole number of seconds');
  }
  const nonce = values.get('nonce') ?? null;
  if (nonce !== null && nonce.length > limits.nonce) return fail('invalid_request', `nonce must be at most ${limits.nonce} characters`);
  const loginHint = values.get('login_hint') ?? null;
  if (loginHint !== null && loginHint.length > limits.loginHint) return fail('invalid_request', `login_hint must be at most ${limits.loginHint} characters`);
  const uiLocales = values.get('ui_locales') ?? null;
  if (uiLocales !== null && uiLocales.length > limits.uiLocales) return fail('invalid_request', `ui_locales must be at most ${limits.uiLocales} characters`);
  const idTokenHint = values.get('id_token_hint') ?? null;
  if (idTokenHint !== null && idTokenHint.length > limits.idTokenHint) return fail('invalid_request', 'id_token_hint is not an id_token issued here');

  const dpopJkt = values.get('dpop_jkt') ?? null;
  // A JWK SHA-256 thumbprint (RFC 7638) is 32 bytes: 43 base64url characters.
  if (dpopJkt !== null && !/^[A-Za-z0-9_-]{43}$/.test(dpopJkt))
    return fail('invalid_request', 'dpop_jkt must be a JWK SHA-256 thumbprint (43 base64url characters)');
  // acr_values is a wish, not a demand (OpenID Connect Core §5.5.1.1): values we do not offer are left out.
  const acrValues = parseScope(values.get('acr_values')?.slice(0, 1024)).filter((v) => acrValuesSupported.includes(v));

  return {
    kind: 'ok',
    request: {
      clientId,
      redirectUri,
      scopes,
      resources,
      state,
      nonce,
      codeChallenge: challenge,
      prompt: prompt as Prompt[],
      maxAge: rawMaxAge === undefined ? null : Number(rawMaxAge),
      loginHint,
      idTokenHint,
      dpopJkt,
      uiLocales,
      acrValues,
    },
  };
}

/** A validated request as the parameters it came from, to validate it again later. */
export function authorizeParamsOf(request: AuthorizationRequest): AuthorizeParams {
  const entries: [string, string | null][] = [
    ['response_type', 'code'],
    ['client_id', request.clientId],
    ['redirect_uri', request.redirectUri],
    ['code_challenge', request.codeChallenge],
    ['code_challenge_method', 'S256'],
    ['scope', request.scopes.length > 0 ? formatScope(request.scopes) : null],
    // Requests sealed before resources existed have none.
    ['resource', request.resources?.length ? formatScope(request.resources) : null],
    ['state', request.state],
    ['nonce', request.nonce],
    ['prompt', request.prompt.length > 0 ? formatScope(request.prompt) : null],
    ['max_age', request.maxAge === null ? null : String(request.maxAge)],
    ['login_hint', request.loginHint],
    ['id_token_hint', request.idTokenHint],
    ['dpop_jkt', request.dpopJkt ?? null],
    ['ui_locales', request.uiLocales ?? null],
    ['acr_values', request.acrValues?.length ? formatScope(request.acrValues) : null],
  ];
  return { values: new Map(entries.filter((e): e is [string, string] => e[1] !== null)), refused: new Map() };
}

/**
 * Whether the browser's login is good enough for this request. `session` is its live login, if any;
 * times are epoch milliseconds. Checked when /authorize is first called, not again after the user
 * has just signed in for this very request.
 */
export function loginDecision(input: {
  session: { authTime: number } | null;
  prompt: readonly Prompt[];
  maxAge: number | null;
  now: number;
}): 'ok' | 'login' | 'login_required' {
  const { session, prompt, maxAge, now } = input;
  // max_age=0 asks for a fresh login whatever the clock says, as prompt=login does.
  const tooOld = session !== null && maxAge !== null && (maxAge === 0 || now - session.authTime > maxAge * 1000);
  if (prompt.includes('none')) return session === null || tooOld ? 'login_required' : 'ok';
  if (session === null || tooOld || prompt.includes('login')) return 'login';
  return 'ok';
}

/**
 * Whether to ask the user before a client gets `scopes`. First-party clients never ask; a third-party
 * one asks unless an earlier consent covers every scope (or prompt=consent asks anyway).
 */
export function consentDecision(input: {
  client: Pick<Client, 'thirdParty'>;
  scopes: readonly string[];
  consented: readonly string[] | null;
  prompt: readonly Prompt[];
}): 'ok' | 'consent' | 'consent_required' {
  const { client, scopes, consented, prompt } = input;
  if (!client.thirdParty) return 'ok';
  const covered = consented !== null && scopes.every((s) => consented.includes(s));
  if (covered && !prompt.includes('consent')) return 'ok';
  return prompt.includes('none') ? 'consent_required' : 'consent';
}

/** RFC 8707 §2: a resource is an absolute URI without a fragment. */
export function resourceProblem(value: string): string | null {
  if (value.length > 2000 || value.includes('#')) return 'resource must be an absolute URI without a fragment';
  try {
    new URL(value);
    return null;
  } catch {
    return 'resource must be an absolute URI without a fragment';
  }
}

/** Where the browser goes with the outcome: `redirect_uri` plus the response parameters, `iss` always (RFC 9207). */
export function authorizationResponseUri(redirectUri: string, params: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.append(name, value);
  return url.href;
}
