/** Why a token was refused. Codes are stable; callers match on them, never on messages. */
export type VerifierErrorCode =
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_NOT_YET_VALID'
  | 'ERR_SIGNATURE_INVALID'
  | 'ERR_ALGORITHM_NOT_ALLOWED'
  | 'ERR_TYPE_INVALID'
  | 'ERR_ISSUER_MISMATCH'
  | 'ERR_AUDIENCE_MISMATCH'
  | 'ERR_CLAIM_INVALID'
  | 'ERR_KEY_NOT_FOUND'
  | 'ERR_JWKS_UNAVAILABLE'
  | 'ERR_TOKEN_REVOKED'
  /** RFC 9449: the DPoP proof is missing, malformed, replayed, or does not match the request or the token. */
  | 'ERR_DPOP_PROOF_INVALID'
  /** RFC 9449 §7: a DPoP-bound token sent as Bearer, with a proof by another key, or an unbound one sent as DPoP. */
  | 'ERR_DPOP_BINDING_MISMATCH'
  /** The token is valid but its sign-in is below the level asked (RFC 9470): ask the user to step up. */
  | 'ERR_INSUFFICIENT_USER_AUTHENTICATION';

export class VerifierError extends Error {
  static code: VerifierErrorCode = 'ERR_TOKEN_MALFORMED';
  readonly code: VerifierErrorCode;
  constructor(message: string, code?: VerifierErrorCode) {
    super(message);
    this.name = new.target.name;
    this.code = code ?? (new.target as typeof VerifierError).code;
  }
}

const errorClass = (code: VerifierErrorCode) =>
  class extends VerifierError {
    static override code = code;
  };

export class TokenMalformed extends errorClass('ERR_TOKEN_MALFORMED') {}
export class TokenExpired extends errorClass('ERR_TOKEN_EXPIRED') {}
export class TokenNotYetValid extends errorClass('ERR_TOKEN_NOT_YET_VALID') {}
export class SignatureInvalid extends errorClass('ERR_SIGNATURE_INVALID') {}
export class AlgorithmNotAllowed extends errorClass('ERR_ALGORITHM_NOT_ALLOWED') {}
export class TypeInvalid extends errorClass('ERR_TYPE_INVALID') {}
export class IssuerMismatch extends errorClass('ERR_ISSUER_MISMATCH') {}
export class AudienceMismatch extends errorClass('ERR_AUDIENCE_MISMATCH') {}
export class ClaimInvalid extends errorClass('ERR_CLAIM_INVALID') {}
export class KeyNotFound extends errorClass('ERR_KEY_NOT_FOUND') {}
export class JwksUnavailable extends errorClass('ERR_JWKS_UNAVAILABLE') {}
export class TokenRevoked extends errorClass('ERR_TOKEN_REVOKED') {}
export class DpopProofInvalid extends errorClass('ERR_DPOP_PROOF_INVALID') {}
export class DpopBindingMismatch extends errorClass('ERR_DPOP_BINDING_MISMATCH') {}
/** `requireAcr`: the sign-in behind the token is below `acr`; `acr` is the level to ask for (acr_values, RFC 9470). */
export class InsufficientUserAuthentication extends errorClass('ERR_INSUFFICIENT_USER_AUTHENTICATION') {
  constructor(
    message: string,
    readonly acr: string,
  ) {
    super(message);
  }
}
