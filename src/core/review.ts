// "Review workspace": run the embedded engines and queue what they propose. Writes nothing to
// the workspace.
import type { RustyCore } from './rustyCore';
import type { Proposal } from './proposals/model';
import { ENGINES } from './refactorings/registry';
import { RustyError } from './util/errors';

export interface ReviewResult {
  engines: string[];
  filesScanned: number;
  skipped: { path: string; reason: string }[];
  proposals: { proposal: Proposal; existing: boolean }[];
}

export async function reviewWorkspace(core: RustyCore, opts: {
  only?: string[]; files?: string[]; signal?: AbortSignal;
  onProgress?: (done: number, total: number, file: string) => void;
} = {}): Promise<ReviewResult> {
  const engines = opts.only ? ENGINES.filter((e) => opts.only!.includes(e.id)) : ENGINES;
  if (opts.only && engines.length !== opts.only.length) throw new RustyError('usage', `Unknown engine; available: ${ENGINES.map((e) => e.id).join(', ')}.`);
  const result: ReviewResult = { engines: engines.map((e) => e.id), filesScanned: 0, skipped: [], proposals: [] };
  for (const engine of engines) {
    const run = await cancellable(opts.signal, () => engine.run({
      wfs: core.wfs, files: opts.files, signal: opts.signal, onProgress: opts.onProgress,
      maxBytes: core.settings.maxFileSizeMB * 1024 * 1024,
    }));
    result.filesScanned = Math.max(result.filesScanned, run.filesScanned);
    result.skipped.push(...run.skipped);
    if (opts.signal?.aborted) throw cancelled();
    if (run.changeSet) result.proposals.push(await core.submit(run.changeSet));
  }
  return result;
}

function cancelled(): RustyError {
  return new RustyError('cancelled', 'Cancelled: the review stopped before queuing anything further; nothing was written to the workspace.');
}

async function cancellable<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (signal?.aborted || (err instanceof Error && err.name === 'AbortError')) throw cancelled();
    throw err;
  }
}
