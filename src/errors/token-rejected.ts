/** Why one of our own access tokens was refused: it expired, or it is not one of ours at all (signature, typ, issuer, shape). */
export type TokenRejection = 'expired' | 'invalid';

/** Thrown by KeyRing.verify; services/access-token-check.ts turns it into a verdict. */
export class TokenRejected extends Error {
  constructor(readonly reason: TokenRejection) {
    super(reason === 'expired' ? 'the token has expired' : 'the token is not valid');
    this.name = 'TokenRejected';
  }
}
