// When a call may be repeated, and how long to wait before it is.
import type { McpToolAnnotations } from '../types';

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Exponential backoff with "full jitter": a random delay in [base·2^(attempt-1) / 2, base·2^(attempt-1)], capped. */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Annotations are hints; they count only from a server the user trusts. Read-only tools, and
 * idempotent ones not marked destructive, may run twice without harm. Unannotated → unknown → no.
 */
export function isRetrySafeTool(trusted: boolean | undefined, annotations: McpToolAnnotations | undefined): boolean {
  if (!trusted || !annotations) return false;
  if (annotations.destructiveHint === true) return false;
  return annotations.readOnlyHint === true || annotations.idempotentHint === true;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
