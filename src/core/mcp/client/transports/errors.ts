/**
 * The request never reached the server (process not running, connection refused, session gone):
 * sending it again cannot repeat a side effect, so any tool may be retried.
 */
export class NotSentError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-running' | 'connect-failed' | 'session-expired' = 'not-running',
  ) {
    super(message);
    this.name = 'NotSentError';
  }
}

/** `_meta` key of the stand-in result the stdio transport delivers for a result it saved to a file. */
export const OVERSIZED_META = 'dev.rusty/oversized';

export interface OversizedInfo {
  savedTo: string;
  bytes: number;
}
