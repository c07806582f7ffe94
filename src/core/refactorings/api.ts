// The refactorings every front end (CLI, VS Code, agents) calls. Each lives in its own folder
// (src/core/refactorings/<name>/index.ts) and follows the same rules:
// - it works on a WorkspaceProject (src/core/ts/workspaceProject.ts) and never writes: it returns
//   a change set (`project.changedEdits()` after editing in memory, or edits it builds itself);
// - lines and columns are 1-based, as people and editors count them;
// - when the refactoring would be wrong it throws RustyError('refused', reason) with a reason a
//   person can act on (invalid identifier, name collision, not an expression, …);
// - it honours `signal` between expensive steps (throw RustyError('cancelled', …)).
import type { ChangeSet } from '../proposals/changeSet';
import type { WorkspaceProject } from '../ts/workspaceProject';
import { ticker, type EngineContext } from '../engine/context';

export interface Position { line: number; column: number }

export interface RefactoringContext {
  project: WorkspaceProject;
  /** Reads, cancellation and progress (EngineContext); default: the project's reader and `signal`. */
  engine?: EngineContext;
  /** The cancellation signal when no `engine` is given. */
  signal?: AbortSignal;
}

/** The cancellation signal of a refactoring: its EngineContext's, else `signal`. */
export function signalOf(ctx: RefactoringContext): AbortSignal | undefined {
  return ctx.engine?.signal ?? ctx.signal;
}

/** The EngineContext a refactoring reads, cancels and reports through; `what` names it in the cancel message. */
export function engineOf(ctx: RefactoringContext, what: string): EngineContext {
  const signal = signalOf(ctx);
  const tick = ticker(signal, what);
  return {
    fs: ctx.engine?.fs ?? ctx.project.fs,
    signal,
    progress: ctx.engine?.progress ?? { report: () => undefined },
    tick: () => tick(),
  };
}

export interface RenameParams { file: string; at: Position; newName: string; inComments?: boolean; inStrings?: boolean }
export interface ExtractFunctionParams { file: string; start: Position; end: Position; name: string; /** 'module' (default) or the enclosing function/class scope's index as offered by TS (0 = innermost). */ scope?: 'module' | number }
export interface MoveFileParams { from: string; to: string }
export interface FixAllParams { code: number; file?: string }
export interface InlineVariableParams { file: string; at: Position }
export interface RemoveUnusedExportParams { file: string; name: string }

export type Refactor<P> = (ctx: RefactoringContext, params: P) => Promise<ChangeSet>;
