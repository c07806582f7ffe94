// Module references in a file (every string literal that names another module at run time or in a
// type), how they resolve, and how to write a specifier for a module's new location in the style
// the old specifier had. Used by move file to check and complete TypeScript's getEditsForFileRename.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { WorkspaceReader } from '../../engine/context';
import { readConfigFiles } from '../../engine/configFiles';

type Ts = typeof TsNamespace;

export type ModuleRefKind = 'import' | 'export' | 'import-equals' | 'import-type' | 'dynamic-import' | 'require' | 'mock';

export interface ModuleRef {
  kind: ModuleRefKind;
  literal: TsNamespace.StringLiteralLike;
  /** Span of the specifier text inside the quotes. */
  start: number;
  end: number;
  text: string;
}

/** Test-runner calls whose first argument is a module path (`vi.mock('./x')`, `jest.requireActual('./x')`, …). */
const MOCK_CALLS = new Set(['mock', 'doMock', 'unmock', 'doUnmock', 'dontMock', 'requireActual', 'requireMock', 'importActual', 'importMock', 'setMock', 'createMockFromModule']);
const MOCK_OBJECTS = new Set(['jest', 'vi']);

/**
 * Every module reference in source order: import/export declarations, `import x = require()`,
 * `import('…')` types, dynamic `import()`, `require()`/`require.resolve()` (in any file), and the
 * module argument of jest/vitest mock calls. The order is stable under edits that only change
 * specifier texts, so the n-th reference before an edit is the n-th after it.
 */
export function collectModuleRefs(ts: Ts, sf: TsNamespace.SourceFile): ModuleRef[] {
  const out: ModuleRef[] = [];
  const add = (kind: ModuleRefKind, node: TsNamespace.Node | undefined): void => {
    if (!node || !ts.isStringLiteralLike(node)) return;
    const start = node.getStart(sf) + 1;
    out.push({ kind, literal: node, start, end: node.end - 1, text: node.text });
  };
  const visit = (node: TsNamespace.Node): void => {
    if (ts.isImportDeclaration(node)) add('import', node.moduleSpecifier);
    else if (ts.isExportDeclaration(node)) add('export', node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add('import-equals', node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add('import-type', node.argument.literal);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const arg = node.arguments[0];
      if (callee.kind === ts.SyntaxKind.ImportKeyword) add('dynamic-import', arg);
      else if (ts.isIdentifier(callee) && callee.text === 'require' && node.arguments.length === 1) add('require', arg);
      else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && ts.isIdentifier(callee.name)) {
        const object = callee.expression.text;
        const method = callee.name.text;
        if (object === 'require' && method === 'resolve') add('require', arg);
        else if (MOCK_OBJECTS.has(object) && MOCK_CALLS.has(method)) add('mock', arg);
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);
  return out;
}

export interface ResolveHostOptions {
  ts: Ts;
  options: TsNamespace.CompilerOptions;
  /** Absolute paths of files that exist (in memory) regardless of the disk. */
  present: (abs: string) => boolean;
  /** Absolute paths that do not exist any more, whatever the disk says. */
  absent?: (abs: string) => boolean;
  /** Folders that exist (in memory) regardless of the disk. */
  presentDirectory?: (abs: string) => boolean;
  currentDirectory: string;
  /** Reads files the analysis does not hold (the workspace reader's config host); default ts.sys. */
  host?: ResolveHost;
}

export type ResolveHost = Pick<TsNamespace.ModuleResolutionHost, 'fileExists' | 'readFile' | 'directoryExists'>;

/**
 * Files and folders through the workspace reader (its configs, the files it holds when not on
 * disk), the folders of `files` (the program's: they exist even when only in memory), then the disk.
 */
export async function readerHost(ts: Ts, fs: WorkspaceReader, files: Iterable<string>): Promise<ResolveHost> {
  const base = (await readConfigFiles(fs)).host(ts);
  const dirs = new Set<string>();
  for (const f of files) for (let d = path.dirname(f); !dirs.has(d) && d !== path.dirname(d); d = path.dirname(d)) dirs.add(d);
  return { fileExists: (p) => base.fileExists(p), readFile: (p) => base.readFile(p), directoryExists: (d) => dirs.has(path.resolve(d)) || ts.sys.directoryExists(d) };
}

export type Resolve = (ref: ModuleRef, sf: TsNamespace.SourceFile) => string | undefined;

/** Resolves references the way the compiler does (one module resolution cache per state). */
export function makeResolver(opts: ResolveHostOptions): Resolve {
  const { ts, options } = opts;
  const sys = ts.sys;
  const base = opts.host ?? sys;
  const exists = (abs: string): boolean => !opts.absent?.(path.resolve(abs)) && (opts.present(path.resolve(abs)) || base.fileExists(abs));
  const host: TsNamespace.ModuleResolutionHost = {
    fileExists: exists,
    readFile: (abs) => base.readFile(abs),
    directoryExists: (abs) => opts.presentDirectory?.(path.resolve(abs)) === true || (base.directoryExists ?? sys.directoryExists)(abs),
    realpath: (abs) => abs,
    getCurrentDirectory: () => opts.currentDirectory,
    useCaseSensitiveFileNames: sys.useCaseSensitiveFileNames,
  };
  const canonical = (f: string): string => (sys.useCaseSensitiveFileNames ? f : f.toLowerCase());
  const cache = ts.createModuleResolutionCache(opts.currentDirectory, canonical, options);
  const resolveWith = (text: string, containing: string, mode: TsNamespace.ResolutionMode): TsNamespace.ResolvedModuleFull | undefined =>
    ts.resolveModuleName(text, containing, options, host, cache, undefined, mode).resolvedModule;
  return (ref, sf) => {
    let resolved: TsNamespace.ResolvedModuleFull | undefined;
    if (ref.kind === 'require') resolved = resolveWith(ref.text, sf.fileName, ts.ModuleKind.CommonJS);
    else {
      const mode = ref.kind === 'mock' ? undefined : ts.getModeForUsageLocation(sf, ref.literal, options);
      resolved = resolveWith(ref.text, sf.fileName, mode);
      // Mocks follow the test runner's resolution, which takes extensionless paths in ES modules too.
      if (!resolved && ref.kind === 'mock') resolved = resolveWith(ref.text, sf.fileName, ts.ModuleKind.CommonJS);
    }
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    return path.resolve(resolved.resolvedFileName);
  };
}

// ---------------------------------------------------------------------------------------------
// Writing specifiers

const TS_TO_JS: Record<string, string> = { '.ts': '.js', '.tsx': '.js', '.mts': '.mjs', '.cts': '.cjs', '.d.ts': '.js', '.d.mts': '.mjs', '.d.cts': '.cjs' };
const KNOWN_EXTENSIONS = ['.d.ts', '.d.mts', '.d.cts', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];

/** `.d.ts` counts as one extension. */
export function fullExtension(file: string): string {
  const lower = file.toLowerCase();
  return KNOWN_EXTENSIONS.find((e) => lower.endsWith(e)) ?? path.extname(file);
}

function stripExtension(file: string): string {
  const ext = fullExtension(file);
  return ext ? file.slice(0, -ext.length) : file;
}

function isIndexFile(file: string): boolean {
  return path.basename(stripExtension(file)) === 'index';
}

export function isRelativeSpecifier(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
}

type Ending = { kind: 'minimal' } | { kind: 'directory' } | { kind: 'extension'; asJs: boolean };

/** How the old specifier named its target: with an extension (which one), as a folder, or bare. */
function endingOf(oldSpec: string, oldTarget: string): Ending {
  const specExt = fullExtension(oldSpec);
  if (specExt && KNOWN_EXTENSIONS.includes(specExt)) {
    return { kind: 'extension', asJs: specExt.toLowerCase() !== fullExtension(oldTarget).toLowerCase() };
  }
  if (isIndexFile(oldTarget) && !/(^|\/)index$/.test(oldSpec)) return { kind: 'directory' };
  return { kind: 'minimal' };
}

/** The target path as the specifier will spell it (absolute, before making it relative or aliased). */
function spelledTarget(target: string, ending: Ending): string {
  if (ending.kind === 'extension') {
    const ext = fullExtension(target);
    return ending.asJs && TS_TO_JS[ext.toLowerCase()] ? stripExtension(target) + TS_TO_JS[ext.toLowerCase()] : target;
  }
  if (ending.kind === 'directory' && isIndexFile(target)) return path.dirname(target);
  return stripExtension(target);
}

export function relativeSpecifier(fromFile: string, spelled: string): string {
  let rel = path.relative(path.dirname(fromFile), spelled).split(path.sep).join('/');
  if (rel === '') rel = '.';
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export interface PathsConfig {
  base: string;
  paths: Record<string, string[]>;
}

export function pathsConfig(options: TsNamespace.CompilerOptions, configDir: string | undefined): PathsConfig | undefined {
  if (!options.paths) return undefined;
  const base = (options as { pathsBasePath?: string }).pathsBasePath ?? options.baseUrl ?? configDir;
  return base ? { base, paths: options.paths } : undefined;
}

/** Whether a specifier is written with one of the `paths` aliases. */
export function matchesAlias(spec: string, cfg: PathsConfig | undefined): boolean {
  if (!cfg) return false;
  return Object.keys(cfg.paths).some((key) => {
    const star = key.indexOf('*');
    if (star < 0) return spec === key;
    return spec.length >= key.length - 1 && spec.startsWith(key.slice(0, star)) && spec.endsWith(key.slice(star + 1));
  });
}

/** The shortest `paths` alias that reaches `spelled`, if any. */
function aliasFor(spelled: string, cfg: PathsConfig): string | undefined {
  let best: string | undefined;
  for (const [key, subs] of Object.entries(cfg.paths)) {
    for (const sub of subs) {
      const abs = path.resolve(cfg.base, sub);
      const star = abs.indexOf('*');
      let spec: string | undefined;
      if (star < 0) {
        if (!key.includes('*') && path.resolve(abs) === spelled) spec = key;
      } else if (key.includes('*')) {
        const prefix = abs.slice(0, star);
        const suffix = abs.slice(star + 1);
        if (spelled.startsWith(prefix) && spelled.endsWith(suffix) && spelled.length >= prefix.length + suffix.length) {
          const capture = spelled.slice(prefix.length, spelled.length - suffix.length).split(path.sep).join('/');
          if (capture) spec = key.replace('*', capture);
        }
      }
      if (spec && (!best || spec.length < best.length)) best = spec;
    }
  }
  return best;
}

/**
 * The specifier `importer` (at its new location) should use for `target` (at its new location),
 * in the style of `oldSpec` (which named `oldTarget`): relative stays relative, an alias stays an
 * alias when one reaches the new place (else relative), and `.js`/`.ts` endings and folder
 * (index) imports are kept.
 */
export function specifierFor(opts: { importer: string; target: string; oldSpec: string; oldTarget: string; paths?: PathsConfig | undefined }): string {
  const ending = endingOf(opts.oldSpec, opts.oldTarget);
  const spelled = spelledTarget(opts.target, ending);
  if (!isRelativeSpecifier(opts.oldSpec) && opts.paths) {
    const alias = aliasFor(spelled, opts.paths);
    if (alias) return alias;
  }
  return relativeSpecifier(opts.importer, spelled);
}
