// The module dependency graph the impact analysis walks backwards: who imports a changed file,
// directly or through others. Built from each file's text with the TypeScript scanner
// (`preProcessFile`: imports, `export … from`, dynamic `import()`, `require()`, `/// <reference>`)
// and resolved like the compiler does (`resolveModuleName` with the workspace's compiler options,
// so `paths` aliases, `baseUrl`, index files and `.js`→`.ts` all count). No type checker.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { throwIfCancelled } from './cancel';
import { yieldNow } from '../engine/context';

type Ts = typeof TsNamespace;

/** A workspace-relative file; `null` when the module resolves outside the workspace (a package); undefined when it does not resolve. */
export type Resolve = (specifier: string, fromRel: string) => string | null | undefined;

export interface ResolverOptions {
  ts: Ts;
  root: string;
  compilerOptions: TsNamespace.CompilerOptions;
  /** Files that exist in this state of the workspace (workspace-relative) and files that do not. */
  present: ReadonlySet<string>;
  absent: ReadonlySet<string>;
}

/** A resolver for one state of the workspace (before or after the change set). */
export function createResolver(opts: ResolverOptions): Resolve {
  const { ts, root } = opts;
  const toRel = (abs: string) => path.relative(root, abs).split(path.sep).join('/');
  const dirs = new Set<string>();
  for (const rel of opts.present) {
    for (let d = path.posix.dirname(rel); d !== '.' && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
  }
  const host: TsNamespace.ModuleResolutionHost = {
    fileExists: (abs) => {
      const rel = toRel(abs);
      if (opts.present.has(rel)) return true;
      if (opts.absent.has(rel)) return false;
      return ts.sys.fileExists(abs);
    },
    readFile: (abs) => ts.sys.readFile(abs),
    directoryExists: (abs) => dirs.has(toRel(abs)) || ts.sys.directoryExists(abs),
    realpath: ts.sys.realpath ? (p) => ts.sys.realpath!(p) : undefined,
    getCurrentDirectory: () => root,
  };
  const cache = ts.createModuleResolutionCache(root, (s) => s, opts.compilerOptions);
  return (specifier, fromRel) => {
    const containing = path.join(root, ...fromRel.split('/'));
    const resolved = ts.resolveModuleName(specifier, containing, opts.compilerOptions, host, cache).resolvedModule;
    if (!resolved) return undefined;
    if (resolved.isExternalLibraryImport) return null;
    const rel = toRel(resolved.resolvedFileName);
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split('/').includes('node_modules')) return null;
    return rel;
  };
}

/** Module specifiers a file mentions (static, re-export, dynamic, require, triple-slash path). */
export function moduleSpecifiers(ts: Ts, text: string): { modules: string[]; paths: string[] } {
  const info = ts.preProcessFile(text, true, true);
  const modules = info.importedFiles.map((f) => f.fileName);
  // preProcessFile skips `export * as ns from '…'` (zod's `export * as util from "./util.js"`).
  if (text.includes('*')) for (const m of text.matchAll(NAMESPACE_REEXPORT)) if (!modules.includes(m[2]!)) modules.push(m[2]!);
  return { modules, paths: info.referencedFiles.map((f) => f.fileName) };
}

const NAMESPACE_REEXPORT = /^[ \t]*export\s+(?:type\s+)?\*\s*as\s+[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*\s+from\s*(['"])([^'"\r\n]+)\1/gmu;

export class ImportGraph {
  /** file → workspace files it imports. */
  private readonly forward = new Map<string, Set<string>>();
  private reverseIndex: Map<string, Set<string>> | undefined;
  /** Files with a module specifier that resolves nowhere (a new file may satisfy it). */
  readonly unresolved = new Set<string>();

  has(rel: string): boolean {
    return this.forward.has(rel);
  }

  get size(): number {
    return this.forward.size;
  }

  files(): IterableIterator<string> {
    return this.forward.keys();
  }

  imports(rel: string): ReadonlySet<string> {
    return this.forward.get(rel) ?? new Set();
  }

  /** (Re)compute a file's outgoing edges from its text. */
  setFile(ts: Ts, rel: string, text: string, resolve: Resolve): void {
    const { modules, paths } = moduleSpecifiers(ts, text);
    const out = new Set<string>();
    this.unresolved.delete(rel);
    for (const spec of modules) {
      const target = resolve(spec, rel);
      if (target === undefined) this.unresolved.add(rel);
      else if (target && target !== rel) out.add(target);
    }
    for (const ref of paths) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), ref.replace(/\\/g, '/')));
      if (!target.startsWith('..') && target !== rel) out.add(target);
    }
    this.forward.set(rel, out);
    this.reverseIndex = undefined;
  }

  removeFile(rel: string): void {
    this.forward.delete(rel);
    this.unresolved.delete(rel);
    this.reverseIndex = undefined;
  }

  /** Files that import `rel` directly. */
  importers(rel: string): ReadonlySet<string> {
    if (!this.reverseIndex) {
      const rev = new Map<string, Set<string>>();
      for (const [from, tos] of this.forward) {
        for (const to of tos) {
          let set = rev.get(to);
          if (!set) rev.set(to, (set = new Set()));
          set.add(from);
        }
      }
      this.reverseIndex = rev;
    }
    return this.reverseIndex.get(rel) ?? new Set();
  }

  static async build(ts: Ts, files: Iterable<[string, string]>, resolve: Resolve, signal?: AbortSignal): Promise<ImportGraph> {
    const g = new ImportGraph();
    let n = 0;
    for (const [rel, text] of files) {
      if (++n % 200 === 0) {
        throwIfCancelled(signal);
        await yieldNow(); // stay responsive (extension host) and let cancellation in
      }
      g.setFile(ts, rel, text, resolve);
    }
    return g;
  }
}

export interface DependentsResult {
  /**
   * Files that import a start file, directly or transitively, in breadth-first order (nearest
   * first). A start file is listed too when it imports another start file.
   */
  files: string[];
  direct: Set<string>;
  truncated: boolean;
}

/**
 * Everything that imports any of `start`, directly or transitively, over the union of one or more
 * graphs (the workspace before and after the change). Stops after `max` files.
 */
export function transitiveDependents(graphs: readonly ImportGraph[], start: readonly string[], max: number): DependentsResult {
  const listed = new Set<string>();
  const expanded = new Set(start);
  const files: string[] = [];
  const direct = new Set<string>();
  let frontier = [...start];
  let depth = 0;
  while (frontier.length) {
    const next: string[] = [];
    for (const f of frontier) {
      for (const g of graphs) {
        for (const importer of g.importers(f)) {
          if (importer === f) continue;
          if (depth === 0) direct.add(importer);
          if (!listed.has(importer)) {
            if (files.length >= max) return { files, direct, truncated: true };
            listed.add(importer);
            files.push(importer);
          }
          if (!expanded.has(importer)) {
            expanded.add(importer);
            next.push(importer);
          }
        }
      }
    }
    frontier = next;
    depth++;
  }
  return { files, direct, truncated: false };
}
