import { errors } from 'jose';
import {
  AlgorithmNotAllowed,
  AudienceMismatch,
  ClaimInvalid,
  IssuerMismatch,
  JwksUnavailable,
  KeyNotFound,
  SignatureInvalid,
  TokenExpired,
  TokenMalformed,
  TokenNotYetValid,
  TypeInvalid,
  VerifierError,
} from './errors.js';

/** Translates jose's errors into ours, so callers never depend on jose. `audience`, the API's identifier, is named when the token is for another. */
export function fromJoseError(error: unknown, audience?: string | string[]): VerifierError {
  if (error instanceof VerifierError) return error;
  if (error instanceof errors.JWTExpired) return new TokenExpired('token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new IssuerMismatch('token was issued by another issuer');
      case 'aud':
        return new AudienceMismatch(
          audience === undefined
            ? 'token is not meant for this audience'
            : `token is not meant for this API: its aud must be ${[audience].flat().join(' or ')}`,
        );
      case 'typ':
        return new TypeInvalid('token is not an access token (typ must be at+jwt)');
      case 'nbf':
      case 'iat':
        return error.reason === 'check_failed'
          ? new TokenNotYetValid(`token is not valid yet (${error.claim})`)
          : new ClaimInvalid(`invalid ${error.claim} claim`);
      default:
        return new ClaimInvalid(`invalid or missing ${error.claim} claim`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return new AlgorithmNotAllowed('token algorithm is not allowed');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new SignatureInvalid('token signature is invalid');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return new KeyNotFound('no published key matches the token');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return new JwksUnavailable('the issuer keys could not be fetched');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JWKInvalid)
    return new TokenMalformed('token is malformed');
  // jose raises its generic error when the JWKS answer is not 200 with a JSON key set.
  if (error instanceof errors.JOSEError)
    return error.code === 'ERR_JOSE_GENERIC' ? new JwksUnavailable('the issuer keys could not be fetched') : new TokenMalformed('token is malformed');
  if (error instanceof TypeError || (error instanceof Error && /fetch|ECONNREFUSED|network/i.test(error.message))) {
    return new JwksUnavailable('the issuer keys could not be fetched');
  }
  return new TokenMalformed('token could not be verified');
}
