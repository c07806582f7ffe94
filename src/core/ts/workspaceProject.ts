// One ts-morph Project over a workspace, shared by every engine that needs the type checker
// (analysis, impact, refactorings). Files are read through the caller's WorkspaceReader (the extension
// passes unsaved editor text), their exact bytes are kept, and whatever the engine changes in
// memory becomes a change set against those bytes. Nothing is ever written to disk.
import * as path from 'node:path';
import type * as TsMorphModule from 'ts-morph';
import type { FileEdit } from '../proposals/changeSet';
import { loadTsMorph } from '../util/loadTsMorph';
import { sha256 } from '../util/hash';
import { encodeLike, isBinary, normalize, readText, type TextFormat } from '../util/text';
import { RustyError } from '../util/errors';
import { readerOf, throwIfCancelled, type WorkspaceReader, type WorkspaceSource } from '../engine/context';
import { readConfigFiles, type ConfigFiles } from '../engine/configFiles';

type TsMorph = typeof TsMorphModule;
export type Project = TsMorphModule.Project;
export type SourceFile = TsMorphModule.SourceFile;

/** The workspace: `fs` (EngineContext.fs: reads, listing and configs through the port, unsaved text wins) or `root` on disk. */
export interface WorkspaceProjectOptions extends WorkspaceSource {
  /** Workspace-relative tsconfig/jsconfig; default: tsconfig.json, else jsconfig.json, else none. */
  tsconfig?: string;
  /** Files larger than this are left out (they are usually generated). Default 5 MB. */
  maxBytes?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, file: string) => void;
}

interface Base { bytes: Uint8Array; text: string; format: TextFormat }

export class WorkspaceProject {
  private readonly bases = new Map<string, Base>();
  /** The workspace-relative path each source file had when loaded (survives moves). */
  private readonly origin = new WeakMap<SourceFile, string>();
  private readonly deleted = new Set<string>();
  private reader: (rel: string) => Promise<Uint8Array | undefined> = async () => undefined;
  private workspace: WorkspaceReader | undefined;

  private constructor(
    readonly tsMorph: TsMorph,
    readonly project: Project,
    readonly root: string,
    readonly configPath: string | undefined,
  ) {}

  get ts(): TsMorph['ts'] {
    return this.tsMorph.ts;
  }

  rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
  }

  /** Workspace source files in the program (not node_modules, not generated declarations of deps). */
  files(): string[] {
    return this.project.getSourceFiles().map((sf) => this.rel(sf.getFilePath()))
      .filter((rel) => !rel.startsWith('..') && !rel.split('/').includes('node_modules')).sort();
  }

  sourceFile(rel: string): SourceFile {
    const sf = this.project.getSourceFile(this.abs(rel));
    if (!sf) throw new RustyError('not-found', `${rel} is not part of the TypeScript project (check tsconfig include/exclude).`);
    return sf;
  }

  /** The bytes a file had when the project was loaded (its baseHash is sha256 of these). */
  base(rel: string): Uint8Array | undefined {
    return this.bases.get(rel)?.bytes;
  }

  /**
   * Current bytes of any workspace file (also one outside the program, such as a test the tsconfig
   * leaves out), through the reader the project was loaded with; undefined when there is none.
   */
  readFile(rel: string): Promise<Uint8Array | undefined> {
    return this.reader(rel);
  }

  /** The workspace the project was loaded from (reads, stat, listing through the port). */
  get fs(): WorkspaceReader {
    if (!this.workspace) throw new Error('internal: the project is not loaded');
    return this.workspace;
  }

  /** Forget a file the engine deleted, so the change set deletes it. */
  markDeleted(rel: string): void {
    this.deleted.add(rel);
  }

  /**
   * Every in-memory difference from the loaded bytes as change-set edits: modified files, files
   * moved by ts-morph (rename edits), new files (create) and deleted ones. Texts keep each
   * file's own line endings, BOM and final newline.
   */
  changedEdits(): FileEdit[] {
    const edits: FileEdit[] = [];
    const seen = new Set<string>();
    for (const sf of this.project.getSourceFiles()) {
      const now = this.rel(sf.getFilePath());
      if (now.startsWith('..') || now.includes('node_modules/')) continue;
      const from = this.origin.get(sf);
      const base = from ? this.bases.get(from) : undefined;
      const text = normalize(sf.getFullText());
      if (from && base) {
        seen.add(from);
        const content = encodeLike(text, base.format);
        if (from !== now) edits.push({ kind: 'rename', path: from, to: now, baseHash: sha256(base.bytes), ...(text !== base.text ? { content } : {}) });
        else if (text !== base.text) edits.push({ kind: 'modify', path: from, baseHash: sha256(base.bytes), content });
      } else {
        edits.push({ kind: 'create', path: now, content: sf.getFullText() });
      }
    }
    for (const [rel, base] of this.bases) {
      if (!seen.has(rel) && (this.deleted.has(rel) || !this.project.getSourceFile(this.abs(rel)))) edits.push({ kind: 'delete', path: rel, baseHash: sha256(base.bytes) });
    }
    return edits.sort((a, b) => a.path.localeCompare(b.path));
  }

  static async load(opts: WorkspaceProjectOptions): Promise<WorkspaceProject> {
    const tsMorph = await loadTsMorph();
    const reader = readerOf(opts);
    const root = reader.root;
    const configs = await readConfigFiles(reader);
    const configRel = opts.tsconfig ?? ['tsconfig.json', 'jsconfig.json'].find((n) => configs.has(n));
    const configAbs = configRel ? path.join(root, configRel) : undefined;
    const rootParsed = configAbs ? tsConfigOf(tsMorph, configAbs, configs) : undefined;
    // A solution (`files: []` + references) has no files of its own: its referenced projects' files, in one program.
    const parsed = rootParsed && configAbs ? withReferencedProjects(tsMorph, configAbs, rootParsed, configs) : rootParsed;
    const project = new tsMorph.Project({
      // A workspace not on disk (or a solution): the options as read through the port (ts-morph would read the disk).
      ...(configAbs && parsed ? (reader.onDisk && parsed === rootParsed ? { tsConfigFilePath: configAbs } : { compilerOptions: parsed.options }) : { compilerOptions: { allowJs: true, checkJs: false, jsx: tsMorph.ts.JsxEmit.Preserve, target: tsMorph.ts.ScriptTarget.ES2022, module: tsMorph.ts.ModuleKind.NodeNext, moduleResolution: tsMorph.ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true } }),
      skipAddingFilesFromTsConfig: true,
    });
    const wp = new WorkspaceProject(tsMorph, project, root, configRel);
    const names = parsed
      ? parsed.fileNames.map((f) => path.resolve(f))
      : (await reader.list()).map((rel) => path.join(root, rel));
    throwIfCancelled(opts.signal, 'Loading the TypeScript project');
    const read = (rel: string) => reader.read(rel);
    wp.reader = read;
    wp.workspace = reader;
    const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
    let done = 0;
    // Reads go ahead of parsing (a few in flight), so the disk is not waited on file by file.
    const inside = (rel: string) => !rel.startsWith('..') && !rel.split('/').includes('node_modules');
    const pending = new Map<string, Promise<{ bytes?: Uint8Array; error?: unknown }>>();
    let ahead = 0;
    const readAhead = () => {
      for (; ahead < names.length && pending.size < 32; ahead++) {
        const rel = wp.rel(names[ahead]!);
        if (inside(rel)) pending.set(rel, read(rel).then((bytes) => ({ bytes }), (error: unknown) => ({ error })));
      }
    };
    for (const abs of names) {
      throwIfCancelled(opts.signal, 'Loading the TypeScript project');
      const rel = wp.rel(abs);
      opts.onProgress?.(++done, names.length, rel);
      if (!inside(rel)) continue;
      readAhead();
      const got = await pending.get(rel);
      pending.delete(rel);
      if (got?.error !== undefined) throw got.error;
      const bytes = got?.bytes;
      if (!bytes || bytes.byteLength > maxBytes || isBinary(bytes)) continue;
      const { text, format } = readText(bytes);
      wp.bases.set(rel, { bytes, text, format });
      wp.origin.set(project.createSourceFile(abs, text, { overwrite: true }), rel);
    }
    return wp;
  }
}

/**
 * A solution-style config (no files of its own, `references`): the files of every project it
 * references (recursively), under the options of the first referenced project that has files with
 * the solution's own options over them — one program, so references, dependents and the public API
 * reach across projects (each project's own type check is the native engine's, like `tsc -b`).
 * Any other config: itself.
 */
function withReferencedProjects(tsMorph: TsMorph, configAbs: string, parsed: TsMorphModule.ts.ParsedCommandLine, configs: ConfigFiles): TsMorphModule.ts.ParsedCommandLine {
  if (parsed.fileNames.length || !parsed.projectReferences?.length) return parsed;
  const ts = tsMorph.ts;
  const seen = new Set([path.resolve(configAbs)]);
  const fileNames = new Set<string>();
  let options: TsMorphModule.ts.CompilerOptions | undefined;
  const visit = (refs: readonly TsMorphModule.ts.ProjectReference[]) => {
    for (const ref of refs) {
      const abs = path.resolve(ts.resolveProjectReferencePath(ref));
      if (seen.has(abs)) continue;
      seen.add(abs);
      let child: TsMorphModule.ts.ParsedCommandLine;
      try {
        child = tsConfigOf(tsMorph, abs, configs);
      } catch {
        continue; // a missing or broken referenced config: the native engine reports it
      }
      if (child.fileNames.length) options ??= child.options;
      for (const f of child.fileNames) fileNames.add(f);
      if (child.projectReferences) visit(child.projectReferences);
    }
  };
  visit(parsed.projectReferences);
  const { configFilePath: _c, ...own } = parsed.options;
  return { ...parsed, fileNames: [...fileNames], options: { ...options, ...own, composite: false, declaration: false, noEmit: true } };
}

/** A tsconfig's options and the files it includes (its `files`/`include`/`exclude`, `extends` followed), like tsc. */
function tsConfigOf(tsMorph: TsMorph, configAbs: string, configs: ConfigFiles): TsMorphModule.ts.ParsedCommandLine {
  const ts = tsMorph.ts;
  const host = configs.host(ts);
  const read = ts.readConfigFile(configAbs, (p) => host.readFile(p));
  // The compiler's own message, as ts-morph gave it when it read the config (callers name the file).
  if (read.error) throw new RustyError('invalid-change-set', ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, host, path.dirname(configAbs), undefined, configAbs);
}
