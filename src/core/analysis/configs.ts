// The workspace's TypeScript programs as tsc would build them: the root tsconfig (or jsconfig)
// and, recursively, the projects it references. Each becomes a unit with its own compiler
// options (paths, allowJs, …) and the files it owns; a file listed by several belongs to the
// first. Without a config, one unit of every TS/JS file with permissive defaults, like
// WorkspaceProject. node_modules and build output are never analysed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { ALWAYS_SKIPPED_DIRS } from '../workspace/listFiles';
import { readerOf } from '../engine/context';
import { readConfigFiles, type ConfigFiles } from '../engine/configFiles';
import { RustyError } from '../util/errors';

type Ts = typeof TsNamespace;

export interface ConfigUnit {
  /** Workspace-relative config path; null when the workspace has none. */
  config: string | null;
  options: TsNamespace.CompilerOptions;
  /** Workspace-relative files the unit owns, sorted. */
  files: string[];
  /** Every file the config names (absolute), build output included: the program's roots, as in tsc. */
  rootNames: string[];
  /** Problems tsc reports about the config itself. */
  errors: TsNamespace.Diagnostic[];
  /** The config's own `files` list (explicit roots), workspace-relative. */
  explicitFiles: string[];
  /** Where build output goes and the source folder it mirrors (absolute), to map output back to source. */
  outDirs: string[];
  sourceDir: string;
}

const SKIPPED = new Set<string>(ALWAYS_SKIPPED_DIRS);

export function isAnalysable(rel: string): boolean {
  return !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split('/').some((s) => SKIPPED.has(s));
}

/**
 * `extraFiles` (absolute) exist only in memory (a new file not saved yet): the configs' include
 * patterns are matched against them as if they were on disk.
 */
export async function discoverUnits(ts: Ts, root: string, tsconfig?: string, signal?: AbortSignal, extraFiles: string[] = [], configFiles?: ConfigFiles): Promise<ConfigUnit[]> {
  const cf = configFiles ?? await readConfigFiles(readerOf({ root }, signal));
  const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/');
  const rootConfig = tsconfig ?? ['tsconfig.json', 'jsconfig.json'].find((n) => cf.has(n));
  if (!rootConfig) {
    const files = (await cf.reader.list()).filter(isAnalysable);
    const options: TsNamespace.CompilerOptions = {
      allowJs: true, checkJs: false, jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true,
    };
    return [{ config: null, options, files, rootNames: files.map((f) => path.join(root, ...f.split('/'))), errors: [], explicitFiles: [], outDirs: [], sourceDir: root }];
  }

  const units: ConfigUnit[] = [];
  const owned = new Set<string>();
  const visited = new Set<string>();
  const visit = (configAbs: string, isRoot: boolean) => {
    const real = path.resolve(configAbs);
    if (visited.has(real)) return;
    visited.add(real);
    const parsed = parseConfig(ts, real, isRoot, extraFiles, cf);
    if (!parsed) return;
    const files = parsed.fileNames.map((f) => rel(path.resolve(f))).filter((f) => isAnalysable(f) && !owned.has(f)).sort();
    files.forEach((f) => owned.add(f));
    const raw = (parsed.raw ?? {}) as { files?: unknown };
    const explicitFiles = Array.isArray(raw.files) ? raw.files.filter((f): f is string => typeof f === 'string').map((f) => rel(path.resolve(path.dirname(real), f))) : [];
    const o = parsed.options;
    const outDirs = [o.outDir, o.declarationDir].filter((d): d is string => !!d).map((d) => path.resolve(d));
    const sourceDir = o.rootDir ? path.resolve(o.rootDir) : commonDir(parsed.fileNames.filter((f) => !/\.d\.[cm]?ts$/.test(f)).map((f) => path.resolve(f))) ?? path.dirname(real);
    // A solution-style config (`files: []` + references) owns nothing and is not a program of its own.
    if (files.length || isRoot && !parsed.projectReferences?.length) {
      units.push({ config: rel(real), options: o, files, rootNames: parsed.fileNames.map((f) => path.resolve(f)), errors: parsed.errors, explicitFiles, outDirs, sourceDir });
    }
    for (const ref of parsed.projectReferences ?? []) visit(ts.resolveProjectReferencePath(ref), false);
  };
  visit(path.join(root, rootConfig), true);
  return units;
}

function parseConfig(ts: Ts, configAbs: string, required: boolean, extraFiles: string[], cf: ConfigFiles): TsNamespace.ParsedCommandLine | undefined {
  const rel = path.relative(cf.reader.root, configAbs).split(path.sep).join('/');
  if (!cf.has(rel) && !fs.existsSync(configAbs)) {
    if (required) throw new RustyError('not-found', `${configAbs} does not exist.`);
    return undefined; // a dangling reference: tsc reports it; nothing to analyse here
  }
  let fatal: TsNamespace.Diagnostic | undefined;
  const host = cf.host(ts, (d) => { fatal = d; }, extraFiles);
  const parsed = ts.getParsedCommandLineOfConfigFile(configAbs, undefined, host);
  if (!parsed || fatal) {
    const why = fatal ? ts.flattenDiagnosticMessageText(fatal.messageText, '\n') : 'unreadable';
    throw new RustyError('invalid-change-set', `${configAbs}: ${why}`);
  }
  return parsed;
}

function commonDir(files: string[]): string | undefined {
  if (!files.length) return undefined;
  let parts = path.dirname(files[0]!).split(path.sep);
  for (const f of files.slice(1)) {
    const other = path.dirname(f).split(path.sep);
    let i = 0;
    while (i < parts.length && i < other.length && parts[i] === other[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join(path.sep) || path.sep;
}
