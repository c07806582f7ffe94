// The workspace as the core sees it. The Node adapter writes to disk durably; the VS Code adapter
// (extension) reads unsaved editor text and writes through WorkspaceEdit; the in-memory adapter
// serves tests. All three pass the same contract test.

export interface FileInfo { size: number; mode: number; isSymbolicLink: boolean; isFile: boolean }

export interface BatchOp {
  rel: string;
  bytes: Uint8Array | null;
  mode?: number;
  /**
   * This op is the new path of a rename whose old path is removed by another op of the batch.
   * Adapters may move the file (so an open editor follows it); writing + removing is also correct.
   */
  renamedFrom?: string;
}

export interface WorkspaceFs {
  /** Absolute real path of the workspace root. */
  readonly root: string;
  /** Current bytes (unsaved editor text where the adapter knows it); undefined when absent. */
  read(rel: string): Promise<Uint8Array | undefined>;
  stat(rel: string): Promise<FileInfo | undefined>;
  /** Write all bytes or none: a temp file tagged `tag`, fsynced, renamed into place. */
  writeAtomic(rel: string, bytes: Uint8Array, opts: { tag: string; mode?: number }): Promise<void>;
  remove(rel: string): Promise<void>;
  /**
   * Put many files in place at once: every new file is first written and fsynced beside its
   * target (temp files tagged `tag`), then each is renamed into place (or removed) in order, then
   * each touched folder is fsynced once. Each file is atomic; the journal makes the set atomic.
   */
  applyBatch(ops: BatchOp[], opts: { tag: string; onEach?: (done: number, total: number, rel: string) => void }): Promise<void>;
  /** Remove a folder if it is empty (used to undo folders a transaction created). */
  removeEmptyDir(rel: string): Promise<void>;
  /** Remove a temp file a crashed write with this tag may have left next to `rel`. */
  removeTemp(rel: string, tag: string): Promise<void>;
  /**
   * Resolve `rel` to an absolute path and check it stays inside the root once symlinks are
   * followed. Returns a reason when it does not.
   */
  containmentProblem(rel: string): Promise<string | undefined>;
  /**
   * Why writing or removing the file `rel` right now would be refused, or undefined: a folder on
   * its path is a symbolic link leading outside the root, or is a file; or `rel` itself is a
   * symbolic link (never written through, replaced or removed) or a folder. Every write, removal
   * and rename of an adapter makes this check at the moment of the operation and throws a
   * `path-refused` RustyError, writing nothing at that path.
   */
  writeProblem(rel: string): Promise<string | undefined>;
  /**
   * Every file path the adapter holds, for a workspace that is not on disk (the in-memory adapter).
   * Adapters over the disk leave it out: listing walks the folder (workspace/listFiles.ts).
   */
  allFiles?(): Promise<string[]>;
  /**
   * The files whose text in the editor differs from the disk (workspace-relative → text): what a
   * compiler that reads the disk itself (the native TypeScript engine) must lay over it. Adapters
   * without an editor leave it out.
   */
  unsavedTexts?(): ReadonlyMap<string, string>;
}
