import { acrValuesSupported } from '../../domain/amr.js';
import { Hono } from 'hono';
import type { Deps } from '../../services/deps.js';
import { grantTypes } from '../../domain/types.js';
import { identityScopes } from '../../domain/authorize.js';
import { dpopAlgorithms } from '../../domain/dpop.js';
import { assertionAlgs } from '../../domain/client-keys.js';
import { userClaimNames } from '../../domain/user-claims.js';
import type { AppEnv } from '../env.js';
import { prebuiltAnswer } from '../prebuilt-answer.js';
import { requestHeader } from '../request-info.js';

/**
 * The JWKS, the RFC 8414 authorization server metadata, and the OpenID Provider Metadata (OpenID
 * Connect Discovery 1.0 §3), which adds what OpenID Connect clients need and lists only what is served.
 */
export function wellKnownRoutes(deps: Deps) {
  const { config } = deps;
  const metadata = {
    issuer: config.issuer,
    authorization_endpoint: `${config.issuer}/authorize`,
    token_endpoint: `${config.issuer}/token`,
    jwks_uri: `${config.issuer}/.well-known/jwks.json`,
    revocation_endpoint: `${config.issuer}/revoke`,
    introspection_endpoint: `${config.issuer}/introspect`,
    grant_types_supported: [...grantTypes],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    token_endpoint_auth_signing_alg_values_supported: [...assertionAlgs],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    revocation_endpoint_auth_signing_alg_values_supported: [...assertionAlgs],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    introspection_endpoint_auth_signing_alg_values_supported: [...assertionAlgs],
    // RFC 9126 §5: the endpoint, and whether every client must use it (no: only those registered so).
    pushed_authorization_request_endpoint: `${config.issuer}/par`,
    require_pushed_authorization_requests: false,
    service_documentation: `${config.issuer}/docs`,
    dpop_signing_alg_values_supported: [...dpopAlgorithms],
    ...(config.registration === 'off' ? {} : { registration_endpoint: `${config.issuer}/register` }),
  };
  const openid = {
    ...metadata,
    userinfo_endpoint: `${config.issuer}/userinfo`,
    end_session_endpoint: `${config.issuer}/logout`,
    scopes_supported: [...identityScopes],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [config.signingAlg],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid', 'at_hash', 'amr', 'acr', ...userClaimNames],
    // What acr_values may ask for (contract section 12): urn:tessera:mfa steps a sign-in up to a second factor.
    acr_values_supported: [...acrValuesSupported],
    prompt_values_supported: ['none', 'login', 'consent'],
    ui_locales_supported: [...config.loginLocales],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    // OpenID Connect Discovery's request_uri is a request object by reference, which is not supported; PAR's is (above).
    request_uri_parameter_supported: false,
  };
  const body = JSON.stringify(metadata);
  const openidBody = JSON.stringify(openid);

  const json = { 'Content-Type': 'application/json' };
  const cacheControl = `public, max-age=${config.jwksMaxAge}`;
  return new Hono<AppEnv>()
    .get('/.well-known/jwks.json', (c) => {
      const { json: keys, etag } = deps.keys.published(deps.clock.now());
      if (etagMatches(requestHeader(c, 'if-none-match'), etag)) return prebuiltAnswer(c, null, 304, { 'Cache-Control': cacheControl, ETag: etag });
      return prebuiltAnswer(c, keys, 200, { 'Cache-Control': cacheControl, ETag: etag, ...json });
    })
    .get('/.well-known/oauth-authorization-server', (c) => prebuiltAnswer(c, body, 200, json))
    .get('/.well-known/openid-configuration', (c) => prebuiltAnswer(c, openidBody, 200, json));
}

/** RFC 9110 §13.1.2: a list of entity tags, or `*`; weak comparison. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
