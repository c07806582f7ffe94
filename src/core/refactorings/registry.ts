// The one refactoring registry (issue 16): the refactorings aimed at a place in the code (rename,
// move, …: `REFACTORINGS`, run with `proposeRefactoring`) and the whole-workspace engines the review
// runs (`ENGINES`: deterministic, offline, no key). Each loads lazily (ts-morph is heavy; its own
// chunk in the CLI bundle). The project is loaded through the core's WorkspaceFs, so unsaved editor
// text (extension) is what gets refactored.
import type { RustyCore } from '../rustyCore';
import type { Proposal } from '../proposals/model';
import type {
  ExtractFunctionParams, FixAllParams, InlineVariableParams, MoveFileParams, Position, Refactor, RemoveUnusedExportParams, RenameParams,
} from './api';
import type { ChangeSet } from '../proposals/changeSet';
import type { WorkspaceFs } from '../ports/workspaceFs';
import { RustyError } from '../util/errors';
import type { WorkspaceProject } from '../ts/workspaceProject';
import type { ExtractCandidatesParams, ExtractCandidatesResult } from './extract-function/candidates';
import { cancelled, createEngineContext, isCancellation, workspaceReader } from '../engine/context';

// ─── whole-workspace engines ─────────────────────────────────────────────────────────────────

export interface EngineRun { changeSet: ChangeSet | null; skipped: { path: string; reason: string }[]; filesScanned: number }

export interface EngineOptions {
  wfs: WorkspaceFs;
  files?: string[];
  maxBytes: number;
  onProgress?: (done: number, total: number, file: string) => void;
  signal?: AbortSignal;
}

export interface Engine {
  id: string;
  title: string;
  run(opts: EngineOptions): Promise<EngineRun>;
}

export const ENGINES: Engine[] = [
  {
    id: 'organize-imports',
    title: 'Organize imports',
    async run(opts) {
      const { proposeOrganizeImports } = await import('./organize-imports');
      const fs = workspaceReader(opts.wfs, opts.signal);
      const files = opts.files ?? await fs.list();
      const result = await proposeOrganizeImports({
        fs,
        files,
        maxBytes: opts.maxBytes,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
      return { ...result, filesScanned: files.length };
    },
  },
];

// ─── refactorings at a place in the code ────────────────────────────────────────────────────────

export interface RefactoringParams {
  rename: RenameParams;
  'extract-function': ExtractFunctionParams;
  move: MoveFileParams;
  'fix-all': FixAllParams;
  'inline-variable': InlineVariableParams;
  'remove-unused-export': RemoveUnusedExportParams;
}
export type RefactoringName = keyof RefactoringParams;

const LOADERS: { [N in RefactoringName]: () => Promise<Refactor<RefactoringParams[N]>> } = {
  rename: async () => (await import('./rename')).proposeRename,
  'extract-function': async () => (await import('./extract-function')).proposeExtractFunction,
  move: async () => (await import('./move-file')).proposeMoveFile,
  'fix-all': async () => (await import('./fix-all')).proposeFixAll,
  'inline-variable': async () => (await import('./inline-variable')).proposeInlineVariable,
  'remove-unused-export': async () => (await import('./remove-unused-export')).proposeRemoveUnusedExport,
};

export const REFACTORINGS = Object.keys(LOADERS) as RefactoringName[];

export async function proposeRefactoring<N extends RefactoringName>(
  core: RustyCore,
  name: N,
  params: RefactoringParams[N],
  opts: {
    signal?: AbortSignal; onProgress?: (done: number, total: number, file: string) => void;
    /** Who asks (the agent gateway sets `source: agent:<client>` and a priority) and as whom it is queued. */
    adjust?: (cs: ChangeSet) => ChangeSet; actor?: string;
  } = {},
): Promise<{ proposal: Proposal; existing: boolean }> {
  const load = LOADERS[name];
  if (!load) throw new RustyError('usage', `Unknown refactoring ${String(name)}; available: ${REFACTORINGS.join(', ')}.`);
  const project = await loadProject(core, `the ${name} refactoring`, opts);
  const refactor = await load();
  // The refactoring reads, cancels and reports through the core's port (rename & co. still read `signal`).
  const engine = createEngineContext(core.wfs, opts.signal ? { signal: opts.signal } : {});
  const changeSet = await refactor({ project, engine, ...(opts.signal ? { signal: opts.signal } : {}) }, params);
  if (!changeSet.edits.length) throw new RustyError('refused', 'The refactoring changes nothing here.');
  return core.submit(opts.adjust ? opts.adjust(changeSet) : changeSet, opts.actor ? { actor: opts.actor } : {});
}

/** What Extract Function can offer inside a function (extract-function/candidates.ts), before a name is asked for. */
export async function extractFunctionChoices(
  core: RustyCore, params: ExtractCandidatesParams, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number, file: string) => void } = {},
): Promise<ExtractCandidatesResult> {
  const project = await loadProject(core, 'finding what Extract Function can take', opts);
  const { extractCandidates } = await import('./extract-function/candidates');
  return extractCandidates({ project, ...(opts.signal ? { signal: opts.signal } : {}) }, params);
}

/** The scopes TypeScript accepts a selected range into (innermost first), before anyone names anything. */
export async function extractFunctionScopes(
  core: RustyCore, params: { file: string; start: Position; end: Position },
  opts: { signal?: AbortSignal } = {},
): Promise<{ offered: { index: number; description: string }[]; reason?: string }> {
  const project = await loadProject(core, 'finding where Extract Function can put the new function', opts);
  const { extractRangeScopes } = await import('./extract-function/candidates');
  return extractRangeScopes({ project, ...(opts.signal ? { signal: opts.signal } : {}) }, params);
}

/** The workspace as a ts-morph project, read through the core's WorkspaceFs (unsaved editor text wins). */
async function loadProject(
  core: RustyCore, what: string, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number, file: string) => void },
): Promise<WorkspaceProject> {
  const { WorkspaceProject } = await import('../ts/workspaceProject');
  return WorkspaceProject.load({
    fs: workspaceReader(core.wfs, opts.signal),
    maxBytes: core.settings.maxFileSizeMB * 1024 * 1024,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  }).catch((err: unknown) => {
    if (isCancellation(err, opts.signal)) throw cancelled(what);
    throw err;
  });
}
