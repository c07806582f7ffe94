// "Analyze Workspace" and what keeps its results current. Each analysed folder keeps its
// AnalysisSession (from the engines bundle) alive; an edit marks that file stale at once (its
// lenses hide, since their lines may have moved), then after a short pause the file is given to
// the session's incremental update — only it and, for diagnostics, its dependents are re-checked —
// and the findings are recomputed. Files changed on disk (an approved proposal, git, the CLI) come
// in through a file watcher the same way. Config changes (tsconfig, package.json) need a new
// "Analyze Workspace".
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analysisCacheExists } from '../../core/analysis/cacheFile';
import type { AnalysisSession } from '../../core/analysis/session';
import type { AnalysisReport, CodeFixes, DiagnosticEntry } from '../../core/analysis/types';
import type { NativeTsEngine } from '../../core/tsEngine/native';
import { describeCompiler, type CompilerInfo } from '../../core/tsEngine/types';
import { Views } from '../commands/ids';
import type { Container } from '../container';
import { loadEngines, type Engines } from '../workspace/loadEngines';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { describeSummary, findingsOf, summaryOf, type Findings, type FindingsSummary } from './findings';
import { readSuggestionSettings, SUGGESTION_SETTINGS_SECTION, type SuggestionSettings } from './settings';

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/i;
const NEVER_ANALYSED = /(?:^|\/)(?:node_modules|dist|out|build|coverage|\.git)\//;
const UPDATE_DELAY_MS = 400;

/** What "Analyze Workspace" returns to a caller (tests, other extensions). */
export interface AnalyzeCommandResult extends FindingsSummary {
  folder: string;
}

/** The whole project's diagnostics from its native compiler (`rusty.typescript.engine`): they replace the session's. */
export interface NativeDiagnostics {
  compiler: CompilerInfo;
  list: DiagnosticEntry[];
}

/** One analysed workspace folder. */
export class FolderAnalysis {
  report: AnalysisReport;
  findings: Findings;
  /** Files edited since their last analysis: their lenses are hidden until the update lands. */
  readonly stale = new Set<string>();
  /** Syntactic mode (large workspaces): semantic diagnostics of files looked at, computed on demand. */
  readonly semantic = new Map<string, DiagnosticEntry[]>();
  readonly semanticPending = new Set<string>();
  readonly timers = new Map<string, NodeJS.Timeout>();
  readonly analysedAt = new Date();

  /** Per code (`TS2322`), what TypeScript's fixes do here (the session's codeFixes). */
  codeFixes: Record<string, CodeFixes>;

  constructor(readonly ws: RustyWorkspace, readonly session: AnalysisSession, settings: SuggestionSettings, public native?: NativeDiagnostics) {
    this.report = this.compose();
    this.codeFixes = this.report.codeFixes ?? {};
    this.findings = findingsOf(this.report, settings, this.codeFixes);
  }

  recompute(settings: SuggestionSettings, fresh: boolean): void {
    if (fresh) this.report = this.compose();
    this.findings = findingsOf(this.report, settings, this.codeFixes, this.semantic);
  }

  /** The session's report, its diagnostics from the native compiler when it checks this folder; it names the compiler. */
  private compose(): AnalysisReport {
    const r = this.session.report();
    return this.native ? loadEngines().reportWithDiagnostics(r, this.native.list, this.native.compiler) : { ...r, compiler: { engine: 'bundled', version: r.summary.typescriptVersion } };
  }

  /** The diagnostics the code fixes are looked up for. */
  diagnostics(): readonly DiagnosticEntry[] | undefined {
    return this.native?.list;
  }

  summary(): FindingsSummary {
    return summaryOf(this.report, this.findings);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

export class AnalysisController implements vscode.Disposable {
  private readonly folders = new Map<string, FolderAnalysis>();
  private readonly running = new Map<string, Promise<AnalyzeCommandResult>>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private fixable: ReadonlySet<number> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Findings changed (new analysis, an update landed, a file went stale, settings changed). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly c: Container) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.fileChanged(e.document.uri);
      }),
      // Closing a file with unsaved edits drops them: the disk text is what counts again.
      vscode.workspace.onDidCloseTextDocument((doc) => this.fileChanged(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SUGGESTION_SETTINGS_SECTION)) return;
        for (const state of this.folders.values()) state.recompute(this.settings(state.ws), false);
        this.changed.fire();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const folder of e.removed) this.drop(folder.uri.toString());
        this.changed.fire();
      }),
    ];
  }

  settings(ws: RustyWorkspace): SuggestionSettings {
    const cfg = vscode.workspace.getConfiguration(SUGGESTION_SETTINGS_SECTION, ws.folder.uri);
    return readSuggestionSettings((key) => cfg.get(key));
  }

  get(ws: RustyWorkspace): FolderAnalysis | undefined {
    return this.folders.get(ws.folder.uri.toString());
  }

  /** Analysed folders, in workspace order. */
  all(): FolderAnalysis[] {
    return this.c.all().map((ws) => this.get(ws)).filter((s): s is FolderAnalysis => !!s);
  }

  /**
   * Analyse a folder (again). Concurrent calls for the same folder share one run. `quiet`: progress
   * in the status bar only and no notification (restoring the findings after a reload).
   */
  analyze(ws: RustyWorkspace, opts: { quiet?: boolean } = {}): Promise<AnalyzeCommandResult> {
    const key = ws.folder.uri.toString();
    let run = this.running.get(key);
    if (!run) {
      run = this.run(ws, !!opts.quiet).finally(() => this.running.delete(key));
      this.running.set(key, run);
    }
    return run;
  }

  /**
   * After a window reload: the folders an analysis ran in before (its cache is in the state folder)
   * are analysed again quietly. Unchanged files come from the cache (no parse, no type check), so
   * the Findings and lenses are back in a moment and stay incremental like after "Analyze Workspace".
   */
  async restore(): Promise<void> {
    for (const ws of this.c.all()) {
      if (this.get(ws) || this.running.has(ws.folder.uri.toString())) continue;
      try {
        const core = await ws.core();
        if (!analysisCacheExists(path.join(core.stateDir, 'analysis'))) continue;
        this.c.log.info(`Restoring the findings of ${ws.name} from its analysis cache.`);
        await this.analyze(ws, { quiet: true });
      } catch (err) {
        this.c.log.warn(`Restoring the findings of ${ws.name} failed (run "Rusty: Analyze Workspace"): ${(err as Error).message}`);
      }
    }
  }

  private async run(ws: RustyWorkspace, quiet: boolean): Promise<AnalyzeCommandResult> {
    if (!quiet) this.c.approvals.setBusy(`Analyzing ${ws.name}`);
    try {
      const location = quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
      const { session, native } = await vscode.window.withProgress({ location, title: `Rusty: ${quiet ? 'restoring the findings of' : 'Analyzing'} ${ws.name}`, cancellable: !quiet }, async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          progress.report({ message: 'loading the TypeScript engine…' });
          const engines = loadEngines();
          const core = await ws.core();
          // The project's native compiler checks (started first: it works in its own process while
          // the facts are computed here); the session then needs no type checker (syntactic mode).
          const nativeEngine = await this.nativeEngine(ws);
          const checking = nativeEngine?.projectDiagnostics(abort.signal);
          checking?.catch(() => undefined);
          let last = 0;
          const opened = await engines.AnalysisSession.open({
            // Unsaved editor text is what gets analysed (the editor's lines are what lenses sit on).
            fs: engines.workspaceReader(core.wfs, abort.signal),
            mode: nativeEngine ? 'syntactic' : 'auto',
            cacheDir: path.join(core.stateDir, 'analysis'),
            maxBytes: core.settings.maxFileSizeMB * 1024 * 1024,
            // Every function is listed; the thresholds are applied here, so changing them needs no new analysis.
            complexityThreshold: 1,
            linesThreshold: 1,
            signal: abort.signal,
            // Files, as the report counts them: read (a third of the bar), then type-checked.
            onProgress: (done, total, file, phase) => {
              const share = total ? done / total : 1;
              const pct = phase === 'reading' ? share * 33 : 33 + share * 67;
              progress.report({ increment: Math.max(0, pct - last), message: `${phase === 'reading' ? 'reading' : 'type-checking'} ${done}/${total} files · ${file}` });
              last = Math.max(last, pct);
            },
          });
          let native: NativeDiagnostics | undefined;
          if (nativeEngine && checking) {
            progress.report({ message: `type-checking with ${describeCompiler(nativeEngine.compiler)}…` });
            native = { compiler: nativeEngine.compiler, list: await checking };
          }
          progress.report({ message: 'looking for the diagnostics TypeScript can fix…' });
          await opened.codeFixes({ signal: abort.signal, ...(native ? { diagnostics: native.list } : {}) });
          return { session: opened, native };
        } finally {
          sub.dispose();
        }
      });
      const key = ws.folder.uri.toString();
      this.folders.get(key)?.dispose();
      const state = new FolderAnalysis(ws, session, this.settings(ws), native);
      this.folders.set(key, state);
      this.watch(ws);
      this.changed.fire();
      const summary = state.summary();
      const text = describeSummary(summary);
      this.c.log.info(`Analysis of ${ws.name}: ${text}`);
      for (const s of state.report.summary.skipped) this.c.log.info(`Analysis skipped ${s.file}: ${s.reason}`);
      if (!quiet) void vscode.window.showInformationMessage(`Rusty: ${text}`, 'Show Findings').then((pick) => {
        if (pick) void vscode.commands.executeCommand(`${Views.findings}.focus`);
      });
      return { folder: ws.folder.uri.fsPath, ...summary };
    } finally {
      if (!quiet) this.c.approvals.setBusy(undefined);
    }
  }

  /** The native compiler `rusty.typescript.engine` selects for the folder, or undefined (bundled; also when it cannot open, logged). */
  private async nativeEngine(ws: RustyWorkspace): Promise<NativeTsEngine | undefined> {
    try {
      return await ws.nativeTypeChecker();
    } catch (err) {
      this.c.log.warn(`The native TypeScript engine could not open for ${ws.name}; the analysis uses the bundled TypeScript: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Codes TypeScript registers a code fix for: for diagnostics no analysis has looked at (the analysis decides the others). */
  private async fixableCodes(engines: Engines): Promise<ReadonlySet<number>> {
    if (!this.fixable) {
      const { ts } = await engines.loadTsMorph();
      this.fixable = new Set(ts.getSupportedCodeFixes().map(Number).filter(Number.isInteger));
    }
    return this.fixable;
  }

  /** Known fixable codes, once any analysis ran (loads TypeScript otherwise). */
  async fixableCodeSet(): Promise<ReadonlySet<number>> {
    return this.fixable ?? this.fixableCodes(loadEngines());
  }

  /** Syntactic mode: the semantic diagnostics of a file someone looks at, computed once per version. */
  ensureSemantic(state: FolderAnalysis, rel: string): void {
    if (state.report.summary.mode !== 'syntactic' || state.semantic.has(rel) || state.semanticPending.has(rel)) return;
    if (!state.report.summary.files) return;
    state.semanticPending.add(rel);
    state.session.semanticDiagnostics(rel).then(
      async (list) => {
        const fixes = await state.session.codeFixes({ diagnostics: list }).catch(() => undefined);
        if (this.folders.get(state.ws.folder.uri.toString()) !== state) return;
        if (fixes) state.codeFixes = fixes;
        state.semantic.set(rel, list);
        state.recompute(this.settings(state.ws), false);
        this.changed.fire();
      },
      () => undefined, // not part of any program: nothing to add
    ).finally(() => state.semanticPending.delete(rel));
  }

  private watch(ws: RustyWorkspace): void {
    const key = ws.folder.uri.toString();
    if (this.watchers.has(key)) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(ws.folder, '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'));
    const onDisk = (uri: vscode.Uri) => {
      // An open file with unsaved edits is analysed from the editor, not from disk.
      if (vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.toString() === uri.toString())) return;
      // Re-analysed without hiding first: a watcher event can arrive late, for a write the analysis
      // already read, and an open file that really changed on disk is reloaded by the editor, whose
      // change event hides its lenses at once.
      this.fileChanged(uri, false);
    };
    this.watchers.set(key, vscode.Disposable.from(watcher, watcher.onDidChange(onDisk), watcher.onDidCreate(onDisk), watcher.onDidDelete(onDisk)));
  }

  /** A source file changed (editor or disk): hide its lenses now (`hide`), re-analyse it shortly. */
  private fileChanged(uri: vscode.Uri, hide = true): void {
    if (uri.scheme !== 'file' || !SOURCE_FILE.test(uri.path)) return;
    const ws = this.c.workspaceFor(uri);
    const state = ws && this.get(ws);
    const rel = ws?.rel(uri);
    if (!state || !rel || NEVER_ANALYSED.test(rel)) return;
    if (hide && !state.stale.has(rel)) {
      state.stale.add(rel);
      this.changed.fire();
    }
    const pending = state.timers.get(rel);
    if (pending) clearTimeout(pending);
    state.timers.set(rel, setTimeout(() => {
      state.timers.delete(rel);
      void this.update(state, rel);
    }, UPDATE_DELAY_MS));
  }

  private async update(state: FolderAnalysis, rel: string): Promise<void> {
    const uri = state.ws.uri(rel);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const version = doc?.version;
    try {
      const core = await state.ws.core();
      const result = await state.session.update(rel, await core.wfs.read(rel));
      // On the native compiler the whole project is checked again (its warm engine sees the unsaved text).
      if (result.changed && state.native) {
        const engine = await this.nativeEngine(state.ws);
        if (engine) state.native = { compiler: engine.compiler, list: await engine.projectDiagnostics() };
        else this.c.log.warn(`The native TypeScript engine is no longer selected for ${state.ws.name}: its diagnostics are from the last check until "Analyze Workspace".`);
      }
      // Codes new since the analysis are looked at (the others keep their verdict).
      const fixes = result.changed ? await state.session.codeFixes({ ...(state.native ? { diagnostics: state.native.list } : {}) }).catch(() => undefined) : undefined;
      if (this.folders.get(state.ws.folder.uri.toString()) !== state) return; // analysed anew meanwhile
      if (fixes) state.codeFixes = fixes;
      if (result.changed) {
        state.semantic.clear();
        state.recompute(this.settings(state.ws), true);
      }
      // Still the text that was analysed (no edit while the update ran): the lenses are current.
      if (!state.timers.has(rel) && (!doc || doc.isClosed || doc.version === version)) state.stale.delete(rel);
      this.changed.fire();
    } catch (err) {
      this.c.log.warn(`Re-analysing ${rel} failed (its suggestions stay hidden until "Analyze Workspace"): ${(err as Error).message}`);
    }
  }

  private drop(key: string): void {
    this.folders.get(key)?.dispose();
    this.folders.delete(key);
    this.watchers.get(key)?.dispose();
    this.watchers.delete(key);
  }

  dispose(): void {
    for (const key of [...this.folders.keys()]) this.drop(key);
    for (const s of this.subscriptions) s.dispose();
  }
}
