import type { ApisStore, ClientsStore } from '../store/types.js';
import {
  authorizeParamsOf,
  authorizationResponseUri,
  validateAuthorizeRequest,
  type AuthorizationRequest,
  type AuthorizeErrorCode,
  type AuthorizeParams,
} from '../domain/authorize.js';
import type { PageMessage } from '../domain/messages.js';
import type { Client, User } from '../domain/types.js';
import { accountClient, accountClientId } from './account-client.js';
import type { Uses } from './deps.js';
import { resourcesOf } from './resources.js';
import type { ConsentGroup } from './sign-in/grants.js';

// The /authorize request: validated against its client, and what the browser gets in the end.
// Between the two, services/sign-in/ takes it through the sign-in (login, consent, the code).

export type AuthorizeOutcome =
  /** The request cannot be answered to its client: an error page, no redirect. */
  | { kind: 'page'; description: string }
  /** The login page; `sealedRequest` rides in its forms and links, `error` says why a sign-in failed. */
  | {
      kind: 'login';
      request: AuthorizationRequest;
      client: Client;
      sealedRequest: string;
      providers: { id: string; name: string }[];
      username?: string;
      error?: SignInError;
    }
  | { kind: 'consent'; request: AuthorizationRequest; client: Client; user: User; groups: ConsentGroup[]; sealedRequest: string }
  /** The second step: a code, a passkey or a recovery code; `sealedState` rides in its forms. */
  | {
      kind: 'second-step';
      request: AuthorizationRequest;
      client: Client;
      user: User;
      sealedState: string;
      methods: { totp: boolean; passkeys: boolean; recoveryCodes: boolean };
      error?: SecondStepError;
    }
  /** Back to the client, with a code or an error (RFC 6749 §4.1.2, §4.1.2.1, RFC 9207). */
  | { kind: 'redirect'; location: string };

/** Why the second step's page is shown again; `retryAfter` (seconds) when too many failed. */
export type SecondStepError = { problem: 'wrong_code' | 'too_many'; retryAfter?: number };

/** A failed sign-in on the login page: what the person reads, and `retryAfter` (seconds) when too many failed. */
export type SignInError = { message: PageMessage; retryAfter?: number };

/** Where the browser goes with an error; `state` and `iss` always travel with it. */
export function errorRedirect(deps: Uses<'config'>, redirectUri: string, state: string | null, error: AuthorizeErrorCode, description: string) {
  return {
    kind: 'redirect' as const,
    location: authorizationResponseUri(redirectUri, { error, error_description: description, state, iss: deps.config.issuer }),
  };
}

/** Validates the parameters of GET /authorize against the client they name; `pushed` when they came through PAR. */
export async function parseAuthorizeRequest(
  deps: Uses<'config', ApisStore & ClientsStore>,
  params: AuthorizeParams,
  { pushed = false } = {},
): Promise<{ request: AuthorizationRequest; client: Client } | AuthorizeOutcome> {
  const clientId = params.values.get('client_id');
  const usable = clientId !== undefined && !params.refused.has('client_id');
  const found = !usable ? null : clientId === accountClientId ? accountClient(deps) : await deps.store.findClient(clientId);
  // A disabled client is unknown here as everywhere else.
  const client = found && found.disabledAt === null ? found : null;
  const result = validateAuthorizeRequest(params, client, { pushed });
  if (result.kind === 'page') return result;
  if (result.kind === 'redirect') return errorRedirect(deps, result.redirectUri, result.state, result.error, result.description);
  const { request } = result;
  const known = (await resourcesOf(deps, client!)).map((r) => r.identifier);
  const unknown = request.resources.find((r) => !known.includes(r));
  if (unknown !== undefined)
    return errorRedirect(deps, request.redirectUri, request.state, 'invalid_target', 'a resource is unknown or not allowed for this client');
  return { request, client: client! };
}

/**
 * The request once more against the client as it is now: a login or consent page may have been open
 * for minutes, and the client changed or deleted meanwhile. It passed /authorize, through PAR where the
 * client needs it, before its page was shown.
 */
export const recheckRequest = (deps: Uses<'config', ApisStore & ClientsStore>, request: AuthorizationRequest) =>
  parseAuthorizeRequest(deps, authorizeParamsOf(request), { pushed: true });
