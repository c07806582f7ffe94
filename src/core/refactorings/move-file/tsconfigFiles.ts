// The workspace tsconfig and a moved file: entries of `files`/`include` that name the file exactly
// are rewritten (getEditsForFileRename does that only when the program carries its config file,
// which a ts-morph project does not), and the new place must still be part of the project.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';

type Ts = typeof TsNamespace;

export interface ConfigEdit {
  /** The new tsconfig text (normalized), or undefined when nothing names the file. */
  text: string | undefined;
  /** How many entries were rewritten. */
  entries: number;
}

/** Rewrites `files` and `include` entries that name `oldAbs` exactly (wildcards are left alone). */
export function rewriteConfigEntries(ts: Ts, configAbs: string, text: string, oldAbs: string, newAbs: string): ConfigEdit {
  const json = ts.parseJsonText(configAbs, text);
  const dir = path.dirname(configAbs);
  const changes: { start: number; end: number; value: string }[] = [];
  const root = json.statements[0]?.expression;
  if (root && ts.isObjectLiteralExpression(root)) {
    for (const prop of root.properties) {
      if (!ts.isPropertyAssignment(prop) || !ts.isStringLiteral(prop.name) || !['files', 'include'].includes(prop.name.text)) continue;
      if (!ts.isArrayLiteralExpression(prop.initializer)) continue;
      for (const el of prop.initializer.elements) {
        if (!ts.isStringLiteral(el) || /[*?]/.test(el.text)) continue;
        if (path.resolve(dir, el.text) !== oldAbs) continue;
        let value = path.relative(dir, newAbs).split(path.sep).join('/');
        if (el.text.startsWith('./') && !value.startsWith('.')) value = `./${value}`;
        changes.push({ start: el.getStart(json) + 1, end: el.end - 1, value });
      }
    }
  }
  if (changes.length === 0) return { text: undefined, entries: 0 };
  let out = text;
  for (const c of [...changes].sort((a, b) => b.start - a.start)) out = out.slice(0, c.start) + JSON.stringify(c.value).slice(1, -1) + out.slice(c.end);
  return { text: out, entries: changes.length };
}

/**
 * Whether the tsconfig (as `text`) includes `newAbs` once the project's files are `files`
 * (absolute). Undefined when it cannot be told (the compiler's file matcher is not available).
 */
export function configIncludes(ts: Ts, configAbs: string, text: string, files: readonly string[], newAbs: string, base: Pick<TsNamespace.ParseConfigHost, 'fileExists' | 'readFile'> = ts.sys): boolean | undefined {
  const matchFiles = (ts as unknown as { matchFiles?: MatchFiles }).matchFiles;
  if (typeof matchFiles !== 'function') return undefined;
  const dirs = new Map<string, { files: Set<string>; directories: Set<string> }>();
  const entry = (dir: string) => {
    let e = dirs.get(dir);
    if (!e) dirs.set(dir, (e = { files: new Set(), directories: new Set() }));
    return e;
  };
  for (const file of files) {
    let dir = path.dirname(file);
    entry(dir).files.add(path.basename(file));
    for (let parent = path.dirname(dir); parent !== dir; dir = parent, parent = path.dirname(dir)) entry(parent).directories.add(path.basename(dir));
  }
  const sys = ts.sys;
  const host: TsNamespace.ParseConfigHost = {
    useCaseSensitiveFileNames: sys.useCaseSensitiveFileNames,
    readDirectory: (rootDir, extensions, excludes, includes, depth) =>
      matchFiles(rootDir, extensions, excludes, includes, sys.useCaseSensitiveFileNames, path.dirname(configAbs), depth, (dir: string) => {
        const e = dirs.get(path.resolve(dir));
        return { files: e ? [...e.files] : [], directories: e ? [...e.directories] : [] };
      }, (p: string) => p),
    fileExists: (p) => base.fileExists(p),
    readFile: (p) => (path.resolve(p) === configAbs ? text : base.readFile(p)),
  };
  const json = ts.parseJsonText(configAbs, text);
  const parsed = ts.parseJsonSourceFileConfigFileContent(json, host, path.dirname(configAbs), undefined, configAbs);
  return parsed.fileNames.some((f) => path.resolve(f) === newAbs);
}

type MatchFiles = (
  path: string, extensions: readonly string[] | undefined, excludes: readonly string[] | undefined, includes: readonly string[] | undefined,
  useCaseSensitiveFileNames: boolean, currentDirectory: string, depth: number | undefined,
  getFileSystemEntries: (path: string) => { files: readonly string[]; directories: readonly string[] }, realpath: (path: string) => string,
) => string[];
