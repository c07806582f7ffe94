// Entry points: the files whose exports are the workspace's public API, so "unused" means "not
// reachable from here". In order of preference: an explicit list; what package.json files name
// (`exports` with conditions and `*` patterns — `null` targets exclude — `main`, `module`,
// `types`, `bin`, …), mapped from build output back to the source file that produces it; the
// tsconfig `files` lists; conventional index files. Test and tool-config files are not entries
// but always count as users of what they import.
import * as path from 'node:path';
import type { ConfigUnit } from './configs';
import type { AnalysisSummary } from './types';

const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const FIELDS = ['main', 'module', 'types', 'typings', 'browser', 'es2015', 'source'] as const;
const CONVENTIONAL = ['src/index', 'index', 'src/main', 'main'];

export const TEST_FILE = /(?:^|\/)(?:__tests__|__mocks__|test|tests|spec|e2e)\/|\.(?:test|spec|bench|e2e)\.[cm]?[jt]sx?$/i;
export const TOOL_CONFIG_FILE = /(?:^|\/)[^/]+\.config\.[cm]?[jt]s$|(?:^|\/)\.[^/]+rc\.[cm]?[jt]s$/i;

export interface EntryResult { entries: string[]; from: AnalysisSummary['entriesFrom'] }

export interface FindEntriesInput {
  /** Files that can be entries (workspace-relative). */
  files: ReadonlySet<string>;
  units: readonly ConfigUnit[];
  root: string;
  /** package.json files (workspace-relative) with their parsed contents. */
  packageJsons: { rel: string; json: unknown }[];
  explicit?: string[];
}

export function findEntries(input: FindEntriesInput): EntryResult {
  const { files } = input;
  if (input.explicit?.length) {
    const out = new Set<string>();
    for (const pattern of input.explicit) {
      const clean = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
      if (/[*?{[]/.test(clean)) {
        const re = globToRegExp(clean);
        for (const f of files) if (re.test(f)) out.add(f);
      } else if (files.has(clean)) out.add(clean);
    }
    return { entries: [...out].sort(), from: 'explicit' };
  }
  const fromPackages = new Set<string>();
  for (const pkg of input.packageJsons) for (const e of packageEntries(pkg.rel, pkg.json, files, input.units, input.root)) fromPackages.add(e);
  if (fromPackages.size) return { entries: [...fromPackages].sort(), from: 'package.json' };
  const fromConfigs = input.units.flatMap((u) => u.explicitFiles).filter((f) => files.has(f) && !/\.d\.[cm]?ts$/.test(f));
  if (fromConfigs.length) return { entries: [...new Set(fromConfigs)].sort(), from: 'tsconfig' };
  for (const base of CONVENTIONAL) {
    const hit = SOURCE_EXTS.map((e) => base + e).find((f) => files.has(f));
    if (hit) return { entries: [hit], from: 'convention' };
  }
  return { entries: [], from: 'none' };
}

/** The source files a package.json exposes (`wildcards: false` leaves out `"./x/*"` subpath patterns). */
export function packageEntries(pkgRel: string, json: unknown, files: ReadonlySet<string>, units: readonly ConfigUnit[], root: string, opts: { wildcards?: boolean } = {}): string[] {
  if (!json || typeof json !== 'object') return [];
  const pkg = json as Record<string, unknown>;
  const dir = path.posix.dirname(pkgRel) === '.' ? '' : path.posix.dirname(pkgRel);
  const out = new Set<string>();
  const add = (target: string) => {
    const src = sourceFor(dir, target, files, units, root);
    if (src) out.add(src);
  };
  for (const f of FIELDS) if (typeof pkg[f] === 'string') add(pkg[f] as string);
  if (typeof pkg.bin === 'string') add(pkg.bin);
  else if (pkg.bin && typeof pkg.bin === 'object') for (const v of Object.values(pkg.bin)) if (typeof v === 'string') add(v);
  if (pkg.exports !== undefined) {
    const map = subpathMap(pkg.exports);
    for (const [key, targets] of map) {
      for (const t of targets) {
        if (t === null) continue;
        if (!t.includes('*')) add(t);
        else if (opts.wildcards !== false) for (const src of expandPattern(dir, key, t, map, files)) out.add(src);
      }
    }
  }
  return [...out];
}

/** `exports` as subpath → every target string (all conditions; null = excluded). */
function subpathMap(exp: unknown): Map<string, (string | null)[]> {
  const map = new Map<string, (string | null)[]>();
  const leaves = (v: unknown, acc: (string | null)[]) => {
    if (typeof v === 'string' || v === null) acc.push(v);
    else if (Array.isArray(v)) v.forEach((x) => leaves(x, acc));
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => leaves(x, acc));
    return acc;
  };
  if (exp && typeof exp === 'object' && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.'))) {
    for (const [k, v] of Object.entries(exp as Record<string, unknown>)) if (k.startsWith('.') && k !== './package.json') map.set(k, leaves(v, []));
  } else {
    map.set('.', leaves(exp, []));
  }
  return map;
}

/** Node's rule: exact keys first, then the pattern with the longest prefix before `*` (ties: the longer key). */
function bestKey(subpath: string, keys: string[]): string | undefined {
  if (keys.includes(subpath)) return subpath;
  let best: string | undefined;
  for (const k of keys) {
    const star = k.indexOf('*');
    if (star < 0) continue;
    const prefix = k.slice(0, star);
    const suffix = k.slice(star + 1);
    if (subpath.length < k.length - 1 || !subpath.startsWith(prefix) || !subpath.endsWith(suffix)) continue;
    const bestPrefix = best ? best.indexOf('*') : -1;
    if (!best || prefix.length > bestPrefix || (prefix.length === bestPrefix && k.length > best.length)) best = k;
  }
  return best;
}

/** Source files a `"./x/*": "./dist/x/*.js"` pattern exposes, minus subpaths a more specific key maps to null. */
function expandPattern(dir: string, key: string, target: string, map: Map<string, (string | null)[]>, files: ReadonlySet<string>): string[] {
  if (!key.includes('*')) return [];
  const clean = target.replace(/^\.\//, '');
  const star = clean.indexOf('*');
  const before = clean.slice(0, star);
  const after = clean.slice(star + 1).replace(/(?:\.d)?\.(?:[cm]?[jt]s|[jt]sx)$/i, '');
  const keys = [...map.keys()];
  const join = (p: string) => (dir ? `${dir}/${p}` : p);
  for (const prefix of sourcePrefixes(before)) {
    const found: string[] = [];
    const full = join(prefix);
    for (const f of files) {
      if (!f.startsWith(full) || /\.d\.[cm]?ts$/.test(f)) continue;
      const ext = SOURCE_EXTS.find((e) => f.endsWith(after + e));
      if (!ext) continue;
      const middle = f.slice(full.length, f.length - after.length - ext.length);
      if (!middle) continue;
      const subpath = key.replace('*', middle);
      // A more specific key decides this subpath: it maps it to null (hidden) or exposes it itself.
      if (bestKey(subpath, keys) !== key) continue;
      found.push(f);
    }
    if (found.length) return found;
  }
  return [];
}

/** `dist/cjs/x/` → candidates for where its sources live: `src/dist/cjs/x/`, `dist/cjs/x/`, `src/cjs/x/`, …, `src/`, ``. */
function sourcePrefixes(outPrefix: string): string[] {
  const segs = outPrefix.split('/').filter(Boolean);
  const out: string[] = [];
  for (let drop = 0; drop <= segs.length; drop++) {
    const rest = segs.slice(drop).join('/');
    const base = rest ? `${rest}/` : '';
    out.push(`src/${base}`, base);
  }
  return [...new Set(out)];
}

/** The source file a build-output target comes from (or the target itself when it is a source). */
function sourceFor(dir: string, target: string, files: ReadonlySet<string>, units: readonly ConfigUnit[], root: string): string | undefined {
  const clean = path.posix.normalize(target.replace(/\\/g, '/')).replace(/^\.\//, '');
  if (clean.startsWith('..')) return undefined;
  const join = (p: string) => (dir ? `${dir}/${p}` : p);
  if (files.has(join(clean)) && !/\.d\.[cm]?ts$/.test(clean)) return join(clean);
  const stem = clean.replace(/(?:\.d)?\.(?:[cm]?[jt]s|[jt]sx)$/i, '');
  // `x`, `x/index`, and for bundler layouts (`dist/cli.js` built from `src/cli/main.ts`) `x/main`, `x/x`.
  const tryStem = (s: string) => {
    const last = s.slice(s.lastIndexOf('/') + 1);
    for (const candidate of [s, `${s}/index`, `${s}/main`, `${s}/${last}`]) {
      for (const ext of SOURCE_EXTS) if (files.has(candidate + ext)) return candidate + ext;
    }
    return undefined;
  };
  // The compiler's own mapping first: outDir/declarationDir → rootDir.
  const abs = path.join(root, ...join(stem).split('/'));
  for (const u of units) {
    for (const out of u.outDirs) {
      const inside = path.relative(out, abs);
      if (inside.startsWith('..') || path.isAbsolute(inside)) continue;
      const hit = tryStem(path.relative(root, path.join(u.sourceDir, inside)).split(path.sep).join('/'));
      if (hit) return hit;
    }
  }
  // Otherwise drop build folders one by one (`dist/types/x` → `types/x` → `x`), under `src/` and the package root.
  const segs = stem.split('/').filter(Boolean);
  for (let drop = 0; drop < segs.length; drop++) {
    const rest = segs.slice(drop).join('/');
    const hit = tryStem(join(`src/${rest}`)) ?? tryStem(join(rest));
    if (hit) return hit;
  }
  return undefined;
}

/** Globs for explicit entries: `**`, `*`, `?`, `{a,b}`. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
