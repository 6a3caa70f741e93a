/** A store write broke a uniqueness rule (duplicate username, client id, key sequence). */
export class Conflict extends Error {
  static readonly code = 'ERR_STORE_CONFLICT';
  readonly code = Conflict.code;
  constructor(what: string) {
    super(`conflict: ${what}`);
    this.name = 'Conflict';
  }
}

export class NotFound extends Error {
  static readonly code = 'ERR_STORE_NOT_FOUND';
  readonly code = NotFound.code;
  constructor(what: string) {
    super(`not found: ${what}`);
    this.name = 'NotFound';
  }
}
