// The impact analysis's names for the engine's one cancellation helper (engine/context.ts).
import type { RustyError } from '../util/errors';
import { cancelled, isCancellation, throwIfCancelled as throwIfCancelledIn } from '../engine/context';

const WHAT = 'the impact analysis';

export { isCancellation };

export function cancelledError(): RustyError {
  return cancelled(WHAT);
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  throwIfCancelledIn(signal, WHAT);
}
