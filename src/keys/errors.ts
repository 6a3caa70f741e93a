export type KeyRingErrorCode = 'key_encryption_key_missing' | 'key_encryption_key_wrong' | 'no_active_key' | 'rotation_contended';

/** Why KeyRing.verify refused a token: it expired, or it is not one of ours at all (signature, typ, issuer, shape). */
export type TokenRejection = 'expired' | 'invalid';

export class TokenRejected extends Error {
  constructor(readonly reason: TokenRejection) {
    super(reason === 'expired' ? 'the token has expired' : 'the token is not valid');
    this.name = 'TokenRejected';
  }
}

/** A signing-key problem an operator must fix; `code` is stable, the message says what to do. */
export class KeyRingError extends Error {
  constructor(
    readonly code: KeyRingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeyRingError';
  }
}
