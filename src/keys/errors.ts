/** A signing-key problem an operator must fix (a missing or wrong KEY_ENCRYPTION_KEY, no active key). */
export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}
