// The type checker's program for one tsconfig unit, built the way `tsc` builds it (same compiler,
// the TypeScript bundled with ts-morph, with its lib files) but from the texts the analysis already
// holds: each file is parsed once — for the facts and for the checker — without the bookkeeping of
// a ts-morph Project (parent pointers, wrappers), which costs about as much as the parse itself on
// large workspaces. Updating a file and asking for the program again reuses every unchanged
// source file (TypeScript's structure reuse), so an edit re-checks only what it affects.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';

type Ts = typeof TsNamespace;

export interface LibFiles {
  /** Folder the lib files appear in (virtual; served from memory). */
  dir: string;
  texts: ReadonlyMap<string, string>;
}

let libFiles: Promise<LibFiles> | undefined;

/** ts-morph's copy of TypeScript's lib .d.ts files (its bundled TypeScript has none on disk). */
export function loadLibFiles(): Promise<LibFiles> {
  // CommonJS through a bundle's dynamic import may arrive as `{ default: module.exports }` (see loadTsMorph).
  libFiles ??= import('@ts-morph/common').then((mod) => {
    type Common = Pick<typeof mod, 'getLibFiles' | 'libFolderInMemoryPath'>;
    const withDefault = mod as unknown as Common & { default?: Common };
    const common: Common = withDefault.default?.getLibFiles ? withDefault.default : withDefault;
    const dir = path.resolve(common.libFolderInMemoryPath);
    return { dir, texts: new Map(common.getLibFiles().map((f) => [path.join(dir, f.fileName), f.text])) };
  });
  return libFiles;
}

export interface ProgramSource {
  /** Text of a workspace file the analysis holds (absolute path); undefined = read the disk. */
  text(abs: string): string | undefined;
  /** Files the analysis knows are gone (deleted in the editor): never read from disk. */
  isDeleted(abs: string): boolean;
  /** A folder holding files the analysis holds (a workspace not on disk); asked after the disk. */
  hasDir?(abs: string): boolean;
  /** Told when a workspace file is parsed (progress; parsing is synchronous and cannot be cancelled). */
  onParse?(abs: string): void;
}

export class AnalysisProgram {
  private current: TsNamespace.Program | undefined;
  private readonly sourceFiles = new Map<string, TsNamespace.SourceFile>();
  private readonly host: TsNamespace.CompilerHost;
  private rootNames: string[];
  private readonly readText: (abs: string) => string | undefined;
  private languageServiceInstance: TsNamespace.LanguageService | undefined;
  /** Per file, bumped by `update`: what tells the language service a text changed. */
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly ts: Ts,
    private readonly root: string,
    private readonly options: TsNamespace.CompilerOptions,
    rootNames: readonly string[],
    private readonly configErrors: readonly TsNamespace.Diagnostic[],
    private readonly libs: LibFiles,
    private readonly source: ProgramSource,
  ) {
    this.rootNames = [...rootNames];
    const sys = ts.sys;
    const readText = (abs: string): string | undefined => {
      if (libs.texts.has(abs)) return libs.texts.get(abs);
      if (source.isDeleted(abs)) return undefined;
      return source.text(abs) ?? sys.readFile(abs);
    };
    this.readText = readText;
    const canonical = sys.useCaseSensitiveFileNames ? (f: string) => f : (f: string) => f.toLowerCase();
    this.host = {
      getSourceFile: (fileName, languageVersionOrOptions) => {
        const abs = path.resolve(fileName);
        const format = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions.impliedNodeFormat : undefined;
        const key = `${abs}\0${format ?? ''}`;
        let sf = this.sourceFiles.get(key);
        if (!sf) {
          const text = readText(abs);
          if (text === undefined) return undefined;
          // No parent pointers: the binder sets them when the checker needs them (like tsc).
          sf = ts.createSourceFile(fileName, text, languageVersionOrOptions, false);
          this.sourceFiles.set(key, sf);
          if (!libs.texts.has(abs)) source.onParse?.(abs);
        }
        return sf;
      },
      getDefaultLibFileName: (o) => path.join(libs.dir, ts.getDefaultLibFileName(o)),
      getDefaultLibLocation: () => libs.dir,
      writeFile: () => undefined,
      getCurrentDirectory: () => root,
      getCanonicalFileName: canonical,
      useCaseSensitiveFileNames: () => sys.useCaseSensitiveFileNames,
      getNewLine: () => '\n',
      fileExists: (f) => {
        const abs = path.resolve(f);
        return libs.texts.has(abs) || (!source.isDeleted(abs) && (source.text(abs) !== undefined || sys.fileExists(abs)));
      },
      readFile: (f) => readText(path.resolve(f)),
      directoryExists: (d) => path.resolve(d).startsWith(libs.dir) || sys.directoryExists(d) || !!source.hasDir?.(path.resolve(d)),
      getDirectories: (d) => sys.getDirectories(d),
      realpath: sys.realpath ? (p) => sys.realpath!(p) : (p) => p,
      // What `tsc` itself uses: JSDoc in .ts files is skipped (it cannot change a type error).
      jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors,
    };
  }

  /** The program for the current texts; after `update`, a new one that reuses what did not change. */
  program(): TsNamespace.Program {
    this.current ??= this.ts.createProgram({
      rootNames: this.rootNames,
      options: this.options,
      host: this.host,
      ...(this.oldProgram ? { oldProgram: this.oldProgram } : {}),
      configFileParsingDiagnostics: this.configErrors,
    });
    this.oldProgram = undefined;
    return this.current;
  }

  private oldProgram: TsNamespace.Program | undefined;

  /**
   * A language service over the same texts and options (code fixes need one; the checker's
   * program above has no services). Built on first use; it parses and checks what it is asked
   * about on its own, so only the files whose fixes are looked at cost a second check.
   */
  languageService(): TsNamespace.LanguageService {
    if (!this.languageServiceInstance) {
      const ts = this.ts;
      const sys = ts.sys;
      const host: TsNamespace.LanguageServiceHost = {
        getScriptFileNames: () => this.rootNames,
        getScriptVersion: (f) => String(this.versions.get(path.resolve(f)) ?? 0),
        getScriptSnapshot: (f) => {
          const text = this.readText(path.resolve(f));
          return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
        },
        getCompilationSettings: () => this.options,
        getCurrentDirectory: () => this.root,
        getDefaultLibFileName: (o) => path.join(this.libs.dir, ts.getDefaultLibFileName(o)),
        fileExists: (f) => this.host.fileExists(f),
        readFile: (f) => this.readText(path.resolve(f)),
        directoryExists: (d) => this.host.directoryExists!(d),
        getDirectories: (d) => sys.getDirectories(d),
        realpath: (p) => this.host.realpath!(p),
        useCaseSensitiveFileNames: () => sys.useCaseSensitiveFileNames,
        getNewLine: () => '\n',
      };
      this.languageServiceInstance = ts.createLanguageService(host, ts.createDocumentRegistry(sys.useCaseSensitiveFileNames, this.root));
    }
    return this.languageServiceInstance;
  }

  /** A file's text changed (or it was created, or deleted: `inRoots` false removes it from the roots). */
  update(abs: string, inRoots: boolean): void {
    this.versions.set(abs, (this.versions.get(abs) ?? 0) + 1);
    for (const key of [...this.sourceFiles.keys()]) if (key.startsWith(`${abs}\0`)) this.sourceFiles.delete(key);
    // A new array: the old program keeps (and compares against) the one it was given.
    const has = this.rootNames.includes(abs);
    if (inRoots && !has) this.rootNames = [...this.rootNames, abs];
    if (!inRoots && has) this.rootNames = this.rootNames.filter((r) => r !== abs);
    if (this.current) this.oldProgram = this.current;
    this.current = undefined;
  }
}
