// Run one refactoring by name on the workspace and queue its proposal. The project is loaded
// through the core's WorkspaceFs, so unsaved editor text (extension) is what gets refactored.
import type { RustyCore } from '../rustyCore';
import type { Proposal } from '../proposals/model';
import type { ChangeSet } from '../proposals/changeSet';
import type {
  ExtractFunctionParams, FixAllParams, InlineVariableParams, MoveFileParams, Refactor, RemoveUnusedExportParams, RenameParams,
} from './api';
import { WorkspaceProject } from '../ts/workspaceProject';
import { RustyError } from '../util/errors';
import { cancelled, isCancellation } from '../engine/context';

export interface RefactoringParams {
  rename: RenameParams;
  'extract-function': ExtractFunctionParams;
  move: MoveFileParams;
  'fix-all': FixAllParams;
  'inline-variable': InlineVariableParams;
  'remove-unused-export': RemoveUnusedExportParams;
}
export type RefactoringName = keyof RefactoringParams;

// Each refactoring loads on first use (its own chunk in the CLI bundle).
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
  const project = await WorkspaceProject.load({
    root: core.wfs.root,
    readFile: (rel) => core.wfs.read(rel),
    maxBytes: core.settings.maxFileSizeMB * 1024 * 1024,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  }).catch((err: unknown) => {
    if (isCancellation(err, opts.signal)) throw cancelled(`the ${name} refactoring`);
    throw err;
  });
  const refactor = await load();
  const changeSet = await refactor({ project, ...(opts.signal ? { signal: opts.signal } : {}) }, params);
  if (!changeSet.edits.length) throw new RustyError('refused', 'The refactoring changes nothing here.');
  return core.submit(opts.adjust ? opts.adjust(changeSet) : changeSet, opts.actor ? { actor: opts.actor } : {});
}
