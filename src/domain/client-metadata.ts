import { httpsUrlProblem } from './profile.js';
import { redirectUriProblem } from './redirect-uri.js';
import { isValidScopeToken, parseScope, privilegedScopes } from './scope.js';
import { textProblem } from './text.js';
import type { GrantType } from './types.js';

/*
 * RFC 7591 §2: the client metadata a client sends to POST /register, read into the settings of a
 * Tessera client. Fields Tessera clients have are checked; any other field is ignored (§2: "The
 * authorization server MUST ignore any client metadata sent by the client that it does not
 * understand"). Pure: the service decides who may register and stores the client.
 */

/** Who is registering: anyone (`open`, public clients only), or the holder of an initial access token. */
export type RegistrationMode = 'open' | 'token';

export const tokenEndpointAuthMethods = ['none', 'client_secret_basic', 'client_secret_post'] as const;
export type TokenEndpointAuthMethod = (typeof tokenEndpointAuthMethods)[number];

/** The grant types a client may register itself for; the password grant is for first parties an operator names (RFC 9700 §2.4). */
const registrableGrants: Record<RegistrationMode, readonly string[]> = {
  open: ['authorization_code', 'refresh_token'],
  token: ['authorization_code', 'refresh_token', 'client_credentials'],
};

export type ClientMetadata = {
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  scopes: string[];
  name: string | null;
  logoUri: string | null;
};

/** Why the metadata cannot be registered, as the RFC 7591 §3.2.2 error code and its description. */
export type MetadataProblem = { error: 'invalid_redirect_uri' | 'invalid_client_metadata'; description: string };

const maxRedirectUris = 20;
const maxScopes = 100;

class Refused extends Error {
  constructor(readonly problem: MetadataProblem) {
    super(problem.description);
  }
}

const metadataError = (description: string) => new Refused({ error: 'invalid_client_metadata', description });
const redirectError = (description: string) => new Refused({ error: 'invalid_redirect_uri', description });

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw metadataError(`${name} must be a string`);
  return value;
}

function stringList(body: Record<string, unknown>, name: string, refuse: (d: string) => Refused): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw refuse(`${name} must be an array of strings`);
  return [...new Set(value as string[])];
}

/** Where the browser may be sent back to. Open registration takes https or loopback http only; a token holder may also register an app's private-use scheme (RFC 8252 §7.1), as operators may. */
function redirectTargets(uris: string[], name: string, mode: RegistrationMode, refuse: (d: string) => Refused): string[] {
  if (uris.length > maxRedirectUris) throw refuse(`${name} may list at most ${maxRedirectUris} URIs`);
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw refuse(problem);
    if (mode === 'open' && !/^https?:/.test(uri))
      throw refuse('open registration takes https redirect URIs, or http on loopback (127.0.0.1, [::1], localhost)');
  }
  return uris;
}

function grantTypesOf(body: Record<string, unknown>, mode: RegistrationMode): GrantType[] {
  const requested = stringList(body, 'grant_types', metadataError) ?? ['authorization_code'];
  const refused = requested.find((g) => !registrableGrants[mode].includes(g));
  if (refused !== undefined) {
    throw metadataError(`grant type "${refused.slice(0, 100)}" cannot be registered here; use ${registrableGrants[mode].join(', ')}`);
  }
  if (requested.length === 0) throw metadataError('grant_types must not be empty');
  if (requested.includes('refresh_token') && !requested.includes('authorization_code')) {
    throw metadataError('the refresh_token grant comes with the authorization_code grant');
  }
  // A client that logs users in gets refresh tokens with it, as an operator's client does (services/clients.ts).
  const grants = new Set(requested as GrantType[]);
  if (grants.has('authorization_code')) grants.add('refresh_token');
  return [...grants];
}

function authMethodOf(body: Record<string, unknown>, mode: RegistrationMode, grants: GrantType[]): TokenEndpointAuthMethod {
  const raw = stringField(body, 'token_endpoint_auth_method');
  // RFC 7591 §2's default is client_secret_basic; an open registration, which takes public clients only, defaults to none instead (§3.2.1 lets the server substitute).
  const method = raw ?? (mode === 'open' ? 'none' : 'client_secret_basic');
  if (!(tokenEndpointAuthMethods as readonly string[]).includes(method)) {
    throw metadataError(`token_endpoint_auth_method must be one of ${tokenEndpointAuthMethods.join(', ')}`);
  }
  if (mode === 'open' && method !== 'none') {
    throw metadataError(
      'open registration takes public clients only: token_endpoint_auth_method must be none (a confidential client needs an initial access token)',
    );
  }
  if (method === 'none' && grants.includes('client_credentials'))
    throw metadataError('a public client (token_endpoint_auth_method none) cannot use client_credentials');
  return method as TokenEndpointAuthMethod;
}

function scopesOf(body: Record<string, unknown>): string[] {
  const raw = stringField(body, 'scope');
  if (raw === undefined) return [];
  const scopes = parseScope(raw);
  if (scopes.length > maxScopes) throw metadataError(`scope may list at most ${maxScopes} values`);
  const bad = scopes.find((s) => !isValidScopeToken(s) || s.length > 200);
  if (bad !== undefined) throw metadataError(`scope "${bad.slice(0, 100)}" is not a valid scope value`);
  // A registered client is never trusted with the operator's scopes (README, "Privileged scopes").
  const privileged = scopes.find((s) => privilegedScopes.includes(s));
  if (privileged !== undefined) throw metadataError(`scope "${privileged}" cannot be registered: an operator grants it`);
  return scopes;
}

/** The metadata as it will be registered, or the RFC 7591 §3.2.2 error for the first field that cannot be. */
export function readClientMetadata(body: Record<string, unknown>, mode: RegistrationMode): ClientMetadata | MetadataProblem {
  try {
    const grantTypes = grantTypesOf(body, mode);
    const logsIn = grantTypes.includes('authorization_code');
    const responseTypes = stringList(body, 'response_types', metadataError) ?? (logsIn ? ['code'] : []);
    if (responseTypes.some((t) => t !== 'code')) throw metadataError('response_types may only hold "code"');
    if (logsIn !== responseTypes.includes('code')) throw metadataError('response_types "code" goes with the authorization_code grant, and only with it');

    const redirectUris = redirectTargets(stringList(body, 'redirect_uris', redirectError) ?? [], 'redirect_uris', mode, redirectError);
    if (logsIn && redirectUris.length === 0) throw redirectError('redirect_uris is required: the authorization_code grant needs at least one');
    const postLogoutRedirectUris = redirectTargets(
      stringList(body, 'post_logout_redirect_uris', metadataError) ?? [],
      'post_logout_redirect_uris',
      mode,
      metadataError,
    );
    if (!logsIn && redirectUris.length + postLogoutRedirectUris.length > 0)
      throw redirectError('redirect URIs are for clients with the authorization_code grant');

    const name = stringField(body, 'client_name') ?? null;
    const nameProblem = name === null ? null : name.trim() === '' ? 'client_name must not be empty' : textProblem('client_name', name, 100);
    if (nameProblem) throw metadataError(nameProblem);
    const logoUri = stringField(body, 'logo_uri') ?? null;
    const logoProblem = logoUri === null ? null : httpsUrlProblem('logo_uri', logoUri);
    if (logoProblem) throw metadataError(logoProblem);

    return {
      redirectUris,
      postLogoutRedirectUris,
      grantTypes,
      tokenEndpointAuthMethod: authMethodOf(body, mode, grantTypes),
      scopes: scopesOf(body),
      name,
      logoUri,
    };
  } catch (error) {
    if (error instanceof Refused) return error.problem;
    throw error;
  }
}

export const isMetadataProblem = (result: ClientMetadata | MetadataProblem): result is MetadataProblem => 'error' in result;
