export type KeyRingErrorCode = 'key_encryption_key_missing' | 'key_encryption_key_wrong' | 'no_active_key' | 'rotation_contended';

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
