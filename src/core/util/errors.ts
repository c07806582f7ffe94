// Errors the user can act on. `code` is stable (CLI --json prints it); `message` is one sentence.
export type RustyErrorCode =
  | 'invalid-change-set' | 'path-refused' | 'binary-file' | 'too-large' | 'stale' | 'conflict'
  | 'not-found' | 'bad-state' | 'locked' | 'cancelled' | 'checkpoint-missing' | 'usage' | 'io'
  /** An engine declined: the refactoring would be wrong here (invalid name, collision, …). */
  | 'refused'
  /** GitHub refused or could not be reached; `details.kind` says why (src/core/github/errors.ts). */
  | 'github';

export class RustyError extends Error {
  constructor(
    readonly code: RustyErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RustyError';
  }
}

export function isRustyError(err: unknown): err is RustyError {
  return err instanceof RustyError;
}
