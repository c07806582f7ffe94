// The embedded engines: deterministic, offline, no key. Each loads lazily (ts-morph is heavy).
import type { ChangeSet } from '../proposals/changeSet';
import type { WorkspaceFs } from '../ports/workspaceFs';

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
      const { listWorkspaceFiles } = await import('../workspace/listFiles');
      const files = opts.files ?? await listWorkspaceFiles(opts.wfs.root, { signal: opts.signal });
      const result = await proposeOrganizeImports({
        root: opts.wfs.root,
        files,
        readFile: (rel) => opts.wfs.read(rel),
        maxBytes: opts.maxBytes,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
      return { ...result, filesScanned: files.length };
    },
  },
];
