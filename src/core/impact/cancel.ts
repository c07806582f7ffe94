import { RustyError } from '../util/errors';

export function cancelledError(): RustyError {
  return new RustyError('cancelled', 'Cancelled: the impact analysis stopped; nothing was written.');
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

export function isCancellation(err: unknown, signal?: AbortSignal): boolean {
  return !!signal?.aborted || (err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'cancelled'));
}
