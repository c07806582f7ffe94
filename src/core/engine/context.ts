// EngineContext: the one way an engine reads files, cancels and reports progress (DESIGN.md,
// convention 11). It reads through the WorkspaceFs port, so unsaved editor text wins in VS Code and
// every engine test can run on the in-memory filesystem. New engines (the AI agent loop, code mode,
// test generation) take it from the start; older engines move onto it (issue 16).
import type { WorkspaceFs, FileInfo } from '../ports/workspaceFs';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { listFilesFrom, listWorkspaceFiles, type ListWorkspaceFilesOptions } from '../workspace/listFiles';
import { RustyError } from '../util/errors';
import { relPathProblem } from '../proposals/paths';

export interface EngineProgress {
  /** `done` of `total` units of `what` (files, rounds, …); `total` undefined when unknown. */
  report(what: string, done: number, total?: number): void;
}

export interface WorkspaceReader {
  /** Absolute real path of the workspace root. */
  readonly root: string;
  /** Current bytes of a workspace-relative file; undefined when absent. */
  read(rel: string): Promise<Uint8Array | undefined>;
  stat(rel: string): Promise<FileInfo | undefined>;
  /** The port mirrors a folder on disk (false for the in-memory workspace): the compiler may look there too. */
  readonly onDisk: boolean;
  /** Workspace-relative files ('/'-separated, sorted), honouring .gitignore; never follows links. */
  list(opts?: Omit<ListWorkspaceFilesOptions, 'signal'>): Promise<string[]>;
  /** The files with unsaved editor text (workspace-relative → text), when the port has an editor. */
  unsaved?(): ReadonlyMap<string, string> | Promise<ReadonlyMap<string, string>>;
}

export interface EngineContext {
  readonly fs: WorkspaceReader;
  readonly signal: AbortSignal | undefined;
  readonly progress: EngineProgress;
  /** Throws a 'cancelled' RustyError when the signal fired; otherwise yields to the event loop every ~10 ms. */
  tick(): Promise<void>;
}

const NO_PROGRESS: EngineProgress = { report: () => undefined };

/** The one cancellation error of the engines: `what` names the work that stopped ("the analysis", "Rename"). */
export function cancelled(what = 'The operation'): RustyError {
  return new RustyError('cancelled', `Cancelled: ${what} stopped; nothing was written.`);
}

export function throwIfCancelled(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw cancelled(what);
}

/** The signal fired, or the error is an AbortError / a 'cancelled' error from below. */
export function isCancellation(err: unknown, signal?: AbortSignal): boolean {
  return !!signal?.aborted || (err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'cancelled'));
}

/** Runs `fn`; an AbortError from a helper (listing, ts-morph loading) becomes `cancelled(what)`. */
export async function guardCancel<T>(signal: AbortSignal | undefined, fn: () => Promise<T>, what?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (signal?.aborted || (err instanceof Error && err.name === 'AbortError')) throw cancelled(what);
    throw err;
  }
}

/** Gives the event loop one turn (so the extension host stays responsive and Ctrl-C gets in). */
export function yieldNow(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * The one yielding loop: call it between units of work. Throws `cancelled(what)` when the signal
 * fired; otherwise yields to the event loop when `everyMs` passed since the last turn (or `force`).
 */
export function ticker(signal: AbortSignal | undefined, what?: string, everyMs = 10): (force?: boolean) => Promise<void> {
  let last = Date.now();
  return async (force = false) => {
    throwIfCancelled(signal, what);
    if (!force && Date.now() - last < everyMs) return;
    await yieldNow();
    last = Date.now();
    throwIfCancelled(signal, what);
  };
}

/** A reader over the WorkspaceFs port that refuses paths escaping the root. */
export function workspaceReader(wfs: WorkspaceFs, signal?: AbortSignal): WorkspaceReader {
  const check = (rel: string): void => {
    const problem = relPathProblem(rel);
    if (problem) throw new RustyError('path-refused', `${JSON.stringify(rel)} ${problem}.`);
  };
  return {
    root: wfs.root,
    onDisk: !wfs.allFiles,
    read: async (rel) => { check(rel); return wfs.read(rel); },
    stat: async (rel) => { check(rel); return wfs.stat(rel); },
    list: async (opts = {}) => {
      const o = { ...opts, ...(signal ? { signal } : {}) };
      return wfs.allFiles ? listFilesFrom(await wfs.allFiles(), (rel) => wfs.read(rel), o) : listWorkspaceFiles(wfs.root, o);
    },
    ...(wfs.unsavedTexts ? { unsaved: () => wfs.unsavedTexts!() } : {}),
  };
}

/** Where an engine reads the workspace: the port (`fs`, EngineContext.fs), or a folder on disk (`root`: scripts, tests). */
export interface WorkspaceSource {
  /** The workspace through the WorkspaceFs port; `root` is then ignored. */
  fs?: WorkspaceReader;
  /** Absolute root of a workspace read from disk, when no `fs` is given. */
  root?: string;
}

/** The reader of an engine's options: their `fs`, else the disk under `root` through the Node adapter. */
export function readerOf(src: WorkspaceSource, signal?: AbortSignal): WorkspaceReader {
  if (src.fs) return src.fs;
  if (src.root === undefined) throw new RustyError('usage', 'Internal: an engine was called without a workspace (give fs or root).');
  return workspaceReader(new NodeWorkspaceFs(src.root), signal);
}

export function createEngineContext(wfs: WorkspaceFs, opts: { signal?: AbortSignal; progress?: EngineProgress } = {}): EngineContext {
  const { signal } = opts;
  const tick = ticker(signal);
  return {
    fs: workspaceReader(wfs, signal),
    signal,
    progress: opts.progress ?? NO_PROGRESS,
    tick: () => tick(),
  };
}

