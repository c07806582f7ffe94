// Move file: moves a module and updates every module reference to it (and its own relative ones).
//
// TypeScript's getEditsForFileRename is the reference: it updates import/export declarations,
// `import x = require()`, `import('…')` types, dynamic `import()` and, in JavaScript, `require()`
// — through tsconfig `paths` aliases too, keeping each specifier's style (`.js` endings, folder
// imports). Every reference is then checked independently — each one that resolved to the moved
// file before must resolve to it at its new place, and the moved file's own references must
// still reach what they reached — and completed where the language service left it out:
// `require()` in TypeScript files, jest/vitest mock paths, files the tsconfig leaves out (tests),
// tsconfig `files`/`include` entries, and an alias rewritten as a baseUrl path. Nothing is written
// and the project is left as it was: the change set is built from the texts.
import * as path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { ChangeSet, FileEdit } from '../../proposals/changeSet';
import { relPathProblem } from '../../proposals/paths';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { throwIfCancelled, type WorkspaceReader } from '../../engine/context';
import { sha256 } from '../../util/hash';
import { encodeLike, isBinary, readText } from '../../util/text';
import { engineOf, type MoveFileParams, type RefactoringContext } from '../api';
import {
  collectModuleRefs, fullExtension, isRelativeSpecifier, makeResolver, readerHost, matchesAlias, pathsConfig, specifierFor,
  type ModuleRef, type ModuleRefKind, type PathsConfig, type Resolve,
} from './moduleRefs';
import { configIncludes, rewriteConfigEntries } from './tsconfigFiles';

type Ts = typeof TsNamespace;

export const MOVE_FILE_SOURCE = 'refactoring:move-file';

const SCRIPT_EXTENSIONS = ['.d.ts', '.d.mts', '.d.cts', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const TS_EXTENSIONS = new Set(['.d.ts', '.d.mts', '.d.cts', '.ts', '.tsx', '.mts', '.cts']);
const MAX_OUTSIDE_BYTES = 5 * 1024 * 1024;

export interface UpdatedReference {
  /** Workspace-relative path of the file holding the reference (its old path for the moved file). */
  path: string;
  line: number;
  kind: ModuleRefKind | 'other';
  from: string;
  to: string;
  /** 'typescript' = from getEditsForFileRename; 'rusty' = a reference it left out, completed here. */
  by: 'typescript' | 'rusty';
}

export interface MoveFileResult {
  changeSet: ChangeSet;
  from: string;
  to: string;
  references: UpdatedReference[];
  /** Files other than the moved one that change (tsconfig included). */
  filesChanged: number;
  /** Files outside the TypeScript project (left out by the tsconfig) that import the moved file and were updated. */
  outsideProject: string[];
}

interface Change { start: number; end: number; text: string; by: 'typescript' | 'rusty'; kind: ModuleRefKind | 'other'; old: string }

/** A reference that must resolve to `target` after the move. */
interface Tracked { file: string; index: number; ref: ModuleRef; oldTarget: string; target: string }

export async function moveFile(ctx: RefactoringContext, params: MoveFileParams): Promise<MoveFileResult> {
  const wp = ctx.project;
  const ts = wp.ts;
  const engine = engineOf(ctx, 'Move file');
  const { signal, fs } = engine;
  checkCancelled(signal);
  const { from, to } = await checkParams(wp, fs, params);
  const oldAbs = path.resolve(wp.abs(from));
  const newAbs = path.resolve(wp.abs(to));

  const ls = wp.project.getLanguageService().compilerObject;
  const program = ls.getProgram();
  if (!program) throw new RustyError('refused', 'The TypeScript program could not be built.');
  const options = program.getCompilerOptions();
  const configAbs = wp.configPath ? path.resolve(wp.abs(wp.configPath)) : undefined;
  const paths = pathsConfig(options, configAbs ? path.dirname(configAbs) : wp.root);
  const programFiles = new Set(program.getSourceFiles().map((f) => path.resolve(f.fileName)));
  // Files outside the program (packages' .d.ts, configs) through the workspace's reader, then the disk.
  const host = await readerHost(ts, fs, programFiles);
  const preResolve = makeResolver({ ts, options, host, present: (p) => programFiles.has(p), currentDirectory: wp.root });
  const postResolve = makeResolver({
    ts, options, host, currentDirectory: wp.root,
    present: (p) => p === newAbs || (p !== oldAbs && programFiles.has(p)),
    absent: (p) => p === oldAbs,
    presentDirectory: (d) => newAbs.startsWith(d.endsWith(path.sep) ? d : d + path.sep),
  });

  // 0. The tsconfig: entries naming the file, and whether the new place is still in the project.
  const edits: FileEdit[] = [];
  let configEntries = 0;
  if (configAbs && wp.configPath) {
    const bytes = await wp.readFile(wp.configPath);
    if (bytes) {
      const { text, format: textFormat } = readText(bytes);
      const rewritten = rewriteConfigEntries(ts, configAbs, text, oldAbs, newAbs);
      if (rewritten.text !== undefined) {
        configEntries = rewritten.entries;
        edits.push({ kind: 'modify', path: wp.configPath, baseHash: sha256(bytes), content: encodeLike(rewritten.text, textFormat) });
      }
      const filesAfter = wp.files().map((rel) => (rel === from ? newAbs : path.resolve(wp.abs(rel))));
      if (configIncludes(ts, configAbs, rewritten.text ?? text, filesAfter, newAbs, host) === false) {
        throw new RustyError('refused', `Cannot move ${from} to ${to}: ${wp.configPath} does not include ${to}, so it would drop out of the TypeScript project (widen "include" or pick a folder it covers).`);
      }
    }
  }

  // 1. Every reference that has to reach something particular after the move.
  const workspaceFiles = wp.files();
  const tracked = new Map<string, Tracked[]>();
  for (const rel of workspaceFiles) {
    const abs = path.resolve(wp.abs(rel));
    const sf = program.getSourceFile(abs);
    if (!sf) continue;
    const list = trackReferences(ts, sf, abs === oldAbs, oldAbs, newAbs, preResolve);
    if (list.length) tracked.set(abs, list);
  }
  checkCancelled(signal);

  // 2. What the language service changes.
  const format = ts.getDefaultFormatCodeSettings('\n');
  const changes = new Map<string, Change[]>();
  for (const fileEdit of ls.getEditsForFileRename(oldAbs, newAbs, format, {})) {
    const abs = path.resolve(fileEdit.fileName);
    const sf = program.getSourceFile(abs);
    if (!sf || !isInside(wp.root, abs) || abs.split(path.sep).includes('node_modules')) continue;
    const list = changes.get(abs) ?? [];
    for (const c of fileEdit.textChanges) {
      list.push({ start: c.span.start, end: c.span.start + c.span.length, text: c.newText, by: 'typescript', kind: 'other', old: sf.text.slice(c.span.start, c.span.start + c.span.length) });
    }
    changes.set(abs, list);
  }
  checkCancelled(signal);

  // 3. Check each tracked reference against those changes; complete what is missing.
  for (const [abs, list] of tracked) {
    const fileChanges = changes.get(abs) ?? [];
    for (const t of list) {
      const covering = fileChanges.find((c) => c.start < t.ref.end && t.ref.start < c.end) ?? fileChanges.find((c) => c.start === t.ref.start && c.end === t.ref.end);
      const importer = abs === oldAbs ? newAbs : abs;
      const mine = specifierFor({ importer, target: t.target, oldSpec: t.ref.text, oldTarget: t.oldTarget, paths });
      if (covering) {
        covering.kind = t.ref.kind;
        // An alias the new place has no alias for: TypeScript writes a baseUrl path; write it relative.
        if (matchesAlias(t.ref.text, paths) && !isRelativeSpecifier(covering.text) && !matchesAlias(covering.text, paths)) covering.text = mine;
      } else if (mine !== t.ref.text) {
        fileChanges.push({ start: t.ref.start, end: t.ref.end, text: mine, by: 'rusty', kind: t.ref.kind, old: t.ref.text });
      }
    }
    if (fileChanges.length) changes.set(abs, fileChanges);
  }

  // 4. Verify on the new texts; a TypeScript edit that does not resolve is replaced by ours once.
  const newTexts = new Map<string, string>();
  for (let attempt = 0; ; attempt++) {
    const failures: string[] = [];
    for (const [abs, fileChanges] of changes) newTexts.set(abs, applyChanges(program.getSourceFile(abs)!.text, fileChanges));
    for (const [abs, list] of tracked) {
      const sf = program.getSourceFile(abs)!;
      const importer = abs === oldAbs ? newAbs : abs;
      const after = parseAs(ts, importer, newTexts.get(abs) ?? sf.text, abs === oldAbs ? ts.getImpliedNodeFormatForFile(newAbs, undefined, ts.sys, options) : sf.impliedNodeFormat);
      const refs = collectModuleRefs(ts, after);
      for (const t of list) {
        const ref = refs[t.index];
        const got = ref ? postResolve(ref, after) : undefined;
        if (got === t.target) continue;
        const fileChanges = changes.get(abs) ?? [];
        const c = fileChanges.find((x) => x.start < t.ref.end && t.ref.start < x.end);
        const mine = specifierFor({ importer, target: t.target, oldSpec: t.ref.text, oldTarget: t.oldTarget, paths });
        if (attempt === 0 && c && c.by === 'typescript' && c.text !== mine) {
          c.text = mine;
          c.by = 'rusty';
        }
        failures.push(`${wp.rel(abs)}:${lineOf(sf, t.ref.start)} ${quote(ref?.text ?? t.ref.text)}`);
      }
    }
    if (failures.length === 0) break;
    if (attempt > 0) {
      throw new RustyError('refused', `Cannot move ${from} to ${to}: ${failures.length} reference(s) would no longer resolve to the right module (${failures.slice(0, 5).join(', ')}${failures.length > 5 ? ', …' : ''}).`);
    }
  }
  checkCancelled(signal);

  // 5. Files the program leaves out (tests, scripts) that import the moved file.
  const outside = await updateOutsideProject({ wp, fs, ts, options, from, oldAbs, newAbs, paths, preResolve, postResolve, programRels: new Set(workspaceFiles), signal });
  checkCancelled(signal);

  // 6. The change set.
  const references: UpdatedReference[] = [];
  for (const [abs, fileChanges] of changes) {
    const rel = wp.rel(abs);
    const sf = program.getSourceFile(abs)!;
    for (const c of fileChanges) if (c.text !== c.old) references.push({ path: rel, line: lineOf(sf, c.start), kind: c.kind, from: c.old, to: c.text, by: c.by });
  }
  references.push(...outside.references);
  references.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);

  for (const [abs, text] of newTexts) {
    if (abs === oldAbs) continue;
    const rel = wp.rel(abs);
    const base = await baseBytes(wp, rel);
    if (text === program.getSourceFile(abs)!.text) continue;
    edits.push({ kind: 'modify', path: rel, baseHash: sha256(base), content: encodeLike(text, readText(base).format) });
  }
  edits.push(...outside.edits);
  const movedBase = await baseBytes(wp, from);
  const movedText = newTexts.get(oldAbs);
  edits.push({
    kind: 'rename', path: from, to, baseHash: sha256(movedBase),
    ...(movedText !== undefined && movedText !== program.getSourceFile(oldAbs)!.text ? { content: encodeLike(movedText, readText(movedBase).format) } : {}),
  });
  edits.sort((a, b) => a.path.localeCompare(b.path));

  const filesChanged = edits.length - 1;
  const completed = references.filter((r) => r.by === 'rusty');
  const rationale = [
    `Moves ${from} to ${to} and updates ${plural(references.length, 'module reference')} in ${plural(new Set(references.map((r) => r.path)).size, 'file')}.`,
    completed.length ? `${plural(completed.length, 'reference')} that TypeScript's getEditsForFileRename missed ${completed.length === 1 ? 'was' : 'were'} updated too: ${completed.slice(0, 5).map((r) => `${r.path}:${r.line} (${r.kind})`).join(', ')}${completed.length > 5 ? ', …' : ''}.` : '',
    outside.files.length ? `Includes ${plural(outside.files.length, 'file')} outside the TypeScript project: ${outside.files.slice(0, 5).join(', ')}${outside.files.length > 5 ? ', …' : ''}.` : '',
    configEntries ? `Updates ${plural(configEntries, 'entry', 'entries')} in ${wp.configPath}.` : '',
  ].filter(Boolean).join(' ');
  return {
    changeSet: { title: `Move ${from} to ${to}`, rationale, source: MOVE_FILE_SOURCE, priority: 'normal', edits },
    from, to, references, filesChanged, outsideProject: outside.files,
  };
}

function trackReferences(ts: Ts, sf: TsNamespace.SourceFile, isMoved: boolean, oldAbs: string, newAbs: string, resolve: Resolve): Tracked[] {
  const out: Tracked[] = [];
  const abs = path.resolve(sf.fileName);
  const refs = collectModuleRefs(ts, sf);
  const stem = moduleStem(oldAbs);
  refs.forEach((ref, index) => {
    // Cheap filter: another file's reference can only reach the moved file through a specifier
    // that is an alias or mentions the file's (or, for index files, its folder's) name.
    const last = ref.text.slice(ref.text.lastIndexOf('/') + 1);
    if (!isMoved && isRelativeSpecifier(ref.text) && last !== '.' && last !== '..' && last !== '' && !ref.text.includes(stem)) return;
    const target = resolve(ref, sf);
    if (!target) return;
    if (isMoved) out.push({ file: abs, index, ref, oldTarget: target, target: target === oldAbs ? newAbs : target });
    else if (target === oldAbs) out.push({ file: abs, index, ref, oldTarget: target, target: newAbs });
  });
  return out;
}

/** The name a specifier must contain to reach a file with a relative path: its stem, or its folder's name for an index file. */
function moduleStem(abs: string): string {
  const base = path.basename(abs);
  const stem = base.slice(0, base.length - fullExtension(base).length);
  return stem === 'index' ? path.basename(path.dirname(abs)) : stem;
}

interface OutsideResult { edits: FileEdit[]; references: UpdatedReference[]; files: string[] }

async function updateOutsideProject(opts: {
  wp: WorkspaceProject; fs: WorkspaceReader; ts: Ts; options: TsNamespace.CompilerOptions; from: string; oldAbs: string; newAbs: string;
  paths: PathsConfig | undefined; preResolve: Resolve; postResolve: Resolve; programRels: Set<string>; signal: AbortSignal | undefined;
}): Promise<OutsideResult> {
  const { wp, ts, options, oldAbs, newAbs, paths } = opts;
  const out: OutsideResult = { edits: [], references: [], files: [] };
  const tokens = [moduleStem(oldAbs), ...Object.keys(paths?.paths ?? {}).filter((k) => !k.includes('*'))];
  let listed: string[];
  try {
    listed = await opts.fs.list();
  } catch (err) {
    checkCancelled(opts.signal);
    throw err;
  }
  for (const rel of listed) {
    if (opts.programRels.has(rel) || rel === opts.from) continue;
    checkCancelled(opts.signal);
    const bytes = await wp.readFile(rel).catch(() => undefined);
    if (!bytes || bytes.byteLength > MAX_OUTSIDE_BYTES || isBinary(bytes)) continue;
    const { text, format } = readText(bytes);
    if (!tokens.some((t) => text.includes(t))) continue;
    const abs = path.resolve(wp.abs(rel));
    const implied = ts.getImpliedNodeFormatForFile(abs, undefined, ts.sys, options);
    const sf = parseAs(ts, abs, text, implied);
    const changes: Change[] = [];
    for (const ref of collectModuleRefs(ts, sf)) {
      if (opts.preResolve(ref, sf) !== oldAbs) continue;
      const spec = specifierFor({ importer: abs, target: newAbs, oldSpec: ref.text, oldTarget: oldAbs, paths });
      if (spec !== ref.text) changes.push({ start: ref.start, end: ref.end, text: spec, by: 'rusty', kind: ref.kind, old: ref.text });
    }
    if (changes.length === 0) continue;
    const newText = applyChanges(text, changes);
    const after = parseAs(ts, abs, newText, implied);
    const afterRefs = collectModuleRefs(ts, after);
    const broken = changes.filter((c) => {
      const ref = afterRefs.find((r) => r.text === c.text);
      return !ref || opts.postResolve(ref, after) !== newAbs;
    });
    if (broken.length) continue; // leave a file we cannot update correctly as it is (reported by validation)
    out.files.push(rel);
    out.edits.push({ kind: 'modify', path: rel, baseHash: sha256(bytes), content: encodeLike(newText, format) });
    for (const c of changes) out.references.push({ path: rel, line: lineOf(sf, c.start), kind: c.kind, from: c.old, to: c.text, by: 'rusty' });
  }
  return out;
}

async function checkParams(wp: WorkspaceProject, fs: WorkspaceReader, params: MoveFileParams): Promise<{ from: string; to: string }> {
  const exists = async (rel: string) => !!(await fs.stat(rel).catch(() => undefined));
  const isDirectory = async (rel: string) => { const st = await fs.stat(rel).catch(() => undefined); return !!st && !st.isFile && !st.isSymbolicLink; };
  const from = toRel(wp, params.from);
  let to = toRel(wp, params.to);
  const toProblem = relPathProblem(to);
  if (toProblem) {
    throw new RustyError('refused', `Cannot move ${from} to ${params.to}: the target ${/outside|\.\./.test(toProblem) || path.isAbsolute(params.to) ? 'is outside the workspace' : toProblem}.`);
  }
  const fromProblem = relPathProblem(from);
  if (fromProblem) throw new RustyError('refused', `Cannot move ${params.from}: the source ${fromProblem}.`);
  if (params.to.endsWith('/') || await isDirectory(to)) to = `${to}/${path.posix.basename(from)}`;
  if (from === to) throw new RustyError('refused', `${from} is already there: source and target are the same.`);

  const sf = wp.project.getSourceFile(wp.abs(from));
  if (!sf || !wp.files().includes(from)) {
    throw new RustyError('refused', `Cannot move ${from}: it is not part of the TypeScript project${await exists(from) ? ' (check tsconfig include/exclude and allowJs)' : ' (no such file)'}, so its importers cannot be found.`);
  }
  const toExt = scriptExtension(to);
  if (!toExt) {
    throw new RustyError('refused', `Cannot move ${from} to ${to}: ${path.posix.extname(to) || 'a name without an extension'} is not a TypeScript or JavaScript extension (${SCRIPT_EXTENSIONS.filter((e) => !e.startsWith('.d.')).join(', ')}).`);
  }
  const fromExt = scriptExtension(from) ?? '';
  if (fromExt.startsWith('.d.') !== toExt.startsWith('.d.')) {
    throw new RustyError('refused', `Cannot move ${from} to ${to}: a declaration file (.d.ts) and an implementation file cannot be turned into each other by a move.`);
  }
  if (TS_EXTENSIONS.has(fromExt) && !TS_EXTENSIONS.has(toExt)) {
    throw new RustyError('refused', `Cannot move ${from} to ${to}: that would turn TypeScript into JavaScript (${fromExt} → ${toExt}); keep a TypeScript extension.`);
  }
  const existing = wp.project.getSourceFile(wp.abs(to));
  if (existing || await exists(to)) throw new RustyError('refused', `Cannot move ${from} to ${to}: ${to} already exists.`);
  for (let dir = path.posix.dirname(to); dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) {
    if (await exists(dir) && !await isDirectory(dir)) throw new RustyError('refused', `Cannot move ${from} to ${to}: ${dir} is a file, not a folder.`);
  }
  return { from, to };
}

/** Workspace-relative, '/'-separated; absolute paths inside the workspace are accepted. */
function toRel(wp: WorkspaceProject, p: string): string {
  let s = p.replace(/\\/g, '/');
  if (path.isAbsolute(s)) s = path.relative(wp.root, s).split(path.sep).join('/') || '.';
  s = s.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  return s;
}

function scriptExtension(rel: string): string | undefined {
  const lower = rel.toLowerCase();
  return SCRIPT_EXTENSIONS.find((e) => lower.endsWith(e) && lower.length > e.length);
}

function isInside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function baseBytes(wp: WorkspaceProject, rel: string): Promise<Uint8Array> {
  const bytes = wp.base(rel) ?? (await wp.readFile(rel));
  if (!bytes) throw new RustyError('not-found', `${rel} could not be read.`);
  return bytes;
}

function parseAs(ts: Ts, fileName: string, text: string, implied: TsNamespace.ResolutionMode): TsNamespace.SourceFile {
  return ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, ...(implied !== undefined ? { impliedNodeFormat: implied } : {}) }, true);
}

function applyChanges(text: string, changes: readonly Change[]): string {
  let out = text;
  const sorted = [...changes].sort((a, b) => b.start - a.start);
  let limit = Infinity;
  for (const c of sorted) {
    if (c.end > limit) continue; // overlapping edits: the later one wins (never happens with specifier spans)
    out = out.slice(0, c.start) + c.text + out.slice(c.end);
    limit = c.start;
  }
  return out;
}

function lineOf(sf: TsNamespace.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

function quote(s: string): string {
  return `'${s}'`;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function checkCancelled(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, 'Move file');
}
