// The public entry points of the packages a change touches: what package.json's `types`,
// `typings`, `main`, `module` and `exports` name, mapped back from build output to the source
// file that produces it (`dist/types/operators/index.d.ts` → `src/operators/index.ts`); when
// package.json names none that exists, `index.ts` at the package root or in `src/`.
import * as path from 'node:path';

const FIELDS = ['types', 'typings', 'main', 'module', 'es2015', 'browser'] as const;
const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Every string target in an `exports` value (conditions and subpaths, recursively); wildcard subpaths are left out. */
function exportTargets(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    if (!value.includes('*')) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) exportTargets(v, out);
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key.includes('*')) continue;
      if (key === './package.json') continue;
      exportTargets(v, out);
    }
  }
}

function stripExt(p: string): string {
  return p.replace(/\.d\.[cm]?ts$/i, '').replace(/\.(?:[cm]?[jt]s|[jt]sx)$/i, '');
}

/**
 * The source file (among `exists`) a package.json target refers to. Tries the target itself,
 * then drops leading build folders one at a time (`dist/types/x` → `types/x` → `x`), each under
 * the package root and under `src/`.
 */
export function sourceForTarget(pkgDir: string, target: string, exists: (rel: string) => boolean): string | undefined {
  const clean = path.posix.normalize(target.replace(/\\/g, '/')).replace(/^\.\//, '');
  if (clean.startsWith('..')) return undefined;
  const join = (...parts: string[]) => path.posix.join(pkgDir === '' ? '.' : pkgDir, ...parts).replace(/^\.\//, '');
  if (exists(join(clean)) && /\.(?:[cm]?ts|tsx)$/i.test(clean) && !/\.d\.[cm]?ts$/i.test(clean)) return join(clean);
  const segments = stripExt(clean).split('/').filter(Boolean);
  for (let drop = 0; drop < segments.length; drop++) {
    const rest = segments.slice(drop).join('/');
    for (const base of [rest, `src/${rest}`, `${rest}/index`, `src/${rest}/index`]) {
      for (const ext of SOURCE_EXTS) {
        const candidate = join(base + ext);
        if (exists(candidate)) return candidate;
      }
    }
  }
  return undefined;
}

/** Entry-point source files of the package whose package.json text is given (folder `pkgDir`, '' for the root). */
export function entryPointsOf(pkgDir: string, packageJson: string | undefined, exists: (rel: string) => boolean): string[] {
  const targets: string[] = [];
  if (packageJson) {
    try {
      const pkg = JSON.parse(packageJson) as Record<string, unknown>;
      for (const f of FIELDS) if (typeof pkg[f] === 'string') targets.push(pkg[f] as string);
      exportTargets(pkg.exports, targets);
    } catch {
      // An unreadable package.json names no entry points; fall back to index files.
    }
  }
  const found = new Set<string>();
  for (const t of targets) {
    const src = sourceForTarget(pkgDir, t, exists);
    if (src) found.add(src);
  }
  if (found.size === 0) {
    for (const base of ['index', 'src/index']) {
      for (const ext of ['.ts', '.tsx', '.mts']) {
        const candidate = path.posix.join(pkgDir === '' ? '.' : pkgDir, base + ext).replace(/^\.\//, '');
        if (exists(candidate)) {
          found.add(candidate);
          break;
        }
      }
      if (found.size) break;
    }
  }
  return [...found].sort();
}

/** The package folders (holding a package.json) nearest to each file, plus the workspace root. */
export function packageDirsFor(files: readonly string[], hasPackageJson: (dir: string) => boolean): string[] {
  const dirs = new Set<string>(['']);
  for (const f of files) {
    for (let d = path.posix.dirname(f); d !== '.' && d !== ''; d = path.posix.dirname(d)) {
      if (d.split('/').includes('node_modules')) break;
      if (hasPackageJson(d)) {
        dirs.add(d);
        break;
      }
    }
  }
  return [...dirs].sort();
}
