// Compiler options for organizing one file: those of the nearest tsconfig.json / jsconfig.json
// (walking up to the workspace root), adjusted so the language service looks at that file alone.
// The configs are read through the workspace reader (engine/configFiles.ts): unsaved text wins.

import path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { ConfigFiles } from '../../engine/configFiles';

type Ts = typeof TsNamespace;
type CompilerOptions = TsNamespace.CompilerOptions;

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'] as const;

/** Options that only concern output or other files; dropped so they cannot cause work or errors. */
const DROPPED_OPTIONS = [
  'composite', 'incremental', 'tsBuildInfoFile', 'outDir', 'outFile', 'out', 'declarationDir', 'rootDir',
  'rootDirs', 'typeRoots', 'plugins', 'lib', 'declaration', 'declarationMap', 'emitDeclarationOnly',
  'sourceMap', 'inlineSourceMap', 'build', 'configFilePath', 'configFile',
] as const;

export interface ResolvedConfig {
  /** Workspace-relative path of the config file, or '' when none applies. */
  key: string;
  options: CompilerOptions;
}

export class CompilerOptionsResolver {
  private readonly configForDir = new Map<string, string>();
  private readonly optionsForConfig = new Map<string, CompilerOptions>();

  constructor(
    private readonly ts: Ts,
    private readonly root: string,
    private readonly configs: ConfigFiles,
  ) {}

  /** `rel` is a workspace-relative file path. */
  resolve(rel: string): ResolvedConfig {
    const key = this.findConfig(parentDir(rel));
    let options = this.optionsForConfig.get(key);
    if (!options) {
      options = engineOptions(this.ts, key === '' ? {} : this.readConfig(key));
      this.optionsForConfig.set(key, options);
    }
    return { key, options };
  }

  /** Nearest config file at or above `dir` (workspace-relative, '' = root), '' when there is none. */
  private findConfig(dir: string): string {
    const cached = this.configForDir.get(dir);
    if (cached !== undefined) return cached;
    let found = '';
    for (const name of CONFIG_NAMES) {
      const rel = dir === '' ? name : `${dir}/${name}`;
      if (this.configs.has(rel)) {
        found = rel;
        break;
      }
    }
    if (found === '' && dir !== '') found = this.findConfig(parentDir(dir));
    this.configForDir.set(dir, found);
    return found;
  }

  private readConfig(rel: string): CompilerOptions {
    const ts = this.ts;
    const file = path.join(this.root, rel);
    const base = this.configs.host(ts);
    const read = ts.readConfigFile(file, (p) => base.readFile(p));
    if (read.error || typeof read.config !== 'object' || read.config === null) return {};
    // Only the options matter: don't let `include` expand into a walk of the whole workspace.
    const host: TsNamespace.ParseConfigHost = {
      useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
      readDirectory: () => [],
      fileExists: (p) => base.fileExists(p),
      readFile: (p) => base.readFile(p),
    };
    const existing: CompilerOptions = rel.endsWith('jsconfig.json') ? { allowJs: true } : {};
    try {
      const parsed = ts.parseJsonConfigFileContent(read.config, host, path.dirname(file), existing, file);
      return parsed.options;
    } catch {
      return existing;
    }
  }
}

/**
 * The workspace's options, made safe and fast for one-file analysis: no lib files, no module
 * resolution into other files, JS allowed, nothing emitted. An unset `jsx` becomes `react` (the
 * classic runtime), the only setting under which organize imports keeps the `React` import that
 * JSX needs there; with `preserve` or unset it drops it.
 */
export function engineOptions(ts: Ts, fromConfig: CompilerOptions): CompilerOptions {
  const options: CompilerOptions = { ...fromConfig };
  for (const key of DROPPED_OPTIONS) delete (options as Record<string, unknown>)[key];
  options.allowJs = true;
  options.noLib = true;
  options.noResolve = true;
  options.types = [];
  options.noEmit = true;
  options.skipLibCheck = true;
  if (options.jsx === undefined) options.jsx = ts.JsxEmit.React;
  return options;
}

function parentDir(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}
