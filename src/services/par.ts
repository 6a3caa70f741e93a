import { validateAuthorizeRequest, type AuthorizeParams } from '../domain/authorize.js';
import type { Client } from '../domain/types.js';
import { InvalidRequest, OAuthError, oauthErrorStatus, type OAuthErrorCode } from '../errors/oauth.js';
import { sha256 } from '../lib/hash.js';
import type { PushedRequestsStore } from '../store/types.js';
import type { Uses } from './deps.js';

// Pushed authorization requests (RFC 9126): the client posts its authorization request, authenticated, and
// sends the browser to /authorize with only client_id and the request_uri it got back.

/** At most 60 s (RFC 9126 §2.2 suggests 5 to 600; FAPI 2.0 §5.3.2.2 says under 600). */
export const parTtlSeconds = 60;
export const requestUriPrefix = 'urn:ietf:params:oauth:request_uri:';

/** The client's own credentials travel with the push but are not part of the authorization request. */
const clientAuthParameters = ['client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * Validates the request as /authorize would (the same errors, as JSON: RFC 9126 §2.3) and stores it for
 * single use by this client within `parTtlSeconds`. `proofJkt`: the key of the push's DPoP proof, which binds the
 * code as `dpop_jkt` does (RFC 9449 §10.1); a `dpop_jkt` pushed with it must name the same key.
 */
export async function pushAuthorizationRequest(
  deps: Uses<'clock' | 'ids', PushedRequestsStore>,
  client: Client,
  form: ReadonlyMap<string, string>,
  proofJkt: string | null = null,
): Promise<{ request_uri: string; expires_in: number }> {
  const values = new Map([...form].filter(([name]) => !clientAuthParameters.includes(name)));
  if (values.has('request_uri')) throw new InvalidRequest('request_uri must not be pushed: it is what /par returns (RFC 9126 §2.1)');
  const named = values.get('client_id');
  if (named !== undefined && named !== client.id) throw new InvalidRequest('client_id does not match the authenticated client');
  values.set('client_id', client.id);
  if (proofJkt !== null) {
    const jkt = values.get('dpop_jkt');
    if (jkt !== undefined && jkt !== proofJkt) throw new InvalidRequest('dpop_jkt does not name the key of the DPoP proof sent with the request');
    values.set('dpop_jkt', proofJkt);
  }

  const result = validateAuthorizeRequest({ values, refused: new Map() }, client, { pushed: true });
  if (result.kind === 'page') throw new InvalidRequest(result.description);
  if (result.kind === 'redirect') throw new OAuthError(jsonCode(result.error), result.description);

  const requestUri = `${requestUriPrefix}${deps.ids.secret()}`;
  const now = deps.clock.now().getTime();
  await deps.store.insertParRequest({
    hash: sha256(requestUri),
    clientId: client.id,
    params: Object.fromEntries(values),
    expiresAt: now + parTtlSeconds * 1000,
    usedAt: null,
  });
  return { request_uri: requestUri, expires_in: parTtlSeconds };
}

/** Whether /authorize's request_uri is one /par hands out (a request object by reference is not). */
export const isPushedRequestUri = (uri: string | undefined): boolean => uri?.startsWith(requestUriPrefix) === true;

const jsonCode = (code: string): OAuthErrorCode => (code in oauthErrorStatus ? (code as OAuthErrorCode) : 'invalid_request');

/**
 * The pushed request that /authorize's `request_uri` names, used up now; other parameters than client_id are
 * ignored (RFC 9126 §4). A description for the error page when it is unknown, expired, used or another client's.
 */
export async function takePushedRequest(deps: Uses<'clock', PushedRequestsStore>, params: AuthorizeParams): Promise<AuthorizeParams | { description: string }> {
  const requestUri = params.values.get('request_uri')!;
  const clientId = params.values.get('client_id');
  if (clientId === undefined || params.refused.has('client_id')) return { description: 'the request names no client (client_id is missing)' };
  if (requestUri.length > 200) return { description: 'the request_uri is not one this service issued' };
  const pushed = await deps.store.consumeParRequest(sha256(requestUri), clientId, deps.clock.now().getTime());
  if (!pushed) return { description: 'the request_uri has expired, was used already, or belongs to another application: start the sign-in again' };
  return { values: new Map(Object.entries(pushed.params)), refused: new Map() };
}
