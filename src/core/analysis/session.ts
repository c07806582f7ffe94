// A workspace analysis that stays alive: open it once (full, or syntactic for large workspaces),
// then tell it when a file changes and only that file and the files that depend on it are
// re-analysed — the program is updated, never reloaded. Everything is keyed by content (cache.ts),
// so reopening an unchanged workspace with a disk cache does no parsing and no type checking.
// The session coordinates its parts, each with one job: discovery.ts (files, texts, facts),
// caching.ts (keys, the disk cache), linking.ts (imports, graph, entries), checking.ts (type
// check, code fixes), updates.ts (a file changed), reporting.ts (the report); state.ts is what
// they share.
import { readerOf } from '../engine/context';
import { AnalysisCache } from './cache';
import { lockStamp, persist } from './caching';
import { checkAll, codeFixesRecord, probeFixes, semanticDiagnostics } from './checking';
import { discover, loadFacts, readPackageJsons } from './discovery';
import { findEntries, linkAll } from './linking';
import { buildReport } from './reporting';
import { DEFAULT_MAX_BYTES, normalizeRel, SessionState, type AnalysisOptions, type SessionStats } from './state';
import { loadTypeScript } from './typescript';
import { applyUpdate, type UpdateResult } from './updates';
import type { AnalysisMode, AnalysisReport, CodeFixes, DiagnosticEntry } from './types';

export type { AnalysisOptions, AnalysisPhase, SessionStats } from './state';
export type { UpdateResult } from './updates';

const AUTO_FULL_MAX_BYTES = 40 * 1024 * 1024;

export class AnalysisSession {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly s: SessionState) {}

  get stats(): SessionStats {
    return this.s.stats;
  }

  get root(): string {
    return this.s.root;
  }

  get mode(): AnalysisMode {
    return this.s.mode;
  }

  static async open(opts: AnalysisOptions): Promise<AnalysisSession> {
    const started = performance.now();
    const ts = await loadTypeScript();
    const reader = readerOf(opts);
    const found = await discover(ts, reader, opts);
    const mode: AnalysisMode = opts.mode === 'full' || opts.mode === 'syntactic' ? opts.mode : found.totalBytes > (opts.autoFullMaxBytes ?? AUTO_FULL_MAX_BYTES) ? 'syntactic' : 'full';
    const s = new SessionState(ts, reader.root, mode, found.units, opts, AnalysisCache.open(opts.cacheDir), lockStamp(reader.root), reader);
    // The lib .d.ts files are for the type checker: the syntactic mode loads them on first demand.
    if (mode === 'full') await s.loadLibs();
    await readPackageJsons(s, found.packageJsonRels);
    await loadFacts(s, found.all, found.owner, found.bytes, opts.maxBytes ?? DEFAULT_MAX_BYTES);
    found.bytes.clear(); // the texts are kept; the raw bytes would only weigh on the type check's memory
    linkAll(s);
    s.entries = findEntries(s);
    if (mode === 'full') await checkAll(s);
    persist(s);
    s.durationMs = Math.round(performance.now() - started);
    s.signal = undefined; // the signal was for opening; later calls take their own
    return new AnalysisSession(s);
  }

  /**
   * Semantic diagnostics of one file, on demand (the syntactic mode's second step; in full mode
   * they are already known). Loads the file's program on first use.
   */
  semanticDiagnostics(rel: string, opts: { signal?: AbortSignal } = {}): Promise<DiagnosticEntry[]> {
    return this.serial(opts.signal, () => semanticDiagnostics(this.s, rel));
  }

  /**
   * Which of the codes in `diagnostics` (default: the report's) TypeScript can fix here, asking
   * its language service at the first few diagnostics of each code not decided yet (codeFixes.ts).
   * The report lists them (`codeFixes`) from then on.
   */
  codeFixes(opts: { diagnostics?: readonly DiagnosticEntry[]; signal?: AbortSignal } = {}): Promise<Record<string, CodeFixes>> {
    return this.serial(undefined, async () => {
      await probeFixes(this.s, opts.diagnostics ?? this.report().diagnostics, opts.signal);
      return codeFixesRecord(this.s);
    });
  }

  /**
   * A file changed (saved, typed, created; `bytes` undefined = deleted). Re-analyses that file and,
   * in full mode, type-checks it again with every file that depends on it — and nothing else.
   */
  update(rel: string, bytes: Uint8Array | undefined, opts: { signal?: AbortSignal } = {}): Promise<UpdateResult> {
    return this.serial(opts.signal, () => applyUpdate(this.s, rel, bytes));
  }

  /** Files that import `rel`, directly or through others. */
  dependents(rel: string): string[] {
    return [...this.s.graph.dependents(normalizeRel(rel))].sort();
  }

  /** Save the disk cache (done after opening; call it after a batch of updates if you like). */
  persist(): void {
    persist(this.s);
  }

  report(): AnalysisReport {
    return buildReport(this.s);
  }

  /** One update or on-demand check at a time, each under its own signal: each sees the state the previous one left. */
  private serial<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const withSignal = async () => {
      this.s.signal = signal;
      try {
        return await fn();
      } finally {
        this.s.signal = undefined;
      }
    };
    const run = this.queue.then(withSignal, withSignal);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Analyse a workspace once and return the report. */
export async function analyzeWorkspace(opts: AnalysisOptions): Promise<AnalysisReport> {
  return (await AnalysisSession.open(opts)).report();
}
