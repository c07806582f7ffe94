// Helpers shared by the rename, extract-function and inline-variable refactorings: workspace paths,
// 1-based positions, cancellation, text splicing, and turning new file texts into change-set edits
// without leaving anything changed in the shared WorkspaceProject.
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { FileEdit, ModifyEdit } from '../../proposals/changeSet';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { sha256 } from '../../util/hash';
import { encodeLike, normalize, readText, type TextFormat } from '../../util/text';
import type { Position } from '../api';

export { throwIfCancelled } from '../../engine/context';

/** A workspace-relative path with `/`, from what a person typed (`./src\a.ts`, an absolute path inside the root). */
export function workspaceRel(wp: WorkspaceProject, file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const rel = path.isAbsolute(file) ? wp.rel(file) : slashed.replace(/^(?:\.\/)+/, '');
  if (rel === '' || rel.startsWith('../') || rel === '..') throw new RustyError('usage', `${file} is not inside the workspace ${wp.root}.`);
  return rel;
}

/** Workspace-relative path of an absolute TypeScript file name (fast path for names under the root). */
export function relOf(wp: WorkspaceProject, fileName: string): string {
  const root = wp.root.endsWith('/') ? wp.root : `${wp.root}/`;
  return fileName.startsWith(root) && path.sep === '/' ? fileName.slice(root.length) : wp.rel(fileName);
}

/** The TypeScript source file of a workspace file, as the language service's program holds it. */
export function programFile(wp: WorkspaceProject, rel: string): { sf: ts.SourceFile; program: ts.Program; ls: ts.LanguageService } {
  const abs = wp.sourceFile(rel).getFilePath();
  const ls = wp.project.getLanguageService().compilerObject;
  const program = ls.getProgram();
  const sf = program?.getSourceFile(abs);
  if (!program || !sf) throw new RustyError('not-found', `${rel} is not part of the TypeScript program.`);
  return { sf, program, ls };
}

/** 0-based offset of a 1-based line/column (columns count UTF-16 code units, like VS Code). */
export function offsetAt(sf: ts.SourceFile, rel: string, at: Position, label = 'position'): number {
  const starts = sf.getLineStarts();
  const { line, column } = at;
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 1 || column < 1) {
    throw new RustyError('usage', `The ${label} ${line}:${column} is invalid: lines and columns start at 1.`);
  }
  if (line > starts.length) throw new RustyError('usage', `The ${label} ${line}:${column} is past the end of ${rel} (${starts.length} lines).`);
  const lineStart = starts[line - 1] ?? 0;
  const nextLine = starts[line];
  const lineLength = (nextLine === undefined ? sf.text.length : nextLine - 1) - lineStart;
  if (column > lineLength + 1) throw new RustyError('usage', `The ${label} ${line}:${column} is past the end of line ${line} of ${rel} (${lineLength} characters).`);
  return lineStart + column - 1;
}

/** 1-based line and column of an offset. */
export function positionOf(sf: ts.SourceFile, offset: number): Position {
  const starts = sf.getLineStarts();
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

/** `src/a.ts:3:7` for messages. */
export function where(wp: WorkspaceProject, sf: ts.SourceFile, offset: number): string {
  const { line, column } = positionOf(sf, offset);
  return `${relOf(wp, sf.fileName)}:${line}:${column}`;
}

export interface TextChange { start: number; length: number; newText: string }

/** Applies non-overlapping changes (any order) to a text. */
export function spliceText(text: string, changes: readonly TextChange[]): string {
  const sorted = [...changes].sort((a, b) => a.start - b.start || a.length - b.length);
  // Joined once into a flat string: `+=` would build a rope that every later read must flatten.
  const parts: string[] = [];
  let at = 0;
  for (const c of sorted) {
    if (c.start < at) throw new RustyError('refused', 'The computed edits overlap; the refactoring was not applied.');
    parts.push(text.slice(at, c.start), c.newText);
    at = c.start + c.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

const baseInfos = new WeakMap<Uint8Array, { text: string; format: TextFormat; hash: string }>();

/** A loaded file's normalized text, format and sha256 (the bytes never change: computed once). */
function baseInfo(base: Uint8Array): { text: string; format: TextFormat; hash: string } {
  let info = baseInfos.get(base);
  if (!info) {
    info = { ...readText(base), hash: sha256(base) };
    baseInfos.set(base, info);
  }
  return info;
}

/**
 * Modify edits for new texts of workspace files, against the bytes the project was loaded from
 * (each file keeps its line endings, BOM and final newline). Files whose text does not change are left out.
 */
export function editsFromTexts(wp: WorkspaceProject, texts: ReadonlyMap<string, string>): ModifyEdit[] {
  const edits: ModifyEdit[] = [];
  for (const [rel, text] of texts) {
    const base = wp.base(rel);
    if (!base) throw new RustyError('refused', `${rel} was not loaded from the workspace; the refactoring cannot edit it.`);
    const { text: baseText, format, hash } = baseInfo(base);
    // Texts from the program are normalized already: skip the regex passes when nothing needs them.
    const normalized = text.includes('\r') || text.startsWith('\uFEFF') ? normalize(text) : text;
    if (normalized === baseText) continue;
    const asIs = format.eol === '\n' && !format.bom && (normalized.length === 0 || normalized.endsWith('\n') === format.finalNewline);
    edits.push({ kind: 'modify', path: rel, baseHash: hash, content: asIs ? normalized : encodeLike(normalized, format) });
  }
  return edits.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * In-memory edits to the shared project for a refactoring that needs the program to see its own
 * intermediate steps (extract then rename; inline then re-check). `edits()` turns them into
 * change-set edits; `restore()` puts every touched file back, so the project still mirrors the
 * workspace afterwards.
 */
export class ScratchEdits {
  private readonly originals = new Map<string, string>();

  constructor(private readonly wp: WorkspaceProject) {}

  text(rel: string): string {
    return this.wp.sourceFile(rel).getFullText();
  }

  set(rel: string, text: string): void {
    const sf = this.wp.sourceFile(rel);
    if (!this.originals.has(rel)) this.originals.set(rel, sf.getFullText());
    sf.replaceWithText(text);
  }

  apply(fileChanges: readonly ts.FileTextChanges[], what: string): string[] {
    const touched: string[] = [];
    for (const fc of fileChanges) {
      const rel = this.wp.rel(fc.fileName);
      if (fc.isNewFile || !this.wp.base(rel)) throw new RustyError('refused', `${what} would create or edit ${rel}, which is not a workspace file loaded from disk.`);
      this.set(rel, spliceText(this.text(rel), fc.textChanges.map((c) => ({ start: c.span.start, length: c.span.length, newText: c.newText }))));
      touched.push(rel);
    }
    return touched;
  }

  touched(): string[] {
    return [...this.originals.keys()];
  }

  edits(): FileEdit[] {
    const texts = new Map<string, string>();
    for (const rel of this.originals.keys()) texts.set(rel, this.text(rel));
    return editsFromTexts(this.wp, texts);
  }

  restore(): void {
    for (const [rel, text] of this.originals) this.wp.sourceFile(rel).replaceWithText(text);
    this.originals.clear();
  }
}

/** Format settings for TypeScript's edits, following the file's own indentation. */
export function formatSettingsFor(tsApi: typeof ts, text: string): ts.FormatCodeSettings {
  const indents = new Map<string, number>();
  let tabs = 0;
  let spaces = 0;
  let previous = 0;
  for (const line of text.split('\n', 2000)) {
    const m = /^([ \t]*)\S/.exec(line);
    if (!m) continue;
    const ws = m[1] ?? '';
    if (ws.startsWith('\t')) tabs++;
    else if (ws.length > 0) spaces++;
    const width = ws.replace(/\t/g, '    ').length;
    const step = Math.abs(width - previous);
    if (!ws.startsWith('\t') && (step === 2 || step === 4)) indents.set(String(step), (indents.get(String(step)) ?? 0) + 1);
    previous = width;
  }
  const size = (indents.get('2') ?? 0) >= (indents.get('4') ?? 0) && indents.size > 0 ? 2 : 4;
  return {
    ...tsApi.getDefaultFormatCodeSettings('\n'),
    indentSize: size,
    tabSize: tabs > spaces ? 4 : size,
    convertTabsToSpaces: tabs <= spaces,
    semicolons: tsApi.SemicolonPreference.Ignore,
  };
}

/** The identifier (or private name / string literal) at or just before an offset, like an editor's cursor. */
export function nameNodeAt(tsApi: typeof ts, sf: ts.SourceFile, offset: number): ts.Node | undefined {
  const at = tokenAt(tsApi, sf, offset);
  const isName = (n: ts.Node | undefined): n is ts.Node => !!n && (tsApi.isIdentifier(n) || tsApi.isPrivateIdentifier(n) || tsApi.isStringLiteral(n));
  if (isName(at)) return at;
  if (offset > 0) {
    const before = tokenAt(tsApi, sf, offset - 1);
    if (isName(before) && before.end === offset) return before;
  }
  return undefined;
}

interface TsInternals {
  getTouchingPropertyName?: (sf: ts.SourceFile, position: number) => ts.Node;
}

/**
 * The identifier, private name or literal token that starts at `start` (TypeScript's own
 * binary-searching lookup when present; the plain walk otherwise).
 */
export function nameTokenAt(tsApi: typeof ts, sf: ts.SourceFile, start: number): ts.Node | undefined {
  // Fast path: the innermost AST node around `start`, found through positions alone (no token
  // lists built, no trivia skipped on the way down). Tokens never overlap, so a name or literal
  // whose text holds `start` is the token there; anything else (JSDoc, comments) takes the full lookup.
  const leaf = leafAt(tsApi, sf, start);
  if (leaf && isNameOrLiteralToken(tsApi, leaf) && leaf.getStart(sf) <= start) return leaf;
  const internal = (tsApi as unknown as TsInternals).getTouchingPropertyName;
  if (internal) {
    const node = internal(sf, start);
    if (node && node !== sf && node.getStart(sf) <= start && start < node.end) return node;
  }
  return tokenAt(tsApi, sf, start);
}

function isNameOrLiteralToken(tsApi: typeof ts, n: ts.Node): boolean {
  return tsApi.isIdentifier(n) || tsApi.isPrivateIdentifier(n) || tsApi.isStringLiteralLike(n) || tsApi.isTemplateLiteralToken(n) || tsApi.isJsxText(n);
}

/** The innermost node whose full range (leading trivia included) holds `offset`; children come in source order. */
function leafAt(tsApi: typeof ts, sf: ts.SourceFile, offset: number): ts.Node | undefined {
  // A file's top-level statements can be many: binary-search them, then walk down.
  const statements = sf.statements;
  let lo = 0;
  let hi = statements.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (statements[mid]!.pos <= offset) lo = mid;
    else hi = mid - 1;
  }
  const top = statements[lo];
  if (!top || top.pos > offset || offset >= top.end) return undefined;
  let current: ts.Node = top;
  for (;;) {
    let next: ts.Node | undefined;
    tsApi.forEachChild(current, (child) => {
      if (child.pos > offset) return true;
      if (offset < child.end) {
        next = child;
        return true;
      }
      return undefined;
    });
    if (!next) return current;
    current = next;
  }
}

/** The innermost node whose text (without leading trivia) contains the offset. */
export function tokenAt(tsApi: typeof ts, sf: ts.SourceFile, offset: number): ts.Node | undefined {
  let current: ts.Node = sf;
  for (;;) {
    let next: ts.Node | undefined;
    tsApi.forEachChild(current, (child) => {
      if (child.getStart(sf) <= offset && offset < child.end) {
        next = child;
        return true;
      }
      return undefined;
    });
    if (!next) return current === sf ? undefined : current;
    current = next;
  }
}

/** ` (found \`function\`)`: the word or character at an offset, for "nothing here" messages. */
export function describeFound(text: string, offset: number): string {
  const rest = text.slice(offset);
  const word = /^(?:[\p{ID_Continue}$#]+|\S)/u.exec(rest)?.[0];
  if (word) return ` (found \`${word}\`)`;
  return /^\s/.test(rest) || rest === '' ? ' (found white space)' : '';
}

/** Short source text for messages. */
export function snippet(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

type DiagnosticKeys = Map<string, { count: number; sample: ts.Diagnostic }>;

function addDiagnostics(tsApi: typeof ts, out: DiagnosticKeys, sf: ts.SourceFile, diagnostics: readonly ts.Diagnostic[]): void {
  for (const d of diagnostics) {
    const key = `${sf.fileName}\u0000${d.code}\u0000${tsApi.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    const entry = out.get(key);
    if (entry) entry.count++;
    else out.set(key, { count: 1, sample: d });
  }
}

/** Diagnostics of files as a multiset key → count (file, code, message), for before/after comparison. */
export function diagnosticKeys(tsApi: typeof ts, program: ts.Program, files: readonly ts.SourceFile[]): DiagnosticKeys {
  const out: DiagnosticKeys = new Map();
  for (const sf of files) addDiagnostics(tsApi, out, sf, [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]);
  return out;
}

/** The differing part of two texts: [start, end) in each (common prefix and suffix left out). */
export function changedWindow(before: string, after: string): { before: ts.TextRange; after: ts.TextRange } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { before: { pos: start, end: before.length - tail }, after: { pos: start, end: after.length - tail } };
}

type SemanticWithNodes = (sf: ts.SourceFile, token: ts.CancellationToken | undefined, nodes: readonly ts.Node[]) => readonly ts.Diagnostic[];

/**
 * Syntactic diagnostics of a file plus the semantic ones of its top-level statements that overlap
 * `window` (TypeScript ≥ 5.6 can check just those nodes, as editors do for large files; older
 * versions check the whole file). A refactoring compares these before and after its edit.
 */
export function windowDiagnostics(tsApi: typeof ts, program: ts.Program, sf: ts.SourceFile, window: ts.TextRange): DiagnosticKeys {
  const out: DiagnosticKeys = new Map();
  const nodes = sf.statements.filter((s) => s.end >= window.pos && s.getFullStart() <= window.end);
  const [major = 0, minor = 0] = tsApi.versionMajorMinor.split('.').map(Number);
  const byNodes = major > 5 || (major === 5 && minor >= 6);
  const semantic = byNodes && nodes.length > 0 && nodes.length < sf.statements.length
    ? (program.getSemanticDiagnostics as unknown as SemanticWithNodes).call(program, sf, undefined, nodes)
    : program.getSemanticDiagnostics(sf);
  addDiagnostics(tsApi, out, sf, [...program.getSyntacticDiagnostics(sf), ...semantic]);
  return out;
}

/** Diagnostics present in `after` more often than in `before`. */
export function introducedDiagnostics(before: DiagnosticKeys, after: DiagnosticKeys): ts.Diagnostic[] {
  const out: ts.Diagnostic[] = [];
  for (const [key, entry] of after) if (entry.count > (before.get(key)?.count ?? 0)) out.push(entry.sample);
  return out;
}

export function describeDiagnostic(tsApi: typeof ts, wp: WorkspaceProject, d: ts.Diagnostic): string {
  const message = tsApi.flattenDiagnosticMessageText(d.messageText, ' ');
  const at = d.file && d.start !== undefined ? `${where(wp, d.file, d.start)} ` : '';
  return `${at}TS${d.code} ${snippet(message, 160).replace(/\.$/, '')}`;
}
