// Real TypeScript that no one here wrote, for engine tests: a package's published `src/` fetched
// from the npm registry (`npm pack`), unpacked once into .cache/real-code/, with a generated
// tsconfig.json so the TypeScript compiler sees exactly that source tree.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const REAL_CODE_CACHE = path.join(REPO_ROOT, '.cache', 'real-code');

export interface RealPackage {
  /** Folder holding `src/` and the generated `tsconfig.json`: use it as a workspace root. */
  root: string;
  name: string;
  version: string;
}

/** Generated compiler options: strict enough to type-check the package's own src like its authors do. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], strict: true,
    skipLibCheck: true, noEmit: true, esModuleInterop: true, experimentalDecorators: false, types: [],
  },
  include: ['src/**/*.ts'],
  // Test and benchmark folders need their authors' dev dependencies; the library source does not.
  exclude: ['**/*.spec.ts', '**/*.test.ts', '**/__tests__/**', '**/tests/**', '**/benchmarks/**'],
};

export interface FetchOptions {
  /**
   * Compiler options merged over the generated ones, for packages whose sources need them (effect
   * 4 imports `./X.ts`, which needs `allowImportingTsExtensions`). The tsconfig is rewritten when
   * they differ from what is on disk.
   */
  compilerOptions?: Record<string, unknown>;
  /** Where packages are unpacked (default .cache/real-code of the repository; bundled benches pass theirs). */
  cacheDir?: string;
}

/** Unpacked once per version; later calls return the cached copy (safe across parallel workers). */
export function fetchRealPackage(name: string, version: string, opts: FetchOptions = {}): RealPackage {
  const key = `${name.replace('/', '__')}@${version}`;
  const cache = opts.cacheDir ?? REAL_CODE_CACHE;
  const dest = path.join(cache, key);
  const root = path.join(dest, 'package');
  if (!fs.existsSync(path.join(dest, '.done'))) {
    fs.mkdirSync(cache, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cache, `.${key}-`));
    const tgz = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
    execFileSync('tar', ['xzf', path.join(tmp, tgz), '-C', tmp]);
    fs.rmSync(path.join(tmp, tgz));
    fs.writeFileSync(path.join(tmp, 'package', 'tsconfig.json'), tsconfigText(opts));
    fs.writeFileSync(path.join(tmp, '.done'), new Date().toISOString());
    try {
      fs.renameSync(tmp, dest);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another worker won the race
    }
  }
  const wanted = tsconfigText(opts);
  const configPath = path.join(root, 'tsconfig.json');
  if (fs.readFileSync(configPath, 'utf8') !== wanted) {
    const tmpConfig = `${configPath}.${process.pid}.tmp`;
    fs.writeFileSync(tmpConfig, wanted);
    fs.renameSync(tmpConfig, configPath); // atomic: parallel workers see the old or the new file
  }
  return { root, name, version };
}

function tsconfigText(opts: FetchOptions): string {
  const config = { ...TSCONFIG, compilerOptions: { ...TSCONFIG.compilerOptions, ...opts.compilerOptions } };
  return JSON.stringify(config, null, 2) + '\n';
}

/** A private, writable copy of a real package (engines never write, but applying proposals does). */
export function copyRealPackage(pkg: RealPackage, into: string): string {
  const target = path.join(into, `${pkg.name.replace('/', '__')}@${pkg.version}`);
  fs.cpSync(pkg.root, target, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  return target;
}
