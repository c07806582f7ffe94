// Turning anything thrown into a message a person can act on. The core's RustyError messages are
// already written for people; anything else is an internal error pointing at the log.
import type { FileConflict } from '../../core/checkpoints/revert';

export interface UserError {
  /** RustyError code ('conflict', 'stale', 'locked', …) or 'internal'. */
  code: string;
  message: string;
  conflicts?: FileConflict[];
}

/**
 * Duck-typed on purpose: the engines bundle (dist/engines.js) has its own copy of the RustyError
 * class, so `instanceof` would miss errors thrown there.
 */
export function isRustyErrorLike(err: unknown): err is Error & { code: string; details?: unknown } {
  return err instanceof Error && err.name === 'RustyError' && typeof (err as { code?: unknown }).code === 'string';
}

export function toUserError(err: unknown): UserError {
  if (isRustyErrorLike(err)) {
    const details = err.details as { conflicts?: unknown } | undefined;
    const conflicts = Array.isArray(details?.conflicts) ? (details.conflicts as FileConflict[]) : undefined;
    return { code: err.code, message: err.message, ...(conflicts ? { conflicts } : {}) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Rusty hit an unexpected error: ${message}. Details are in the "Rusty" output channel.` };
}

/** One line per conflicting file, for "Show details". */
export function describeConflictList(conflicts: readonly FileConflict[]): string {
  return conflicts.map((c) => `${c.path}: ${c.reason}${c.hunks?.length ? ` (hunks ${c.hunks.join(', ')})` : ''}`).join('\n');
}
