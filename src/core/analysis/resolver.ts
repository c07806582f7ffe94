// Module specifiers to workspace files, resolved exactly as the compiler does for the unit's
// options (`paths`, `baseUrl`, `moduleResolution`, package `exports`, `.js` → `.ts`), with the
// files the analysis knows (including unsaved editor text) overlaid on the disk. An import that
// lands in a referenced project's build output is mapped back to the source file that produces
// it, the way project references make the editor see sources instead of `.d.ts` files.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { ConfigUnit } from './configs';
import { isAnalysable } from './configs';

type Ts = typeof TsNamespace;

const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const OUTPUT_EXT = /(?:\.d)?\.(?:[cm]?[jt]s|[jt]sx)$/i;

export interface ResolveRequest { spec: string; cjs?: boolean; dynamic?: boolean; reference?: boolean }

export class ModuleResolver {
  private readonly cache: TsNamespace.ModuleResolutionCache;
  private readonly memo = new Map<string, string | undefined>();
  private readonly formats = new Map<string, TsNamespace.ResolutionMode>();
  private readonly host: TsNamespace.ModuleResolutionHost;
  private readonly dirs = new Set<string>();

  constructor(
    private readonly ts: Ts,
    private readonly root: string,
    private readonly options: TsNamespace.CompilerOptions,
    /** Files known to exist (workspace-relative); others are looked up on disk. */
    private readonly known: ReadonlySet<string>,
    /** Every unit, to map build output of referenced projects back to sources. */
    private readonly units: readonly ConfigUnit[],
  ) {
    for (const rel of known) {
      for (let d = path.posix.dirname(rel); d !== '.' && !this.dirs.has(d); d = path.posix.dirname(d)) this.dirs.add(d);
    }
    this.host = {
      fileExists: (abs) => this.known.has(this.rel(abs)) || ts.sys.fileExists(abs),
      readFile: (abs) => ts.sys.readFile(abs),
      directoryExists: (abs) => this.dirs.has(this.rel(abs)) || ts.sys.directoryExists(abs),
      realpath: ts.sys.realpath ? (p) => ts.sys.realpath!(p) : undefined,
      getCurrentDirectory: () => root,
    };
    this.cache = ts.createModuleResolutionCache(root, (s) => s, options);
  }

  private rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  /** The workspace file an import of `fromRel` refers to; undefined for packages and unresolved ones. */
  resolve(fromRel: string, req: ResolveRequest): string | undefined {
    if (req.reference) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), req.spec.replace(/\\/g, '/')));
      return this.known.has(target) ? target : undefined;
    }
    const fromDir = path.posix.dirname(fromRel);
    const mode = this.modeFor(fromRel, req);
    const key = `${fromDir}\0${req.spec}\0${mode ?? ''}`;
    if (this.memo.has(key)) return this.memo.get(key);
    const containing = path.join(this.root, ...fromRel.split('/'));
    const resolved = this.ts.resolveModuleName(req.spec, containing, this.options, this.host, this.cache, undefined, mode).resolvedModule;
    let result: string | undefined;
    if (resolved) {
      const abs = this.host.realpath ? this.host.realpath(resolved.resolvedFileName) : resolved.resolvedFileName;
      const rel = this.rel(abs);
      if (!rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split('/').includes('node_modules')) {
        result = this.known.has(rel) && isAnalysable(rel) ? rel : this.outputToSource(abs) ?? (this.known.has(rel) ? rel : undefined);
      }
    }
    this.memo.set(key, result);
    return result;
  }

  private modeFor(fromRel: string, req: ResolveRequest): TsNamespace.ResolutionMode {
    const kind = this.options.moduleResolution;
    const K = this.ts.ModuleResolutionKind;
    if (kind !== K.Node16 && kind !== K.NodeNext) return undefined;
    if (req.dynamic) return this.ts.ModuleKind.ESNext;
    if (req.cjs) return this.ts.ModuleKind.CommonJS;
    if (/\.m[jt]s$/i.test(fromRel)) return this.ts.ModuleKind.ESNext;
    if (/\.c[jt]s$/i.test(fromRel)) return this.ts.ModuleKind.CommonJS;
    if (!this.formats.has(fromRel)) {
      // `.ts`/`.js` follow the nearest package.json's "type" (one lookup per file, cached).
      const abs = path.join(this.root, ...fromRel.split('/'));
      this.formats.set(fromRel, this.ts.getImpliedNodeFormatForFile(abs as TsNamespace.Path, this.cache.getPackageJsonInfoCache(), this.host, this.options));
    }
    return this.formats.get(fromRel);
  }

  /** `packages/b/dist/x.d.ts` → `packages/b/src/x.ts` when a unit builds the one from the other. */
  private outputToSource(abs: string): string | undefined {
    for (const u of this.units) {
      for (const out of u.outDirs) {
        const inside = path.relative(out, abs);
        if (inside.startsWith('..') || path.isAbsolute(inside)) continue;
        const base = path.join(u.sourceDir, inside.replace(OUTPUT_EXT, ''));
        for (const ext of SOURCE_EXTS) {
          const rel = this.rel(base + ext);
          if (this.known.has(rel)) return rel;
        }
      }
    }
    return undefined;
  }
}
