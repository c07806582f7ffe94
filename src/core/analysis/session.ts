// A workspace analysis that stays alive: open it once (full, or syntactic for large workspaces),
// then tell it when a file changes and only that file and the files that depend on it are
// re-analysed — the program is updated, never reloaded. Everything is keyed by content (cache.ts),
// so reopening an unchanged workspace with a disk cache does no parsing and no type checking.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { ts as TsNamespace } from 'ts-morph';
import { RustyError } from '../util/errors';
import { cancelled, guardCancel, readerFor, throwIfCancelled as throwIfCancelledIn, yieldNow, type WorkspaceReader } from '../engine/context';
import { readConfigFiles } from '../engine/configFiles';
import { sha256 } from '../util/hash';
import { normalize } from '../util/text';
import { DEFAULT_SOURCE_PATTERNS } from '../workspace/listFiles';
import { AnalysisCache } from './cache';
import { discoverUnits, isAnalysable, type ConfigUnit } from './configs';
import { PROBE_FILES, probeCodeFixes } from './codeFixes';
import { checkFile, compareDiagnostics, programLevelDiagnostics, type FileDiagnostic } from './diagnostics';
import { findEntries, TEST_FILE, TOOL_CONFIG_FILE, type EntryResult } from './entries';
import { extractFacts, FACTS_VERSION, type FileFacts } from './facts';
import { ModuleGraph, type Edge } from './graph';
import { ModuleResolver } from './resolver';
import { AnalysisProgram, loadLibFiles, type LibFiles } from './program';
import { loadTypeScript } from './typescript';
import { analyzeUsage, type FileRole, type LinkedFile, type UsageResult } from './usage';
import { ANALYSIS_SCHEMA_VERSION, type CodeFixes, type AnalysisMode, type AnalysisReport, type DiagnosticEntry, type FunctionEntry } from './types';

type Ts = typeof TsNamespace;

export interface AnalysisOptions {
  /** Absolute workspace root. */
  root: string;
  /** Current bytes of a workspace-relative file (unsaved editor text where known); default: disk. */
  readFile?: (rel: string) => Promise<Uint8Array | undefined>;
  /** The workspace through the WorkspaceFs port (EngineContext.fs): reads, listing and configs; `root` and `readFile` are then ignored. */
  fs?: WorkspaceReader;
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

export type AnalysisPhase = 'reading' | 'checking';

export interface SessionStats {
  /** Files whose facts were computed (parsed and walked) rather than taken from the cache. */
  parsed: number;
  /** Files type-checked rather than taken from the cache. */
  checked: number;
}

export interface UpdateResult {
  /** false when the bytes were the same as before (or the file is not part of any program). */
  changed: boolean;
  /** Files whose facts were recomputed: the changed one. */
  reparsed: string[];
  /** Files type-checked again: the changed one and those that depend on it (full mode). */
  rechecked: string[];
}

interface FileState {
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

/** What listWorkspaceFiles leaves out by default: declaration files are not sources. */
const DECLARATION_FILES = ['**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/*.d.*.ts'];
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const AUTO_FULL_MAX_BYTES = 40 * 1024 * 1024;
const YIELD_EVERY_MS = 25;
const WHAT = 'the analysis';
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb', 'node_modules/.package-lock.json', 'node_modules/.modules.yaml'];

export class AnalysisSession {
  readonly stats: SessionStats = { parsed: 0, checked: 0 };
  private readonly files = new Map<string, FileState>();
  private readonly graph = new ModuleGraph();
  private readonly programs: (AnalysisProgram | undefined)[] = [];
  private readonly deleted = new Set<string>();
  private resolvers: ModuleResolver[] = [];
  private readonly fileDiags = new Map<string, { key: string; list: FileDiagnostic[] }>();
  private readonly programDiags = new Map<number, { key: string; list: DiagnosticEntry[] }>();
  private unitBase: string[] = [];
  private closure = new Map<string, string>();
  private entries: EntryResult = { entries: [], from: 'none' };
  private usage: UsageResult | undefined;
  private skipped: { file: string; reason: string }[] = [];
  private packageJsons: { rel: string; json: unknown }[] = [];
  private durationMs = 0;
  /** Code fixes per code, once asked for; a code keeps its verdict for the session. */
  private readonly fixes = new Map<number, CodeFixes>();
  private lastYield = Date.now();
  /** Program files done in the current phase, of all program files (the report's `files`). */
  private progressDone = 0;
  private progressTotal = 0;
  private phase: AnalysisPhase = 'reading';
  private signal: AbortSignal | undefined;
  private onProgress: AnalysisOptions['onProgress'];

  private constructor(
    private readonly ts: Ts,
    readonly root: string,
    readonly mode: AnalysisMode,
    private units: ConfigUnit[],
    private readonly opts: AnalysisOptions,
    private readonly cache: AnalysisCache,
    private readonly lockStamp: string,
    private readonly reader: WorkspaceReader,
  ) {
    this.signal = opts.signal;
    this.onProgress = opts.onProgress;
  }

  static async open(opts: AnalysisOptions): Promise<AnalysisSession> {
    const started = performance.now();
    const ts = await loadTypeScript();
    const reader = opts.fs ?? readerFor(opts.root, opts.readFile);
    const root = reader.root;
    throwIfCancelled(opts.signal);
    const units = await guard(opts.signal, async () => discoverUnits(ts, root, opts.tsconfig, opts.signal, [], await readConfigFiles(reader)));
    const owner = new Map<string, number>();
    units.forEach((u, i) => u.files.forEach((f) => owner.set(f, i)));
    // Tests and tool configs a tsconfig leaves out still count as users of what they import.
    // One walk of the workspace for both: sources (declaration files left out, as by default) and package.json files.
    const listed = await guard(opts.signal, () => reader.list({ patterns: [...DEFAULT_SOURCE_PATTERNS, '**/package.json'], ignore: DECLARATION_FILES }));
    const isPackageJson = (f: string) => f === 'package.json' || f.endsWith('/package.json');
    const packageJsonRels = listed.filter(isPackageJson);
    const users = listed.filter((f) => !isPackageJson(f) && !owner.has(f) && isAnalysable(f) && (TEST_FILE.test(f) || TOOL_CONFIG_FILE.test(f)));

    const read = (rel: string) => reader.read(rel);
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const all = [...owner.keys(), ...users];
    const bytes = await readAll(all, read, opts.signal);
    let total = 0;
    for (const b of bytes.values()) total += b?.byteLength ?? 0;
    const mode: AnalysisMode = opts.mode === 'full' || opts.mode === 'syntactic' ? opts.mode : total > (opts.autoFullMaxBytes ?? AUTO_FULL_MAX_BYTES) ? 'syntactic' : 'full';

    const session = new AnalysisSession(ts, root, mode, units, opts, AnalysisCache.open(opts.cacheDir), lockStamp(root), reader);
    // The lib .d.ts files are for the type checker: the syntactic mode loads them on first demand.
    if (mode === 'full') await session.loadLibs();
    const packageJsonBytes = await readAll(packageJsonRels, read, opts.signal);
    for (const rel of packageJsonRels) {
      const b = packageJsonBytes.get(rel);
      try {
        if (b) session.packageJsons.push({ rel, json: JSON.parse(Buffer.from(b).toString('utf8')) });
      } catch {
        // not JSON: not a package
      }
    }
    await session.loadFacts(all, owner, bytes, maxBytes);
    bytes.clear(); // the texts are kept; the raw bytes would only weigh on the type check's memory
    session.linkAll();
    session.entries = session.findEntries();
    if (mode === 'full') await session.checkAll();
    session.persist();
    session.durationMs = Math.round(performance.now() - started);
    session.signal = undefined; // the signal was for opening; later calls take their own
    return session;
  }

  // ─── loading ──────────────────────────────────────────────────────────────────────────────

  private async loadFacts(all: string[], owner: Map<string, number>, bytes: Map<string, Uint8Array | undefined>, maxBytes: number): Promise<void> {
    const pending: string[] = [];
    for (const rel of all) {
      const b = bytes.get(rel);
      if (!b) {
        this.skipped.push({ file: rel, reason: 'unreadable' });
        continue;
      }
      if (b.byteLength > maxBytes) {
        this.skipped.push({ file: rel, reason: `too large (${b.byteLength} bytes; the limit is ${maxBytes})` });
        continue;
      }
      const text = decodeSource(b);
      if (text === undefined) {
        this.skipped.push({ file: rel, reason: 'binary or not valid UTF-8' });
        continue;
      }
      const unit = owner.get(rel);
      const hash = sha256(b);
      const facts = this.cache.get(this.cache.facts, factsKey(rel, hash));
      const state: FileState = { rel, unit: unit ?? 0, inProgram: unit !== undefined, role: roleOf(rel), text, hash, facts: facts!, importTargets: [], reExportTargets: [] };
      this.files.set(rel, state);
      if (!facts) pending.push(rel);
    }
    this.phase = 'reading';
    this.progressTotal = this.programFileCount();
    this.progressDone = this.progressTotal - pending.filter((rel) => this.files.get(rel)!.inProgram).length;
    // Full mode parses through the units' programs (one parse serves facts and type checking).
    this.parsing = true;
    if (this.mode === 'full') {
      const units = new Set(pending.map((rel) => this.files.get(rel)!).filter((f) => f.inProgram).map((f) => f.unit));
      for (const u of [...units].sort()) {
        const program = this.program(u).program();
        for (const rel of pending) {
          const f = this.files.get(rel)!;
          if (f.facts || !f.inProgram || f.unit !== u) continue;
          const sf = program.getSourceFile(this.abs(rel));
          if (!sf) continue;
          this.setFacts(f, extractFacts(this.ts, sf));
          await this.tick();
        }
      }
    }
    for (const rel of pending) {
      const f = this.files.get(rel)!;
      if (f.facts) continue;
      this.setFacts(f, extractFacts(this.ts, this.parse(rel, f.text)));
      this.progress(rel);
      await this.tick();
    }
    this.parsing = false;
  }

  /** While loading, parsing a file is progress; later (a program rebuilt for a check) it is not. */
  private parsing = false;

  private setFacts(f: FileState, facts: FileFacts): void {
    f.facts = facts;
    this.cache.facts.set(factsKey(f.rel, f.hash), facts);
    this.stats.parsed++;
  }

  private parse(rel: string, text: string): TsNamespace.SourceFile {
    // No parent pointers: the walks carry their own context, and parsing is ~20% faster without.
    // No JSDoc: the facts never read it (tags are read from the comment text, and JSDoc errors are
    // not parse errors), so these trees give the same facts as the checker's, for less work.
    return this.ts.createSourceFile(this.abs(rel), text, { languageVersion: this.ts.ScriptTarget.Latest, jsDocParsingMode: this.ts.JSDocParsingMode.ParseNone }, false);
  }

  private libs: LibFiles | undefined;

  private async loadLibs(): Promise<void> {
    this.libs ??= await loadLibFiles();
  }

  private abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
  }

  private rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  /** The unit's program over the texts the analysis holds (other files, such as packages' .d.ts, from disk). */
  private program(u: number): AnalysisProgram {
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

  // ─── linking: imports to files, the graph, entries ────────────────────────────────────────

  private linkAll(): void {
    const known = new Set(this.files.keys());
    this.resolvers = this.units.map((u) => new ModuleResolver(this.ts, this.root, u.options, known, this.units));
    for (const f of this.files.values()) this.link(f);
    this.usage = undefined;
  }

  private link(f: FileState): void {
    const resolver = this.resolvers[f.unit] ?? this.resolvers[0]!;
    f.importTargets = f.facts.imports.map((i) => resolver.resolve(f.rel, i));
    f.reExportTargets = f.facts.reExports.map((r) => resolver.resolve(f.rel, { spec: r.spec }));
    const edges: Edge[] = [];
    // Imports used only as types are elided from the output unless the options keep every import.
    const o = this.units[f.unit]?.options ?? {};
    const keepsImports = !!(o.verbatimModuleSyntax || (o as { preserveValueImports?: boolean }).preserveValueImports);
    f.facts.imports.forEach((imp, i) => {
      const to = f.importTargets[i];
      if (to) edges.push({ to, runtime: !imp.typeOnly && !imp.dynamic && !imp.reference && (!imp.typeUseOnly || keepsImports) });
    });
    f.facts.reExports.forEach((r, i) => {
      const to = f.reExportTargets[i];
      if (to) edges.push({ to, runtime: !r.typeOnly });
    });
    this.graph.setEdges(f.rel, edges);
    this.usage = undefined;
  }

  private findEntries(): EntryResult {
    const candidates = new Set([...this.files.values()].filter((f) => f.inProgram && f.role === 'source').map((f) => f.rel));
    return findEntries({ files: candidates, units: this.units, root: this.root, packageJsons: this.packageJsons, ...(this.opts.entries ? { explicit: this.opts.entries } : {}) });
  }

  // ─── keys: what each file's type-check can see ────────────────────────────────────────────

  private computeKeys(): void {
    const tsVersion = this.ts.version;
    this.unitBase = this.units.map((u, i) => {
      const h = createHash('sha256').update(`${tsVersion}\0${FACTS_VERSION}\0${this.lockStamp}\0${JSON.stringify(u.options)}\n`);
      // Scripts and `declare global`/`declare module` files reach every file without an import.
      for (const f of [...this.files.values()].filter((x) => x.inProgram && x.unit === i && x.facts.global).sort((a, b) => (a.rel < b.rel ? -1 : 1))) h.update(`${f.rel}\0${f.hash}\n`);
      return h.digest('hex');
    });
    this.closure = this.graph.closureHashes((rel) => this.files.get(rel)?.hash ?? '');
  }

  private fileKey(f: FileState): string {
    return sha256(`${this.unitBase[f.unit]}\0${f.rel}\0${this.closure.get(f.rel) ?? f.hash}`);
  }

  private programKey(u: number): string {
    const h = createHash('sha256').update(this.unitBase[u]!);
    for (const f of this.files.values()) if (f.inProgram && f.unit === u) h.update(`${f.rel}\0${f.hash}\n`);
    return h.digest('hex');
  }

  // ─── type checking ────────────────────────────────────────────────────────────────────────

  /**
   * Diagnostics for every program file whose key changed: all of them on a cold start, none when
   * the cache has them, the changed file and its dependents after an update.
   */
  private async checkAll(): Promise<string[]> {
    this.computeKeys();
    const plans = this.units.map((_, u) => {
      const need = new Map<string, string>();
      for (const f of this.files.values()) {
        if (!f.inProgram || f.unit !== u) continue;
        const key = this.fileKey(f);
        if (this.fileDiags.get(f.rel)?.key === key) continue;
        const cached = this.cache.get(this.cache.diagnostics, key);
        if (cached) this.fileDiags.set(f.rel, { key, list: cached });
        else need.set(f.rel, key);
      }
      const pkey = this.programKey(u);
      const programLevel = this.programDiags.get(u)?.key === pkey ? this.programDiags.get(u)!.list : this.cache.get(this.cache.programs, pkey);
      return { need, pkey, programLevel };
    });
    this.phase = 'checking';
    this.progressTotal = this.programFileCount();
    this.progressDone = this.progressTotal - plans.reduce((n, p) => n + p.need.size, 0);
    const checked: string[] = [];
    for (let u = 0; u < this.units.length; u++) {
      const { need, pkey } = plans[u]!;
      let { programLevel } = plans[u]!;
      if (!need.size && programLevel) {
        this.programDiags.set(u, { key: pkey, list: programLevel });
        continue;
      }
      const program = this.program(u).program();
      // Program order, like getPreEmitDiagnostics (a few diagnostics depend on the order of checking).
      for (const sf of program.getSourceFiles()) {
        const rel = this.rel(sf.fileName);
        const key = need.get(rel);
        if (key === undefined) continue;
        const list = checkFile(this.ts, program, sf);
        need.delete(rel);
        this.cache.diagnostics.set(key, list);
        this.fileDiags.set(rel, { key, list });
        this.stats.checked++;
        checked.push(rel);
        this.progress(rel);
        await this.tick();
      }
      for (const [rel, key] of need) this.fileDiags.set(rel, { key, list: [] }); // not loadable by the program (skipped)
      if (!programLevel) {
        programLevel = this.checkProgramLevel(program);
        this.cache.programs.set(pkey, programLevel);
      }
      this.programDiags.set(u, { key: pkey, list: programLevel });
    }
    return checked;
  }

  /** Config, options and global diagnostics, and those of program files no unit owns (packages' .d.ts, …). */
  private checkProgramLevel(program: TsNamespace.Program): DiagnosticEntry[] {
    const name = (sf: TsNamespace.SourceFile) => {
      const rel = this.rel(sf.fileName);
      return rel.startsWith('..') || path.isAbsolute(rel) ? sf.fileName : rel;
    };
    const out = programLevelDiagnostics(this.ts, program, name);
    for (const sf of program.getSourceFiles()) {
      const rel = this.rel(sf.fileName);
      const f = this.files.get(rel);
      if (f?.inProgram) continue;
      if (!rel.startsWith('..') && !rel.split('/').includes('node_modules') && !isAnalysable(rel)) continue; // build output
      for (const d of checkFile(this.ts, program, sf)) out.push({ file: name(sf), ...d });
    }
    return out;
  }

  /**
   * Semantic diagnostics of one file, on demand (the syntactic mode's second step; in full mode
   * they are already known). Loads the file's program on first use.
   */
  semanticDiagnostics(rel: string, opts: { signal?: AbortSignal } = {}): Promise<DiagnosticEntry[]> {
    return this.serial(() => this.semanticDiagnosticsNow(rel, opts));
  }

  private async semanticDiagnosticsNow(rel: string, opts: { signal?: AbortSignal }): Promise<DiagnosticEntry[]> {
    const f = this.files.get(normalizeRel(rel));
    if (!f || !f.inProgram) throw new RustyError('not-found', `${rel} is not part of the analysed TypeScript program (check tsconfig include/exclude).`);
    this.signal = opts.signal;
    try {
      if (!this.closure.size) this.computeKeys();
      const key = this.fileKey(f);
      let entry = this.fileDiags.get(f.rel);
      if (entry?.key !== key) {
        const cached = this.cache.get(this.cache.diagnostics, key);
        if (cached) entry = { key, list: cached };
        else {
          throwIfCancelled(this.signal);
          await this.loadLibs();
          const program = this.program(f.unit).program();
          const sf = program.getSourceFile(this.abs(f.rel));
          entry = { key, list: sf ? checkFile(this.ts, program, sf) : [] };
          this.cache.diagnostics.set(key, entry.list);
          this.stats.checked++;
        }
        this.fileDiags.set(f.rel, entry);
      }
      return entry.list.map((d) => ({ file: f.rel, ...d }));
    } finally {
      this.signal = undefined;
    }
  }

  /**
   * Which of the codes in `diagnostics` (default: the report's) TypeScript can fix here, asking
   * its language service at the first few diagnostics of each code not decided yet (codeFixes.ts).
   * The report lists them (`codeFixes`) from then on.
   */
  codeFixes(opts: { diagnostics?: readonly DiagnosticEntry[]; signal?: AbortSignal } = {}): Promise<Record<string, CodeFixes>> {
    return this.serial(async () => {
      await this.loadLibs();
      const byCode = new Map<number, string[]>();
      for (const d of opts.diagnostics ?? this.report().diagnostics) {
        if (this.fixes.has(d.code)) continue;
        const files = byCode.get(d.code) ?? [];
        byCode.set(d.code, files);
        const f = d.file === null ? undefined : this.files.get(d.file);
        if (f?.inProgram && files.length < PROBE_FILES && !files.includes(f.rel)) files.push(f.rel);
      }
      for (const [code, rels] of byCode) {
        throwIfCancelled(opts.signal);
        // The files of one program at a time: the first file's program decides.
        const unit = rels.length ? this.files.get(rels[0]!)!.unit : undefined;
        const verdict = unit === undefined ? 'none' : probeCodeFixes(this.ts, this.program(unit).languageService(), code, rels.filter((r) => this.files.get(r)!.unit === unit).map((r) => this.abs(r)));
        this.fixes.set(code, verdict);
        await yieldNow();
      }
      return this.codeFixesRecord();
    });
  }

  private codeFixesRecord(): Record<string, CodeFixes> {
    const out: Record<string, CodeFixes> = {};
    for (const [code, v] of [...this.fixes].sort((a, b) => a[0] - b[0])) out[`TS${code}`] = v;
    return out;
  }

  // ─── incremental updates ──────────────────────────────────────────────────────────────────

  /**
   * A file changed (saved, typed, created; `bytes` undefined = deleted). Re-analyses that file and,
   * in full mode, type-checks it again with every file that depends on it — and nothing else.
   */
  update(rel: string, bytes: Uint8Array | undefined, opts: { signal?: AbortSignal } = {}): Promise<UpdateResult> {
    return this.serial(() => this.updateNow(rel, bytes, opts));
  }

  /** One update or on-demand check at a time: each sees the state the previous one left. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private queue: Promise<unknown> = Promise.resolve();

  private async updateNow(relIn: string, bytes: Uint8Array | undefined, opts: { signal?: AbortSignal }): Promise<UpdateResult> {
    const started = performance.now();
    const rel = normalizeRel(relIn);
    const prev = this.files.get(rel);
    const unchanged: UpdateResult = { changed: false, reparsed: [], rechecked: [] };
    const text = bytes && bytes.byteLength <= (this.opts.maxBytes ?? DEFAULT_MAX_BYTES) ? decodeSource(bytes) : undefined;
    const usable = text !== undefined ? bytes : undefined;
    const hash = usable ? sha256(usable) : undefined;
    if (prev && hash === prev.hash) return unchanged;
    if (!prev && !usable) return unchanged;
    this.signal = opts.signal;
    try {
      const place = prev ? { unit: prev.unit, inProgram: prev.inProgram } : await this.placeNewFile(rel);
      if (!place) return unchanged;
      let reparsed = false;
      const structural = !prev || !usable; // the set of files changed: imports elsewhere may resolve differently
      if (!usable) {
        this.files.delete(rel);
        this.graph.remove(rel);
        this.fileDiags.delete(rel);
        this.deleted.add(rel);
      } else {
        this.deleted.delete(rel);
        const f: FileState = { rel, unit: place.unit, inProgram: place.inProgram, role: roleOf(rel), text: text!, hash: hash!, facts: undefined as unknown as FileFacts, importTargets: [], reExportTargets: [] };
        this.files.set(rel, f);
        const cached = this.cache.get(this.cache.facts, factsKey(rel, f.hash));
        if (cached) f.facts = cached;
        else {
          this.setFacts(f, extractFacts(this.ts, this.parse(rel, f.text)));
          reparsed = true;
        }
      }
      // Every program that may see the file learns of the change; the next check reuses the rest.
      this.programs.forEach((p, u) => p?.update(this.abs(rel), !!usable && place.inProgram && place.unit === u));
      if (structural) {
        this.linkAll();
        this.entries = this.findEntries();
      } else this.link(this.files.get(rel)!);
      this.usage = undefined;

      let rechecked: string[] = [];
      if (this.mode === 'full') {
        rechecked = await this.checkAll();
      } else {
        this.computeKeys(); // on-demand results whose key changed are recomputed when asked for
      }
      this.durationMs = Math.round(performance.now() - started);
      return { changed: true, reparsed: reparsed ? [rel] : [], rechecked: rechecked.sort() };
    } finally {
      this.signal = undefined;
    }
  }

  /** Which program a new file belongs to: the configs are read again (cheap; no program reload). */
  private async placeNewFile(rel: string): Promise<{ unit: number; inProgram: boolean } | undefined> {
    if (!isAnalysable(rel) || !/\.[cm]?[jt]sx?$/i.test(rel)) return undefined;
    const fresh = await discoverUnits(this.ts, this.root, this.opts.tsconfig, undefined, [path.join(this.root, ...rel.split('/'))], await readConfigFiles(this.reader));
    for (const u of fresh) {
      if (!u.files.includes(rel)) continue;
      const i = this.units.findIndex((x) => x.config === u.config);
      if (i >= 0) {
        this.units[i] = { ...this.units[i]!, files: [...this.units[i]!.files, rel].sort() };
        return { unit: i, inProgram: true };
      }
    }
    if (TEST_FILE.test(rel) || TOOL_CONFIG_FILE.test(rel)) return { unit: 0, inProgram: false };
    return undefined;
  }

  /** Files that import `rel`, directly or through others. */
  dependents(rel: string): string[] {
    return [...this.graph.dependents(normalizeRel(rel))].sort();
  }

  /** Save the disk cache (done after opening; call it after a batch of updates if you like). */
  persist(): void {
    if (!this.cache.persistent) return; // memory only: the keys are computed when something needs them
    if (!this.closure.size) this.computeKeys();
    const facts = [...this.files.values()].map((f) => factsKey(f.rel, f.hash));
    const diagnostics = [...this.files.values()].filter((f) => f.inProgram).map((f) => this.fileKey(f));
    const programs = this.units.map((_, u) => this.programKey(u));
    this.cache.save({ facts, diagnostics, programs });
  }

  // ─── the report ───────────────────────────────────────────────────────────────────────────

  report(): AnalysisReport {
    const complexityThreshold = this.opts.complexityThreshold ?? 10;
    const linesThreshold = this.opts.linesThreshold ?? 80;
    const program = [...this.files.values()].filter((f) => f.inProgram).sort((a, b) => (a.rel < b.rel ? -1 : 1));

    const diagnostics: DiagnosticEntry[] = [];
    if (this.mode === 'full') for (const { list } of this.programDiags.values()) diagnostics.push(...list);
    for (const f of program) {
      const list = this.fileDiags.get(f.rel)?.list ?? f.facts.syntactic;
      for (const d of list) diagnostics.push({ file: f.rel, ...d });
    }
    diagnostics.sort(compareDiagnostics);

    let functionCount = 0;
    let maxComplexity = 0;
    let lines = 0;
    const hot: FunctionEntry[] = [];
    for (const f of program) {
      lines += f.facts.lines;
      for (const fn of f.facts.functions) {
        functionCount++;
        maxComplexity = Math.max(maxComplexity, fn.complexity);
        if (fn.complexity >= complexityThreshold || fn.lines >= linesThreshold) hot.push({ file: f.rel, ...fn });
      }
    }
    hot.sort((a, b) => b.complexity - a.complexity || b.lines - a.lines || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));

    const usage = this.usageResult();
    const cycles = this.graph.cycles();
    const byCode: Record<string, number> = {};
    const count = { error: 0, warning: 0, suggestion: 0, message: 0 };
    for (const d of diagnostics) {
      byCode[`TS${d.code}`] = (byCode[`TS${d.code}`] ?? 0) + 1;
      count[d.category]++;
    }
    return {
      schemaVersion: ANALYSIS_SCHEMA_VERSION,
      workspace: this.root,
      summary: {
        mode: this.mode,
        typescriptVersion: this.ts.version,
        configs: this.units.map((u) => u.config).filter((c): c is string => c !== null),
        files: program.length,
        lines,
        functions: functionCount,
        complexityThreshold,
        linesThreshold,
        hotSpots: hot.length,
        maxComplexity,
        diagnostics: { total: diagnostics.length, errors: count.error, warnings: count.warning, suggestions: count.suggestion, messages: count.message, byCode, semantic: this.mode === 'full' },
        entries: this.entries.entries,
        entriesFrom: this.entries.from,
        unusedExports: usage.unusedExports.length,
        unusedFiles: usage.unusedFiles.length,
        cycles: cycles.length,
        publicApi: usage.publicApi.length,
        skipped: this.skipped,
        durationMs: this.durationMs,
        cache: { hits: this.cache.hits, misses: this.cache.misses },
      },
      diagnostics,
      functions: hot,
      unusedExports: usage.unusedExports,
      unusedFiles: usage.unusedFiles,
      cycles,
      publicApi: usage.publicApi,
      ...(this.fixes.size ? { codeFixes: this.codeFixesRecord() } : {}),
    };
  }

  private usageResult(): UsageResult {
    if (!this.usage) {
      const linked = new Map<string, LinkedFile>();
      for (const f of this.files.values()) linked.set(f.rel, { rel: f.rel, facts: f.facts, role: f.inProgram ? f.role : f.role === 'source' ? 'test' : f.role, importTargets: f.importTargets, reExportTargets: f.reExportTargets });
      this.usage = analyzeUsage(linked, this.entries.entries);
    }
    return this.usage;
  }

  // ─── progress and cancellation ────────────────────────────────────────────────────────────

  /** A file's step is done; only the programs' files count (test files outside them are read, not counted). */
  private progress(file: string): void {
    if (!this.files.get(file)?.inProgram) return;
    this.progressDone = Math.min(this.progressDone + 1, this.progressTotal);
    this.onProgress?.(this.progressDone, this.progressTotal, file, this.phase);
  }

  private programFileCount(): number {
    let n = 0;
    for (const f of this.files.values()) if (f.inProgram) n++;
    return n;
  }

  /** Give the event loop a turn now and then (so Ctrl-C can abort), and honour the signal. */
  private async tick(): Promise<void> {
    if (Date.now() - this.lastYield >= YIELD_EVERY_MS) {
      await yieldNow();
      this.lastYield = Date.now();
    }
    throwIfCancelled(this.signal);
  }
}

/** Analyse a workspace once and return the report. */
export async function analyzeWorkspace(opts: AnalysisOptions): Promise<AnalysisReport> {
  return (await AnalysisSession.open(opts)).report();
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a source file (LF line ends, no BOM), or undefined when it is binary (a NUL in the
 * first 8 KB) or not UTF-8. One decode (util/text's isBinary + readText would decode twice and
 * count every line ending, which is most of the reading time on a large workspace).
 */
function decodeSource(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  try {
    return normalize(utf8.decode(bytes));
  } catch {
    return undefined;
  }
}

function factsKey(rel: string, hash: string): string {
  // The extension decides how the text parses (.ts vs .tsx vs .js).
  return `${hash}${path.extname(rel).toLowerCase()}`;
}

function roleOf(rel: string): FileRole {
  return TEST_FILE.test(rel) ? 'test' : TOOL_CONFIG_FILE.test(rel) ? 'config' : 'source';
}

function normalizeRel(rel: string): string {
  return rel.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

function lockStamp(root: string): string {
  return LOCKFILES.map((name) => {
    try {
      const st = fs.statSync(path.join(root, name));
      return `${name}:${st.size}:${st.mtimeMs}`;
    } catch {
      return '';
    }
  }).join('|');
}

async function readAll(rels: string[], read: (rel: string) => Promise<Uint8Array | undefined>, signal: AbortSignal | undefined): Promise<Map<string, Uint8Array | undefined>> {
  const out = new Map<string, Uint8Array | undefined>();
  let next = 0;
  const worker = async () => {
    while (next < rels.length) {
      throwIfCancelled(signal);
      const rel = rels[next++]!;
      out.set(rel, await read(rel).catch(() => undefined));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return out;
}

export function cancelledError(): RustyError {
  return cancelled(WHAT);
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  throwIfCancelledIn(signal, WHAT);
}

/** AbortErrors from the helpers become the core's 'cancelled' error. */
function guard<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  return guardCancel(signal, fn, WHAT);
}
