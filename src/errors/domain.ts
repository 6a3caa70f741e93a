/**
 * What a use case refuses, whoever called it. The message is the one line a person reads; `code` is
 * what callers match on. http/on-error.ts turns them into answers, cli/run.ts into a line and an exit code.
 */
export type DomainErrorCode = 'not_found' | 'conflict' | 'invalid_input';

/** The `error` code callers read for each refusal, the same in HTTP answers and the CLI's --json errors. */
export const domainErrorWireCode = { not_found: 'not_found', conflict: 'conflict', invalid_input: 'invalid_request' } as const satisfies Record<
  DomainErrorCode,
  string
>;

export class DomainError extends Error {
  static code: DomainErrorCode = 'invalid_input';
  readonly code: DomainErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    this.code = (new.target as typeof DomainError).code;
  }
}

const errorClass = (code: DomainErrorCode) =>
  class extends DomainError {
    static override code = code;
  };

/** The user, client, family… named does not exist. */
export class NotFound extends errorClass('not_found') {}
/** It exists already: a taken username, client id or key sequence (the stores throw it on a unique violation). */
export class Conflict extends errorClass('conflict') {}
/** The input breaks a rule: a short password, an unknown grant, a bad `limit`. */
export class InvalidInput extends errorClass('invalid_input') {}
