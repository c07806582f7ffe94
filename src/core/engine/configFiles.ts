// tsconfig/jsconfig through the WorkspaceReader. The compiler's config APIs are synchronous, so the
// workspace's config files are read first (unsaved text wins); a workspace that is not on disk (the
// in-memory one) also gives its file list, which the configs' include patterns are matched against.
// Paths the workspace does not hold (an `extends` into node_modules) still come from the disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { WorkspaceReader } from './context';

type Ts = typeof TsNamespace;

const CONFIG_PATTERNS = ['**/tsconfig*.json', '**/jsconfig*.json'];

export interface ConfigFiles {
  readonly reader: WorkspaceReader;
  /** Whether a workspace-relative config (or other held file) exists. */
  has(rel: string): boolean;
  /** Absolute paths of files held only in memory: matched by include patterns as if on disk. */
  readonly extraFiles: string[];
  /** A ParseConfigFileHost over the read configs, the held files and the disk. */
  host(ts: Ts, onFatal?: (d: TsNamespace.Diagnostic) => void, extraFiles?: string[]): TsNamespace.ParseConfigFileHost;
}

export async function readConfigFiles(reader: WorkspaceReader): Promise<ConfigFiles> {
  const root = reader.root;
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  const texts = new Map<string, string>();
  for (const rel of await reader.list({ patterns: CONFIG_PATTERNS })) {
    const bytes = await reader.read(rel);
    if (bytes) texts.set(abs(rel), Buffer.from(bytes).toString('utf8'));
  }
  const held = reader.onDisk ? [] : (await reader.list({ patterns: ['**/*'] })).map(abs);
  const heldSet = new Set(held);
  const known = (p: string) => texts.has(path.resolve(p)) || heldSet.has(path.resolve(p));
  return {
    reader,
    has: (rel) => known(abs(rel)) || (reader.onDisk && fs.existsSync(abs(rel))),
    extraFiles: held,
    host(ts, onFatal, extraFiles = []) {
      const extra = [...held, ...extraFiles];
      const host: TsNamespace.ParseConfigFileHost = {
        ...ts.sys,
        readFile: (p) => texts.get(path.resolve(p)) ?? (heldSet.has(path.resolve(p)) ? undefined : ts.sys.readFile(p)),
        fileExists: (p) => known(p) || ts.sys.fileExists(p),
        onUnRecoverableConfigFileDiagnostic: (d) => onFatal?.(d),
      };
      if (extra.length) host.readDirectory = overlayReadDirectory(ts, extra);
      return host;
    },
  };
}

/** ts.sys.readDirectory plus files that exist only in memory, with the compiler's own include/exclude matching. */
export function overlayReadDirectory(ts: Ts, extraFiles: string[]): TsNamespace.ParseConfigFileHost['readDirectory'] {
  // matchFiles is what ts.sys.readDirectory uses; it is exported though not in the public typings.
  const matchFiles = (ts as unknown as { matchFiles: (path: string, extensions: readonly string[] | undefined, excludes: readonly string[] | undefined, includes: readonly string[] | undefined, useCaseSensitiveFileNames: boolean, currentDirectory: string, depth: number | undefined, getEntries: (dir: string) => { files: readonly string[]; directories: readonly string[] }, realpath: (p: string) => string) => string[] }).matchFiles;
  const entries = (dir: string) => {
    const files: string[] = [];
    const directories: string[] = [];
    for (const e of safeReaddir(dir)) (e.isDirectory() ? directories : e.isFile() ? files : []).push(e.name);
    for (const extra of extraFiles) {
      const rest = path.relative(dir, extra);
      if (rest.startsWith('..') || path.isAbsolute(rest)) continue;
      const [first, ...more] = rest.split(path.sep);
      if (!first) continue;
      if (more.length === 0) { if (!files.includes(first)) files.push(first); } else if (!directories.includes(first)) directories.push(first);
    }
    return { files, directories };
  };
  return (rootDir, extensions, excludes, includes, depth) =>
    matchFiles(rootDir, extensions, excludes, includes, ts.sys.useCaseSensitiveFileNames, ts.sys.getCurrentDirectory(), depth, entries, (p) => ts.sys.realpath?.(p) ?? p);
}

function safeReaddir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // missing folder: only the in-memory files
  }
}
