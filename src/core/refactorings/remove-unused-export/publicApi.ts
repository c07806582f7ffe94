// A package's public API as far as its sources go: the entry points its package.json names (main,
// module, types, typings, browser, exports with conditions and `*` subpaths), mapped from build
// output back to source files (`./dist/cjs/index.js` → `src/index.ts`), and every export reachable
// from them (through `export *`, re-exports and namespace exports).
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { decodeUtf8 } from '../../util/text';

type Ts = typeof TsNamespace;

export interface PackageEntry {
  /** Workspace-relative folder of the package.json ('' for the root). */
  dir: string;
  packageName: string;
  /** Where the entry is named: `main`, `exports["./internal/*"].types`, … */
  field: string;
  target: string;
}

export interface EntryFile { file: string; entry: PackageEntry }

/** Folders build output usually lives in (stripped when mapping an entry back to its source). */
const OUTPUT_DIRS = new Set(['dist', 'lib', 'build', 'out', 'esm', 'esm5', 'esm2015', 'es2015', 'es2020', 'es2022', 'cjs', 'commonjs', 'mjs', 'types', 'typings', 'dts', 'declarations', 'umd', 'module', 'node', 'browser', 'bundle', 'src']);
const SOURCE_EXT = String.raw`(?:\.d)?\.[cm]?[tj]sx?`;

/** package.json files from the file's folder up to the workspace root. */
export async function packageEntries(wp: WorkspaceProject, rel: string): Promise<PackageEntry[]> {
  const out: PackageEntry[] = [];
  for (let dir = path.posix.dirname(rel); ; dir = path.posix.dirname(dir)) {
    const d = dir === '.' ? '' : dir;
    const bytes = await wp.readFile(d ? `${d}/package.json` : 'package.json').catch(() => undefined);
    if (bytes) {
      try {
        const pkg = JSON.parse(decodeUtf8(bytes)) as Record<string, unknown>;
        const packageName = typeof pkg.name === 'string' ? pkg.name : d || '(workspace root)';
        const add = (field: string, target: unknown): void => {
          if (typeof target === 'string') out.push({ dir: d, packageName, field, target });
        };
        for (const f of ['main', 'module', 'types', 'typings', 'browser']) add(f, pkg[f]);
        collectExports(pkg.exports, 'exports', add);
      } catch {
        // not JSON: not a package manifest we can read
      }
    }
    if (d === '') break;
  }
  return out;
}

function collectExports(value: unknown, field: string, add: (field: string, target: unknown) => void): void {
  if (typeof value === 'string') add(field, value);
  else if (Array.isArray(value)) value.forEach((v, i) => collectExports(v, `${field}[${i}]`, add));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectExports(v, `${field}[${JSON.stringify(k)}]`, add);
  }
}

/** Source files (workspace-relative) an entry may be built from. */
export function entryMatcher(entry: PackageEntry, outDirRel?: string, rootDirRel?: string): RegExp | undefined {
  let t = entry.target.replace(/\\/g, '/').replace(/^\.\//, '');
  if (t.startsWith('../') || t.startsWith('/') || /\.json$/i.test(t)) return undefined;
  if (t.endsWith('/')) t += 'index';
  t = t.replace(/(?:\.d)?\.[cm]?[tj]sx?$/i, '');
  const bases = new Set<string>([t]);
  if (outDirRel && rootDirRel !== undefined && (t === outDirRel || t.startsWith(`${outDirRel}/`))) bases.add(path.posix.join(rootDirRel, t.slice(outDirRel.length + 1)));
  const segments = t.split('/');
  for (let i = 0; i < segments.length - 1 && OUTPUT_DIRS.has(segments[i]!); i++) {
    const rest = segments.slice(i + 1).join('/');
    bases.add(rest);
    bases.add(`src/${rest}`);
  }
  if (!t.startsWith('src/')) bases.add(`src/${t}`);
  const prefix = entry.dir ? `${escape(entry.dir)}/` : '';
  const alternatives = [...bases].map((b) => escape(b).replace(/\\\*/g, '(.+)'));
  return new RegExp(`^${prefix}(?:${alternatives.join('|')})(?:${SOURCE_EXT}|/index${SOURCE_EXT})$`);
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
}

/** The project's files that are package entry points, with the entry that names them. */
export function entryFiles(wp: WorkspaceProject, entries: readonly PackageEntry[], options: TsNamespace.CompilerOptions): EntryFile[] {
  const outDir = options.outDir ? wp.rel(options.outDir) : undefined;
  const rootDir = options.rootDir ? wp.rel(options.rootDir) : undefined;
  const matchers = entries.map((entry) => ({ entry, re: entryMatcher(entry, outDir, rootDir) })).filter((m) => m.re);
  const out: EntryFile[] = [];
  for (const file of wp.files()) {
    const m = matchers.find((x) => x.re!.test(file));
    if (m) out.push({ file, entry: m.entry });
  }
  return out;
}

/**
 * The entry through which `isTarget` (an export symbol test) is public, if any: walks each entry's
 * exports, every alias step of each, and the exports of modules exported as namespaces.
 */
export function publicThrough(ts: Ts, checker: TsNamespace.TypeChecker, program: TsNamespace.Program, wp: WorkspaceProject, entries: readonly EntryFile[], isTarget: (s: TsNamespace.Symbol) => boolean): EntryFile | undefined {
  for (const entry of entries) {
    const sf = program.getSourceFile(wp.abs(entry.file));
    const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) continue;
    const seen = new Set<TsNamespace.Symbol>();
    const queue: TsNamespace.Symbol[] = [moduleSymbol];
    while (queue.length) {
      const mod = queue.shift()!;
      if (seen.has(mod)) continue;
      seen.add(mod);
      for (const exported of checker.getExportsOfModule(mod)) {
        let s: TsNamespace.Symbol | undefined = exported;
        for (let depth = 0; s && depth < 20; depth++) {
          if (isTarget(s)) return entry;
          if (!(s.flags & ts.SymbolFlags.Alias)) break;
          s = checker.getImmediateAliasedSymbol(s);
        }
        if (s && s.flags & ts.SymbolFlags.ValueModule && s.declarations?.some((d) => ts.isSourceFile(d))) queue.push(s);
      }
    }
  }
  return undefined;
}
