// The native engine: a TypeScript ≥ 7 compiler driven through its API (`typescript/unstable/async`,
// loaded from the install `select.ts` found — the workspace's own or Rusty's). One compiler
// process per engine, kept open between checks (warm). Proposal files are an in-memory overlay
// served through the API's virtual file system callbacks: nothing is written to disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiagnosticCategory, DiagnosticEntry } from '../analysis/types';
import { RustyError } from '../util/errors';
import { throwIfCancelled, type WorkspaceReader } from '../engine/context';
import type { CompilerInfo } from './select';
import { projectConfigs } from './references';

// The slice of the API this engine uses (structural, so any TypeScript 7.x API fits).
interface NativeDiagnostic {
  readonly fileName?: string | undefined;
  readonly pos: number;
  readonly code: number;
  readonly category: number;
  readonly text: string;
  readonly messageChain?: readonly NativeDiagnostic[] | undefined;
}
interface NativeProgram {
  getSourceFileNames(): Promise<readonly string[]>;
  getSyntacticDiagnostics(file?: string): Promise<readonly NativeDiagnostic[]>;
  getSemanticDiagnostics(file?: string): Promise<readonly NativeDiagnostic[]>;
  getDeclarationDiagnostics(file?: string): Promise<readonly NativeDiagnostic[]>;
  getProgramDiagnostics(): Promise<readonly NativeDiagnostic[]>;
  getGlobalDiagnostics(): Promise<readonly NativeDiagnostic[]>;
  getConfigFileParsingDiagnostics(): Promise<readonly NativeDiagnostic[]>;
}
interface NativeProject { readonly configFileName: string; readonly rootFiles: readonly string[]; readonly compilerOptions: Record<string, unknown>; readonly program: NativeProgram }
interface NativeSnapshot { getProject(configFileName: string): NativeProject | undefined; dispose(): Promise<void> | void }
interface FileChanges { changed?: string[]; created?: string[]; deleted?: string[] }
interface NativeApi {
  updateSnapshot(params?: { openProjects?: string[]; fileChanges?: FileChanges }): Promise<NativeSnapshot>;
  close(): Promise<void> | void;
}
interface NativeFs {
  readFile(fileName: string): string | null | undefined;
  fileExists(fileName: string): boolean | undefined;
  directoryExists(directoryName: string): boolean | undefined;
  getAccessibleEntries(directoryName: string): { files: string[]; directories: string[] } | undefined;
}
interface NativeApiModule { API: new (options: { cwd: string; fs?: NativeFs }) => NativeApi }

// DiagnosticCategory of the native API: Warning 0, Error 1, Suggestion 2, Message 3 (as in TypeScript 5/6).
const CATEGORY: Record<number, DiagnosticCategory> = { 0: 'warning', 1: 'error', 2: 'suggestion', 3: 'message' };

const posix = (p: string) => p.split(path.sep).join('/');

/** TypeScript's flattenDiagnosticMessageText over the API's message chain. */
function flatten(d: NativeDiagnostic, indent = 0): string {
  let text = `${'  '.repeat(indent)}${d.text}`;
  for (const c of d.messageChain ?? []) text += `\n${flatten(c, indent + 1)}`;
  return text;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 || c === 0x2028 || c === 0x2029) starts.push(i + 1);
  }
  return starts;
}

export interface NativeEngineOptions {
  root: string;
  /** The API entry, …/typescript/dist/api/async/api.js. */
  apiPath: string;
  version: string;
  source: 'workspace' | 'rusty';
  /** Workspace-relative tsconfig; default tsconfig.json, else jsconfig.json. */
  tsconfig?: string;
  /** The workspace (EngineContext.fs): its unsaved editor text, read before every check, wins over the disk. */
  fs?: Pick<WorkspaceReader, 'unsaved'>;
  /**
   * One-shot diagnostics of the disk (`rusty analyze`): no overlay, so no virtual file system
   * callbacks — the compiler reads the files itself instead of asking this process for each one
   * (which waits whenever this process is busy, e.g. computing the analysis' facts).
   */
  diskOnly?: boolean;
}

export class NativeTsEngine {
  readonly compiler: CompilerInfo;
  readonly root: string;
  readonly configFile: string;
  /** The config and every project it references (build order, the config last). */
  readonly configFiles: readonly string[];
  /** Overlay: absolute posix path → text, or null for a file the overlay deletes. */
  private overlay = new Map<string, string | null>();
  /** Folders the overlay's created files need (absolute posix) → their overlay children. */
  private overlayDirs = new Map<string, { files: Set<string>; dirs: Set<string> }>();
  private snapshot: NativeSnapshot | undefined;
  /** The projects of configFiles, in the same order. */
  private projects: NativeProject[] = [];
  private texts = new Map<string, { text: string; starts: number[] }>();
  /** mtimes of the project's root files when the current base snapshot was taken. */
  private stamps = new Map<string, number>();
  /** Folders holding root files (and their ancestors up to the root): mtime and entries, to notice created/deleted files. */
  private dirs = new Map<string, { mtime: number; entries: Set<string> }>();
  /** Paths a file watcher reported (filesChanged), picked up by the next check. */
  private pending = new Set<string>();
  /** The unsaved editor text the base snapshot holds (workspace-relative → text), and its key. */
  private base = new Map<string, string>();
  private baseKey = '';
  /** The snapshot is the base state (disk + unsaved text, no proposal). */
  private onBase = true;
  /** Diagnostics per file on the base snapshot (no overlay), reused while no file changed on disk. */
  private baseCache = new Map<string, DiagnosticEntry[]>();
  /** The base cache holds every file of the program. */
  private baseComplete = false;
  private closed = false;
  /** One overlay at a time: checks queue behind each other. */
  private queue: Promise<unknown> = Promise.resolve();

  private readonly api: NativeApi;
  /** The key of the unsaved text the snapshot holds. */
  private appliedKey = '';

  private constructor(mod: NativeApiModule, private readonly opts: NativeEngineOptions, configFile: string) {
    this.root = path.resolve(opts.root);
    this.configFile = configFile;
    this.configFiles = projectConfigs(configFile);
    this.compiler = { engine: 'native', version: opts.version, source: opts.source };
    const vfs: NativeFs = {
      readFile: (f) => this.overlayRead(f),
      fileExists: (f) => this.overlayExists(f),
      directoryExists: (d) => (this.overlayDirs.has(trimSlash(d)) ? true : undefined),
      getAccessibleEntries: (d) => this.overlayEntries(d),
    };
    this.api = new mod.API(opts.diskOnly ? { cwd: this.root } : { cwd: this.root, fs: vfs });
  }

  static async open(opts: NativeEngineOptions): Promise<NativeTsEngine> {
    const root = path.resolve(opts.root);
    const config = opts.tsconfig ?? ['tsconfig.json', 'jsconfig.json'].find((n) => fs.existsSync(path.join(root, n)));
    if (!config || !fs.existsSync(path.join(root, config))) throw new RustyError('usage', `The native TypeScript engine needs a tsconfig.json (or jsconfig.json) in ${root}; use --engine bundled for a folder without one.`);
    let mod: NativeApiModule;
    try {
      // A real dynamic import of the compiler's ESM API (never bundled: the path is known at run time only).
      mod = (await import(/* @vite-ignore */ pathToFileURL(opts.apiPath).href)) as NativeApiModule;
    } catch (err) {
      throw new RustyError('io', `Could not load TypeScript ${opts.version}'s API from ${opts.apiPath}: ${(err as Error).message}`);
    }
    const engine = new NativeTsEngine(mod, { ...opts, root }, posix(path.join(root, config)));
    await engine.refresh({});
    engine.takeStamps();
    return engine;
  }

  private overlayRead(f: string): string | null | undefined {
    const v = this.overlay.get(f);
    return v === undefined ? undefined : v;
  }

  private overlayExists(f: string): boolean | undefined {
    const v = this.overlay.get(f);
    return v === undefined ? undefined : v !== null;
  }

  private overlayEntries(d: string): { files: string[]; directories: string[] } | undefined {
    const dir = trimSlash(d);
    const mine = this.overlayDirs.get(dir);
    if (!mine) return undefined;
    const files = new Set<string>();
    const dirs = new Set<string>(mine.dirs);
    try {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) (e.isDirectory() ? dirs : files).add(e.name);
    } catch {
      // a folder only the overlay has
    }
    for (const name of mine.files) {
      if (this.overlay.get(`${dir}/${name}`) === null) files.delete(name);
      else files.add(name);
    }
    return { files: [...files].sort(), directories: [...dirs].sort() };
  }

  private abs(rel: string): string {
    return posix(path.join(this.root, ...rel.split('/')));
  }

  private rel(file: string): string {
    const r = path.relative(this.root, file);
    return r.startsWith('..') || path.isAbsolute(r) ? posix(file) : posix(r);
  }

  /** A new snapshot after `changes`; the project is (re)opened. */
  private ensureOpen(): void {
    if (this.closed) throw new RustyError('cancelled', 'The native TypeScript engine was closed.');
  }

  private async refresh(changes: FileChanges): Promise<void> {
    this.ensureOpen();
    const previous = this.snapshot;
    const hasChanges = Object.values(changes).some((l) => (l as string[]).length > 0);
    this.snapshot = await this.api.updateSnapshot(previous ? (hasChanges ? { fileChanges: changes } : {}) : { openProjects: [...this.configFiles] });
    const snapshot = this.snapshot;
    if (!snapshot.getProject(this.configFile)) throw new RustyError('io', `TypeScript ${this.compiler.version} did not load ${this.configFile}.`);
    this.projects = this.configFiles.flatMap((c) => snapshot.getProject(c) ?? []);
    this.texts.clear();
    if (previous) await previous.dispose();
  }

  /** Records mtimes of the root files and listings of their folders (up to the root). */
  private takeStamps(): void {
    this.stamps = new Map();
    this.dirs = new Map();
    const top = posix(this.root);
    for (const f of new Set(this.projects.flatMap((p) => p.rootFiles))) {
      let m = -1;
      try { m = fs.statSync(f).mtimeMs; } catch { /* only in the overlay */ }
      this.stamps.set(f, m);
      if (!f.startsWith(`${top}/`)) continue;
      for (let dir = path.posix.dirname(f); !this.dirs.has(dir); dir = path.posix.dirname(dir)) {
        const listed = listDir(dir);
        if (listed) this.dirs.set(dir, listed);
        if (dir === top || path.posix.dirname(dir) === dir) break;
      }
    }
  }

  /**
   * Pick up what changed on disk since the base snapshot: root files by mtime, files created or
   * deleted in their folders (a folder's mtime moves), and paths reported through filesChanged.
   */
  private async syncWithDisk(): Promise<void> {
    const changed = new Set<string>();
    const created = new Set<string>();
    const deleted = new Set<string>();
    const inOverlay = (f: string) => this.overlay.has(f);
    for (const [f, was] of this.stamps) {
      if (inOverlay(f)) continue;
      let m = -1;
      try { m = fs.statSync(f).mtimeMs; } catch { /* deleted */ }
      if (m === was) continue;
      (m < 0 ? deleted : was < 0 ? created : changed).add(f);
    }
    for (const [dir, was] of this.dirs) {
      let m = -1;
      try { m = fs.statSync(dir).mtimeMs; } catch { /* deleted */ }
      if (m === was.mtime) continue;
      const now = listDir(dir)?.entries ?? new Set<string>();
      for (const name of now) {
        if (was.entries.has(name)) continue;
        const abs = `${dir}/${name}`;
        for (const f of walkFiles(abs)) created.add(f);
      }
      for (const name of was.entries) {
        if (now.has(name)) continue;
        const abs = `${dir}/${name}`;
        deleted.add(abs);
        for (const f of this.stamps.keys()) if (f.startsWith(`${abs}/`)) deleted.add(f);
      }
    }
    for (const p of this.pending) {
      const f = path.isAbsolute(p) ? posix(p) : this.abs(p);
      if (inOverlay(f) || created.has(f) || deleted.has(f)) continue;
      if (!fs.existsSync(f)) deleted.add(f);
      else (this.stamps.has(f) && this.stamps.get(f)! >= 0 ? changed : created).add(f);
    }
    this.pending.clear();
    for (const f of created) changed.delete(f);
    if (changed.size || created.size || deleted.size) {
      this.baseCache.clear();
      this.baseComplete = false;
      await this.refresh({ changed: [...changed], created: [...created], deleted: [...deleted] });
    }
    this.takeStamps();
  }

  /**
   * Files the caller saw change on disk (a file watcher: created, changed or deleted; absolute or
   * workspace-relative paths). The next check hands them to the compiler.
   */
  filesChanged(paths: Iterable<string>): void {
    for (const p of paths) this.pending.add(p);
  }

  /** Puts the unsaved editor text in place as the base state (the base cache is kept while it is unchanged). */
  private async applyBase(): Promise<void> {
    const unsaved = this.opts.fs?.unsaved ? await this.opts.fs.unsaved() : new Map<string, string>();
    const key = [...unsaved].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([rel, text]) => `${rel}\u0000${text}`).join('\u0001');
    if (key !== this.baseKey) {
      this.baseCache.clear();
      this.baseComplete = false;
      this.baseKey = key;
      this.base = new Map(unsaved);
    }
    if (!this.onBase || key !== this.appliedKey) {
      await this.setOverlay(this.base);
      this.appliedKey = key;
      this.onBase = true;
    }
  }

  /** Replaces the overlay (workspace-relative path → text, or null to delete) and takes a new snapshot. */
  async setOverlay(edits: ReadonlyMap<string, string | null>): Promise<void> {
    if (this.opts.diskOnly && (edits.size || this.overlay.size)) throw new Error('internal: the native engine was opened for the disk only (no overlay)');
    const next = new Map<string, string | null>();
    for (const [rel, text] of edits) next.set(this.abs(rel), text);
    const changed: string[] = [];
    const created: string[] = [];
    const deleted: string[] = [];
    const onDisk = (f: string) => fs.existsSync(f);
    for (const f of new Set([...this.overlay.keys(), ...next.keys()])) {
      const was = this.overlay.has(f) ? this.overlay.get(f) !== null : onDisk(f);
      const is = next.has(f) ? next.get(f) !== null : onDisk(f);
      if (was && is) changed.push(f);
      else if (!was && is) created.push(f);
      else if (was && !is) deleted.push(f);
    }
    this.overlay = next;
    this.overlayDirs = new Map();
    for (const f of next.keys()) {
      let child = f;
      let dir = path.posix.dirname(f);
      let isFile = true;
      for (;;) {
        const entry = this.overlayDirs.get(dir) ?? { files: new Set<string>(), dirs: new Set<string>() };
        (isFile ? entry.files : entry.dirs).add(path.posix.basename(child));
        this.overlayDirs.set(dir, entry);
        if (dir === posix(this.root) || fs.existsSync(dir) || path.posix.dirname(dir) === dir) break;
        child = dir;
        dir = path.posix.dirname(dir);
        isFile = false;
      }
    }
    await this.refresh({ changed, created, deleted });
  }

  private text(file: string): { text: string; starts: number[] } | undefined {
    let t = this.texts.get(file);
    if (!t) {
      const o = this.overlay.get(file);
      let text: string | undefined = o ?? undefined;
      if (o === undefined) {
        try { text = fs.readFileSync(file, 'utf8'); } catch { text = undefined; }
      }
      if (text === undefined) return undefined;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      t = { text, starts: lineStarts(text) };
      this.texts.set(file, t);
    }
    return t;
  }

  private entry(d: NativeDiagnostic): DiagnosticEntry {
    let line: number | null = null;
    let column: number | null = null;
    const file = d.fileName ? this.rel(d.fileName) : null;
    const t = d.fileName ? this.text(d.fileName) : undefined;
    if (t) {
      let lo = 0;
      let hi = t.starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (t.starts[mid]! <= d.pos) lo = mid;
        else hi = mid - 1;
      }
      line = lo + 1;
      column = d.pos - t.starts[lo]! + 1;
    }
    return { file, line, column, code: d.code, category: CATEGORY[d.category] ?? 'message', message: flatten(d) };
  }

  /** A solution: more than one project (references); every check then covers all of them. */
  get hasReferences(): boolean {
    return this.projects.length > 1;
  }

  /** Diagnostics of the whole project as `tsc --noEmit -p` reports them (semantic ones only when there is no syntax error). */
  projectDiagnostics(signal?: AbortSignal): Promise<DiagnosticEntry[]> {
    return this.enqueue(async () => {
      this.ensureOpen();
      await this.syncWithDisk();
      await this.applyBase();
      return this.programDiagnostics(signal);
    });
  }

  /** Each project as `tsc -p` checks it (referenced projects first, like `tsc -b`). */
  private async programDiagnostics(signal?: AbortSignal): Promise<DiagnosticEntry[]> {
    const all: NativeDiagnostic[] = [];
    for (const project of this.projects) {
      const program = project.program;
      all.push(...(await program.getConfigFileParsingDiagnostics()), ...(await program.getProgramDiagnostics()));
      const syntactic = await program.getSyntacticDiagnostics();
      throwIfCancelled(signal);
      all.push(...syntactic);
      if (syntactic.length === 0) {
        all.push(...(await program.getGlobalDiagnostics()), ...(await program.getSemanticDiagnostics()));
        if (emitsDeclarations(project)) all.push(...(await program.getDeclarationDiagnostics()));
      }
      throwIfCancelled(signal);
    }
    return dedupe(all.map((d) => this.entry(d)));
  }

  /**
   * Syntactic + semantic (+ declaration) diagnostics of each workspace-relative file in the current
   * state; `files` undefined: every file of the program, in three whole-program requests.
   */
  async fileDiagnostics(files: readonly string[] | undefined, signal?: AbortSignal): Promise<{ diagnostics: DiagnosticEntry[]; checked: number }> {
    this.ensureOpen();
    const base = this.onBase;
    if (!files && base && this.baseComplete) return { diagnostics: [...this.baseCache.values()].flat(), checked: this.baseCache.size };
    if (!files) {
      const found: NativeDiagnostic[] = [];
      for (const project of this.projects) {
        const program = project.program;
        const lists = await Promise.all([
          program.getSyntacticDiagnostics(), program.getSemanticDiagnostics(),
          emitsDeclarations(project) ? program.getDeclarationDiagnostics() : Promise.resolve([]),
        ]);
        found.push(...lists.flat());
        throwIfCancelled(signal);
      }
      const own = await this.programFiles();
      const byFile = new Map<string, DiagnosticEntry[]>(own.map((f) => [f, []]));
      for (const d of dedupe(found.map((x) => this.entry(x)))) {
        if (d.file === null) continue;
        const list = byFile.get(d.file) ?? [];
        list.push(d);
        byFile.set(d.file, list);
      }
      if (base) {
        this.baseCache = byFile;
        this.baseComplete = true;
      }
      return { diagnostics: [...byFile.values()].flat(), checked: own.length };
    }
    // Each file is checked in the project that owns it (lists it as a root file), else the first that loads it.
    const owner = new Map<string, NativeProject>();
    for (const project of this.projects) for (const f of project.rootFiles) if (!owner.has(f)) owner.set(f, project);
    for (const project of this.projects) for (const f of await project.program.getSourceFileNames()) if (!owner.has(f)) owner.set(f, project);
    const todo = files.filter((rel) => owner.has(this.abs(rel)));
    const results = new Map<string, DiagnosticEntry[]>();
    // A few requests in flight at once: the compiler answers them in parallel.
    const BATCH = 16;
    for (let i = 0; i < todo.length; i += BATCH) {
      throwIfCancelled(signal);
      await Promise.all(todo.slice(i, i + BATCH).map(async (rel) => {
        const cached = base ? this.baseCache.get(rel) : undefined;
        if (cached) return void results.set(rel, cached);
        const abs = this.abs(rel);
        const project = owner.get(abs)!;
        const program = project.program;
        const [syn, sem, decl] = await Promise.all([
          program.getSyntacticDiagnostics(abs), program.getSemanticDiagnostics(abs),
          emitsDeclarations(project) ? program.getDeclarationDiagnostics(abs) : Promise.resolve([]),
        ]);
        const list = dedupe([...syn, ...sem, ...decl].map((d) => this.entry(d)));
        if (base) this.baseCache.set(rel, list);
        results.set(rel, list);
      }));
    }
    return { diagnostics: todo.flatMap((rel) => results.get(rel) ?? []), checked: todo.length };
  }

  /** Workspace-relative files of the program(s) (the projects' own files, not libraries). */
  async programFiles(): Promise<string[]> {
    const names = new Set<string>();
    for (const project of this.projects) for (const f of await project.program.getSourceFileNames()) names.add(f);
    return [...names].map((f) => this.rel(f)).filter((f) => !f.startsWith('/') && !f.startsWith('..') && !f.includes('node_modules/'));
  }

  /**
   * The type-check delta's two sides: diagnostics of `before` on the workspace as it is, and of
   * `after` with `overlay` applied (undefined: every file of the program). The overlay is removed
   * again before this returns, so the engine stays on the workspace's state (and warm).
   */
  checkWithOverlay(input: { overlay: ReadonlyMap<string, string | null>; before?: readonly string[]; after?: readonly string[] }, signal?: AbortSignal): Promise<{ before: DiagnosticEntry[]; after: DiagnosticEntry[]; checkedBefore: number; checkedAfter: number }> {
    return this.enqueue(() => this.check(input, signal));
  }

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async check(input: { overlay: ReadonlyMap<string, string | null>; before?: readonly string[]; after?: readonly string[] }, signal?: AbortSignal): Promise<{ before: DiagnosticEntry[]; after: DiagnosticEntry[]; checkedBefore: number; checkedAfter: number }> {
    this.ensureOpen();
    await this.syncWithDisk();
    await this.applyBase();
    // A solution is checked whole: which files of which project a change reaches is the compiler's to know.
    const named = (files: readonly string[] | undefined) => (this.hasReferences ? undefined : files);
    const b = await this.fileDiagnostics(named(input.before), signal);
    this.onBase = false;
    await this.setOverlay(new Map([...this.base, ...input.overlay]));
    try {
      const a = await this.fileDiagnostics(named(input.after), signal);
      return { before: b.diagnostics, after: a.diagnostics, checkedBefore: b.checked, checkedAfter: a.checked };
    } finally {
      if (!this.closed) {
        await this.setOverlay(this.base);
        this.onBase = true;
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.api.close();
  }
}

function emitsDeclarations(project: NativeProject): boolean {
  const o = project.compilerOptions;
  return !!(o.declaration || o.composite);
}

function listDir(dir: string): { mtime: number; entries: Set<string> } | undefined {
  try {
    return { mtime: fs.statSync(dir).mtimeMs, entries: new Set(fs.readdirSync(dir)) };
  } catch {
    return undefined;
  }
}

/** The files at `abs` (itself, or under it when a folder; node_modules and dot-folders skipped). */
function walkFiles(abs: string, out: string[] = []): string[] {
  let st: fs.Stats;
  try { st = fs.statSync(abs); } catch { return out; }
  if (st.isFile()) out.push(abs);
  else if (st.isDirectory()) {
    for (const name of fs.readdirSync(abs)) if (name !== 'node_modules' && !name.startsWith('.')) walkFiles(`${abs}/${name}`, out);
  }
  return out;
}

function trimSlash(d: string): string {
  return d.length > 1 && d.endsWith('/') ? d.slice(0, -1) : d;
}

function dedupe(list: DiagnosticEntry[]): DiagnosticEntry[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.code}\u0000${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
