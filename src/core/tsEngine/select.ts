// Which TypeScript compiler type-checks a workspace. Like VS Code's "workspace version", the
// project's own TypeScript decides: a project on TypeScript ≥ 7 whose native compiler is installed
// runs on that compiler (through its API); anything else runs on the bundled TypeScript through
// ts-morph, as before. `native` also accepts Rusty's own TypeScript 7 (the CLI depends on it; the
// VSIX does not ship it), so `--engine native` works on any project from the CLI.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { RustyError } from '../util/errors';

export type { CompilerInfo } from './types';

export const ENGINE_SETTINGS = ['auto', 'native', 'bundled'] as const;
export type EngineSetting = (typeof ENGINE_SETTINGS)[number];

/** A TypeScript package found on disk. */
export interface TypeScriptInstall {
  /** Folder of the package (…/node_modules/typescript). */
  dir: string;
  version: string;
  major: number;
  /** The native API entry (dist/api/async/api.js) when this is TypeScript ≥ 7 and its compiler binary is installed. */
  nativeApi?: string;
}

export type EngineChoice =
  | { engine: 'native'; version: string; source: 'workspace' | 'rusty'; apiPath: string; reason: string }
  | { engine: 'bundled'; reason: string };

export function parseEngineSetting(value: unknown, from: string): EngineSetting {
  if (value === undefined || value === null || value === '') return 'auto';
  if (typeof value === 'string' && (ENGINE_SETTINGS as readonly string[]).includes(value)) return value as EngineSetting;
  throw new RustyError('usage', `${from} must be one of ${ENGINE_SETTINGS.join(', ')} (got ${JSON.stringify(value)}).`);
}

function readPackage(dir: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}

/** The native compiler binary of a TypeScript 7 package, as its own lib/getExePath.js finds it. */
function nativeBinaryPresent(dir: string): boolean {
  const req = createRequire(path.join(dir, 'package.json'));
  try {
    const pj = req.resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
    return fs.existsSync(path.join(path.dirname(pj), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc'));
  } catch {
    return false;
  }
}

/** A TypeScript package folder → what it is (undefined when it is not one). */
export function describeTypeScript(dir: string): TypeScriptInstall | undefined {
  const pj = readPackage(dir);
  if (!pj || pj.name !== 'typescript' || typeof pj.version !== 'string') return undefined;
  const major = Number.parseInt(pj.version, 10);
  if (!Number.isFinite(major)) return undefined;
  const install: TypeScriptInstall = { dir, version: pj.version, major };
  const api = path.join(dir, 'dist', 'api', 'async', 'api.js');
  if (major >= 7 && fs.existsSync(api) && nativeBinaryPresent(dir)) install.nativeApi = api;
  return install;
}

/** The workspace's TypeScript: node_modules/typescript of the root or its nearest ancestor that has one. */
export function workspaceTypeScript(root: string): TypeScriptInstall | undefined {
  let dir = path.resolve(root);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', 'typescript');
    if (fs.existsSync(path.join(candidate, 'package.json'))) return describeTypeScript(fs.realpathSync(candidate));
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let ownNative: TypeScriptInstall | null | undefined;

/** Rusty's own TypeScript 7 (the `typescript-native` dependency of the CLI); undefined in the VSIX. */
export function rustyNativeTypeScript(): TypeScriptInstall | undefined {
  if (ownNative === undefined) {
    try {
      const pj = createRequire(import.meta.url).resolve('typescript-native/package.json');
      ownNative = describeTypeScript(path.dirname(pj)) ?? null;
    } catch {
      ownNative = null;
    }
  }
  return ownNative ?? undefined;
}

export interface SelectOptions {
  setting: EngineSetting;
  root: string;
  /** Rusty's own native compiler; default: resolved next to Rusty (absent in the VSIX). Tests pass null. */
  rustyNative?: TypeScriptInstall | null;
}

/** auto → the workspace's native compiler when it uses TypeScript ≥ 7, else bundled; native → the workspace's, else Rusty's. */
export function selectEngine(opts: SelectOptions): EngineChoice {
  if (opts.setting === 'bundled') return { engine: 'bundled', reason: 'the setting asks for the bundled TypeScript' };
  const ws = workspaceTypeScript(opts.root);
  if (ws?.nativeApi) return { engine: 'native', version: ws.version, source: 'workspace', apiPath: ws.nativeApi, reason: `the workspace uses TypeScript ${ws.version}` };
  if (opts.setting === 'auto') {
    const why = !ws ? 'the workspace has no node_modules/typescript' : ws.major < 7 ? `the workspace uses TypeScript ${ws.version}` : `the workspace's TypeScript ${ws.version} has no native compiler for ${process.platform}-${process.arch}`;
    return { engine: 'bundled', reason: why };
  }
  const own = opts.rustyNative === undefined ? rustyNativeTypeScript() : opts.rustyNative ?? undefined;
  if (own?.nativeApi) return { engine: 'native', version: own.version, source: 'rusty', apiPath: own.nativeApi, reason: `--engine native: Rusty's TypeScript ${own.version} (the workspace ${ws ? `uses TypeScript ${ws.version}` : 'has no TypeScript'})` };
  throw new RustyError('usage', `The native engine needs TypeScript 7: the workspace ${ws ? `uses TypeScript ${ws.version}` : 'has no node_modules/typescript'} and this Rusty has no TypeScript 7 of its own. Install typescript@7 in the workspace, or use --engine auto.`);
}
