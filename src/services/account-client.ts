import type { Client } from '../domain/types.js';
import type { Deps } from './deps.js';

// The account pages (/account/security) sign people in through the same path as every client: an
// authorization request of Tessera's own, whose completion leads back to the page instead of issuing a
// code. Its id cannot be registered (client ids have no colon).

export const accountClientId = 'tessera:account';
export const securityPagePath = '/account/security';
/** A fixed S256 challenge: no code is ever issued to this client, so there is nothing to redeem. */
const unusedChallenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

export function accountClient(deps: Pick<Deps, 'config'>): Client {
  return {
    id: accountClientId,
    secretHash: null,
    grants: ['authorization_code'],
    scopes: [],
    audience: null,
    maxSessions: null,
    refreshCookie: false,
    redirectUris: [`${deps.config.issuer}${securityPagePath}`],
    postLogoutRedirectUris: [],
    thirdParty: false,
    name: deps.config.loginTitle,
    logoUri: null,
    requireMfa: false,
    dpopBoundAccessTokens: false,
    jwks: null,
    jwksUri: null,
    requirePar: false,
    profile: null,
    registeredBy: 'operator',
    apis: [],
    defaultApi: null,
    createdAt: 0,
    disabledAt: null,
    tokensRevokedAt: null,
    previousSecretHash: null,
    previousSecretExpiresAt: null,
  };
}

/** Where the security page sends a browser without a session: the sign-in, then back. */
export const accountSignInPath = (deps: Pick<Deps, 'config'>) =>
  `/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: accountClientId,
    redirect_uri: `${deps.config.issuer}${securityPagePath}`,
    code_challenge: unusedChallenge,
    code_challenge_method: 'S256',
    prompt: 'login',
  })}`;
