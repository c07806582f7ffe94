// What an analysis session holds, shared by its parts (discovery, caching, linking, checking,
// updates, reporting): the files with their texts and facts, the tsconfig units and their
// programs, the module graph, the diagnostics found so far, progress and cancellation.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { throwIfCancelled as throwIfCancelledIn, ticker, type WorkspaceReader, type WorkspaceSource } from '../engine/context';
import type { AnalysisCache } from './cache';
import type { ConfigUnit } from './configs';
import type { FileDiagnostic } from './diagnostics';
import type { EntryResult } from './entries';
import type { FileFacts } from './facts';
import { ModuleGraph } from './graph';
import { AnalysisProgram, loadLibFiles, type LibFiles } from './program';
import type { ModuleResolver } from './resolver';
import type { FileRole, UsageResult } from './usage';
import type { AnalysisMode, CodeFixes, DiagnosticEntry } from './types';

export type Ts = typeof TsNamespace;

export type AnalysisPhase = 'reading' | 'checking';

/** The workspace (`fs`: reads, listing and configs through the port; or `root` on disk) and what to do. */
export interface AnalysisOptions extends WorkspaceSource {
  /** Workspace-relative root tsconfig/jsconfig; default tsconfig.json, else jsconfig.json, else none. */
  tsconfig?: string;
  /**
   * 'full': diagnostics with the type checker. 'syntactic': everything else plus parse errors,
   * semantic diagnostics on demand per file (`semanticDiagnostics`). 'auto' (default): full unless
   * the sources exceed `autoFullMaxBytes`.
   */
  mode?: AnalysisMode | 'auto';
  autoFullMaxBytes?: number;
  /** Entry points (workspace-relative files or globs); default from package.json, tsconfig, conventions. */
  entries?: string[];
  /** Hot spots: complexity at or over this (default 10), or at least this many lines (default 80). */
  complexityThreshold?: number;
  linesThreshold?: number;
  /** Folder for the on-disk cache (the core's state folder); none = memory only. */
  cacheDir?: string;
  /** Larger files are left out (default 5 MB). */
  maxBytes?: number;
  signal?: AbortSignal;
  /**
   * Files done of the files the report counts (`summary.files`: the programs' files), the file
   * being worked on, and the step: 'reading' (parse), then in full mode 'checking' (type check),
   * each counting from what the cache already holds.
   */
  onProgress?: (done: number, total: number, file: string, phase: AnalysisPhase) => void;
}

export interface SessionStats {
  /** Files whose facts were computed (parsed and walked) rather than taken from the cache. */
  parsed: number;
  /** Files type-checked rather than taken from the cache. */
  checked: number;
}

export interface FileState {
  rel: string;
  /** Index of the unit that owns it, or whose options resolve its imports (test files outside any program). */
  unit: number;
  /** Owned by a program (diagnostics, hot spots, unused) — else only a user of what it imports. */
  inProgram: boolean;
  role: FileRole;
  /** The text (LF, no BOM): what is parsed, for the facts and for the checker. */
  text: string;
  hash: string;
  facts: FileFacts;
  importTargets: (string | undefined)[];
  reExportTargets: (string | undefined)[];
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const YIELD_EVERY_MS = 25;
const WHAT = 'the analysis';

export class SessionState {
  readonly stats: SessionStats = { parsed: 0, checked: 0 };
  readonly files = new Map<string, FileState>();
  readonly graph = new ModuleGraph();
  readonly programs: (AnalysisProgram | undefined)[] = [];
  /** Files the editor deleted: never read from disk by a program. */
  readonly deleted = new Set<string>();
  resolvers: ModuleResolver[] = [];
  readonly fileDiags = new Map<string, { key: string; list: FileDiagnostic[] }>();
  readonly programDiags = new Map<number, { key: string; list: DiagnosticEntry[] }>();
  /** Per unit, the hash of what reaches every file (options, globals, lockfiles); see caching.ts. */
  unitBase: string[] = [];
  /** Per file, the hash of everything its type check can see. */
  closure = new Map<string, string>();
  entries: EntryResult = { entries: [], from: 'none' };
  usage: UsageResult | undefined;
  skipped: { file: string; reason: string }[] = [];
  packageJsons: { rel: string; json: unknown }[] = [];
  durationMs = 0;
  /** Code fixes per code, once asked for; a code keeps its verdict for the session. */
  readonly fixes = new Map<number, CodeFixes>();
  /** While loading, parsing a file is progress; later (a program rebuilt for a check) it is not. */
  parsing = false;
  private libs: LibFiles | undefined;
  /** Program files done in the current phase, of all program files (the report's `files`). */
  private progressDone = 0;
  private progressTotal = 0;
  private phase: AnalysisPhase = 'reading';
  private signalNow: AbortSignal | undefined;
  private tickNow: () => Promise<void> = async () => undefined;

  constructor(
    readonly ts: Ts,
    readonly root: string,
    readonly mode: AnalysisMode,
    public units: ConfigUnit[],
    readonly opts: AnalysisOptions,
    readonly cache: AnalysisCache,
    readonly lockStamp: string,
    readonly reader: WorkspaceReader,
  ) {
    this.signal = opts.signal;
  }

  /** The signal of the work in progress (opening, one update, one on-demand check). */
  get signal(): AbortSignal | undefined {
    return this.signalNow;
  }

  set signal(signal: AbortSignal | undefined) {
    this.signalNow = signal;
    this.tickNow = ticker(signal, WHAT, YIELD_EVERY_MS);
  }

  abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
  }

  rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  async loadLibs(): Promise<void> {
    this.libs ??= await loadLibFiles();
  }

  /** The unit's program over the texts the analysis holds (other files, such as packages' .d.ts, from disk). */
  program(u: number): AnalysisProgram {
    let p = this.programs[u];
    if (!p) {
      const unit = this.units[u]!;
      if (!this.libs) throw new Error('internal: the lib files are loaded before any program');
      p = new AnalysisProgram(this.ts, this.root, unit.options, unit.rootNames, unit.errors, this.libs, {
        text: (abs) => this.files.get(this.rel(abs))?.text,
        isDeleted: (abs) => this.deleted.has(this.rel(abs)),
        hasDir: (abs) => { const prefix = `${this.rel(abs)}/`; return [...this.files.keys()].some((f) => f.startsWith(prefix)); },
        onParse: (abs) => {
          const rel = this.rel(abs);
          // Counted once: files whose facts came from the cache were counted as done already.
          if (this.parsing && this.files.get(rel)?.facts === undefined) this.progress(rel);
        },
      });
      this.programs[u] = p;
    }
    return p;
  }

  // ─── progress and cancellation ────────────────────────────────────────────────────────────

  /** A new phase: `done` of the program files need no work (the cache had them). */
  startPhase(phase: AnalysisPhase, pending: number): void {
    this.phase = phase;
    this.progressTotal = this.programFileCount();
    this.progressDone = this.progressTotal - pending;
  }

  /** A file's step is done; only the programs' files count (test files outside them are read, not counted). */
  progress(file: string): void {
    if (!this.files.get(file)?.inProgram) return;
    this.progressDone = Math.min(this.progressDone + 1, this.progressTotal);
    this.opts.onProgress?.(this.progressDone, this.progressTotal, file, this.phase);
  }

  private programFileCount(): number {
    let n = 0;
    for (const f of this.files.values()) if (f.inProgram) n++;
    return n;
  }

  /** Give the event loop a turn now and then (so Ctrl-C can abort), and honour the signal. */
  tick(): Promise<void> {
    return this.tickNow();
  }

  throwIfCancelled(): void {
    throwIfCancelled(this.signal);
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  throwIfCancelledIn(signal, WHAT);
}

export function normalizeRel(rel: string): string {
  return rel.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}
