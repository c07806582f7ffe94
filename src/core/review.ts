// "Review workspace": run the embedded engines and queue what they propose. Writes nothing to
// the workspace.
import * as path from 'node:path';
import type { RustyCore } from './rustyCore';
import type { Proposal } from './proposals/model';
import type { AnalysisMode, AnalysisReport, AnalysisSummary, FunctionEntry } from './analysis/types';
import { ENGINES } from './refactorings/registry';
import { RustyError } from './util/errors';
import { cancelled as engineCancelled, guardCancel, workspaceReader } from './engine/context';

export interface ReviewResult {
  engines: string[];
  filesScanned: number;
  skipped: { path: string; reason: string }[];
  proposals: { proposal: Proposal; existing: boolean }[];
  /** The workspace analysis (a full review; not with `only`/`files`). */
  analysis?: ReviewAnalysis;
  /** Changes worth making that are not safe to propose unasked (they change the public API). */
  suggestions?: ReviewSuggestion[];
}

export interface ReviewAnalysis {
  summary: AnalysisSummary;
  /** The most complex functions, at most 10. */
  hotSpots: FunctionEntry[];
  cycles: string[][];
}

export interface ReviewSuggestion {
  kind: 'remove-unused-export';
  file: string;
  line: number;
  name: string;
  reason: string;
  /** The command that turns it into a proposal. */
  command: string;
}

/**
 * Diagnostic codes whose TypeScript fix-all is proposed by a review without being asked: fixes that
 * change no runtime behaviour (`override` is erased at compile time). Not TS6133: its "delete
 * unused declarations" also deletes initializers such as `const x = sideEffect()`.
 */
export const SAFE_FIX_ALL_CODES: readonly number[] = [
  4112, // 'override' in a class that extends nothing → remove it
  4113, // 'override' on a member the base class does not have → remove it
  4114, 4115, 4116, // member / parameter property / abstract member overrides without 'override' → add it
  4119, 4120, 4121, 4122, // the same with JSDoc @override in JavaScript files
];

export async function reviewWorkspace(core: RustyCore, opts: {
  only?: string[]; files?: string[]; signal?: AbortSignal;
  onProgress?: (done: number, total: number, file: string) => void;
  /** Run the workspace analysis and propose its safe fixes; default: when neither `only` nor `files` is given. */
  analysis?: boolean;
  /** Analysis mode; default 'auto' (syntactic pass only for very large workspaces). */
  analysisMode?: AnalysisMode | 'auto';
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
    if (run.changeSet) result.proposals.push(await core.submit(run.changeSet, opts.signal ? { signal: opts.signal } : {}));
  }
  if (opts.analysis ?? (!opts.only && !opts.files)) await analyse(core, result, opts);
  return result;
}

/** The analysis part of a review: summary, safe fix-alls as proposals, unused exports as suggestions. */
async function analyse(core: RustyCore, result: ReviewResult, opts: Parameters<typeof reviewWorkspace>[1] & object): Promise<void> {
  const { AnalysisSession } = await import('./analysis');
  const session = await cancellable(opts.signal, () => AnalysisSession.open({
    fs: workspaceReader(core.wfs, opts.signal),
    mode: opts.analysisMode ?? 'auto',
    cacheDir: path.join(core.stateDir, 'analysis'),
    maxBytes: core.settings.maxFileSizeMB * 1024 * 1024,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  }));
  const report = session.report();
  result.engines.push('analysis');
  result.filesScanned = Math.max(result.filesScanned, report.summary.files);
  const known = new Set(result.skipped.map((s) => s.path));
  result.skipped.push(...report.summary.skipped.filter((s) => !known.has(s.file)).map((s) => ({ path: s.file, reason: s.reason })));
  result.analysis = { summary: report.summary, hotSpots: report.functions.slice(0, 10), cycles: report.cycles };
  result.suggestions = report.unusedExports.map((u) => ({
    kind: 'remove-unused-export' as const, file: u.file, line: u.line, name: u.name,
    reason: `nothing outside ${u.file} uses this ${u.typeOnly ? 'type' : u.kind === 'unknown' ? 'export' : u.kind}; removing it changes the module's API, so it is only suggested`,
    command: `rusty refactor remove-unused-export ${u.file} ${u.name}`,
  }));
  await proposeSafeFixes(core, result, report, opts);
}

async function proposeSafeFixes(core: RustyCore, result: ReviewResult, report: AnalysisReport, opts: { signal?: AbortSignal }): Promise<void> {
  const codes = SAFE_FIX_ALL_CODES.filter((c) => report.diagnostics.some((d) => d.code === c && d.file !== null));
  if (!codes.length) return;
  const [{ fixAll }, { WorkspaceProject }] = await Promise.all([import('./refactorings/fix-all'), import('./ts/workspaceProject')]);
  const project = await cancellable(opts.signal, () => WorkspaceProject.load({
    fs: workspaceReader(core.wfs, opts.signal), maxBytes: core.settings.maxFileSizeMB * 1024 * 1024,
    ...(opts.signal ? { signal: opts.signal } : {}),
  }));
  result.engines.push('fix-all');
  for (const code of codes) {
    const fixed = await cancellable(opts.signal, () => fixAll({ project, ...(opts.signal ? { signal: opts.signal } : {}) }, { code }))
      .catch((err: unknown) => {
        if (err instanceof RustyError && err.code === 'refused') return undefined; // nothing TypeScript can fix here
        throw err;
      });
    if (opts.signal?.aborted) throw cancelled();
    if (fixed?.changeSet.edits.length) result.proposals.push(await core.submit(fixed.changeSet, opts.signal ? { signal: opts.signal } : {}));
  }
}

function cancelled(): RustyError {
  return engineCancelled('the review');
}

function cancellable<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  return guardCancel(signal, fn, 'the review');
}
