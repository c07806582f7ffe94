// Rename on the TypeScript language service: getRenameInfo decides whether the name at the
// position can be renamed at all, findRenameLocations says where (with the prefix/suffix text
// VS Code uses to keep import aliases and re-export names), ConflictFinder says whether the new name
// would clash. The result is new file texts; nothing is edited or written here.
import type { ts } from 'ts-morph';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { ConflictFinder, NAMESPACE, TYPE, VALUE, type CodeLocation } from './conflicts';
import { nameProblem, roleOfKind, type NameRole } from './identifier';
import { describeFound, nameNodeAt, nameTokenAt, programFile, relOf, snippet, spliceText, throwIfCancelled, where, type TextChange } from './support';

export interface RenameRequest {
  /** Workspace-relative file. */
  file: string;
  /** 0-based offset of the name (or just after it) in the file's text. */
  offset: number;
  newName: string;
  inComments?: boolean;
  inStrings?: boolean;
}

export interface PlannedLocation {
  file: string;
  start: number;
  length: number;
  /** prefix + new name + suffix (e.g. `foo as bar` keeps an import's local name). */
  newText: string;
  kind: 'code' | 'comment' | 'string';
}

export interface RenamePlan {
  oldName: string;
  newName: string;
  /** TypeScript's element kind ('function', 'alias', 'property', …). */
  kind: string;
  /** Naming role: 'member' for properties, methods, accessors and enum members. */
  role: NameRole;
  /** `src/a.ts:3:17` of the first declaration, when it has one in the workspace. */
  declaredAt?: string;
  locations: PlannedLocation[];
  /** New text of every file that changes (normalized, as the program holds it). */
  texts: Map<string, string>;
}

/** The preferences VS Code's rename uses (`typescript.preferences.useAliasesForRenames` on). */
export const RENAME_PREFERENCES: ts.UserPreferences = { providePrefixAndSuffixTextForRename: true, allowRenameOfImportPath: false };

function refuse(message: string): never {
  throw new RustyError('refused', message);
}

export function planRename(wp: WorkspaceProject, req: RenameRequest, signal?: AbortSignal): RenamePlan {
  const t = wp.ts;
  throwIfCancelled(signal, 'Rename');
  const { sf, program, ls } = programFile(wp, req.file);
  const at = where(wp, sf, req.offset);
  const node = nameNodeAt(t, sf, req.offset);
  if (!node) {
    refuse(`There is no symbol to rename at ${at}${describeFound(sf.text, req.offset)}; put the position on a name.`);
  }
  if (t.isStringLiteral(node)) refuse(`${at} is inside the string ${snippet(node.getText(sf), 40)}; put the position on an identifier (a declaration or a use of the symbol).`);
  const oldName = (node as ts.Identifier | ts.PrivateIdentifier).text;
  const start = node.getStart(sf);

  const checker = program.getTypeChecker();
  const symbol = symbolAt(t, checker, node);
  const info = ls.getRenameInfo(sf.fileName, start, RENAME_PREFERENCES);
  if (!info.canRename) refuse(explainCannotRename(info.localizedErrorMessage, oldName, at, symbol));
  for (const decl of symbol?.declarations ?? []) {
    const declFile = decl.getSourceFile();
    const rel = wp.rel(declFile.fileName);
    if (program.isSourceFileDefaultLibrary(declFile)) refuse(`\`${oldName}\` is declared in TypeScript's standard library (${declFile.fileName.split('/').pop()}); only names declared in this workspace can be renamed.`);
    if (rel.startsWith('..') || rel.split('/').includes('node_modules')) {
      refuse(`\`${oldName}\` is declared in ${rel.includes('node_modules/') ? `the package file ${rel.slice(rel.lastIndexOf('node_modules/'))}` : declFile.fileName}, outside the workspace; only names declared in this workspace can be renamed.`);
    }
  }
  if (oldName === 'this') refuse(`\`this\` at ${at} is a \`this\` parameter (it declares the type of \`this\`); it cannot be renamed.`);
  if (req.newName === oldName) refuse(`\`${oldName}\` is already called \`${req.newName}\`; there is nothing to rename.`);
  const role = roleOfKind(t, info.kind, oldName);
  const problem = nameProblem(t, req.newName, role, sf);
  if (problem) refuse(`Cannot rename \`${oldName}\` to \`${req.newName}\`: ${problem}`);

  throwIfCancelled(signal, 'Rename');
  const found = ls.findRenameLocations(sf.fileName, start, !!req.inStrings, !!req.inComments, RENAME_PREFERENCES);
  if (!found || found.length === 0) refuse(`TypeScript finds nothing to rename at ${at}.`);
  throwIfCancelled(signal, 'Rename');

  const locations: PlannedLocation[] = [];
  const code: CodeLocation[] = [];
  const files = new Map<string, { rel: string; sf: ts.SourceFile; changes: TextChange[] }>();
  const fileInfo = programFileInfo(wp, program);
  for (const loc of found) {
    let file = files.get(loc.fileName);
    if (!file) {
      const info = fileInfo(loc.fileName);
      if (info.outside) refuse(`Renaming \`${oldName}\` would also edit ${loc.fileName}, which is not a workspace file; only names used in this workspace alone can be renamed.`);
      if (!info.sf) refuse(`${info.rel} is not part of the TypeScript program.`);
      file = { rel: info.rel, sf: info.sf, changes: [] };
      files.set(loc.fileName, file);
    }
    const located = classify(t, file.sf, loc.textSpan);
    if (located.node) code.push({ node: located.node, ...(loc.prefixText ? { prefixText: loc.prefixText } : {}), ...(loc.suffixText ? { suffixText: loc.suffixText } : {}) });
    const planned: PlannedLocation = { file: file.rel, start: loc.textSpan.start, length: loc.textSpan.length, newText: `${loc.prefixText ?? ''}${req.newName}${loc.suffixText ?? ''}`, kind: located.kind };
    locations.push(planned);
    file.changes.push(planned);
  }

  const meaning = meaningOf(t, checker, symbol);
  const problems = new ConflictFinder({ wp, program, oldName, newName: req.newName, meaning, locations: code }).find();
  if (problems.length > 0) refuse(`Cannot rename \`${oldName}\` to \`${req.newName}\`: ${problems.join(' ')}`);
  throwIfCancelled(signal, 'Rename');

  const texts = new Map<string, string>();
  for (const { rel, sf: file, changes } of files.values()) texts.set(rel, spliceText(file.text, changes));
  const firstDecl = symbol?.declarations?.[0];
  const declName = firstDecl && ((firstDecl as ts.NamedDeclaration).name ?? firstDecl);
  return {
    oldName,
    newName: req.newName,
    kind: info.kind,
    role,
    ...(declName ? { declaredAt: where(wp, declName.getSourceFile(), declName.getStart()) } : {}),
    locations,
    texts,
  };
}

interface FileInfo {
  rel: string;
  /** Undefined when the program does not hold the file. */
  sf: ts.SourceFile | undefined;
  /** Outside the workspace, in node_modules, or not loaded from it: a rename must not edit it. */
  outside: boolean;
}

const fileInfoByProgram = new WeakMap<ts.Program, Map<string, FileInfo>>();

/**
 * Workspace-relative path and source file of a file name the language service returned, and
 * whether a rename may edit it; memoized per program (a program and the project's loaded files
 * never change, an edit makes a new program), so a session's renames resolve each file once.
 */
function programFileInfo(wp: WorkspaceProject, program: ts.Program): (fileName: string) => FileInfo {
  let cache = fileInfoByProgram.get(program);
  if (!cache) {
    cache = new Map();
    fileInfoByProgram.set(program, cache);
  }
  const known = cache;
  return (fileName) => {
    let info = known.get(fileName);
    if (!info) {
      const rel = relOf(wp, fileName);
      const outside = rel.startsWith('..') || rel.split('/').includes('node_modules') || !wp.base(rel);
      info = { rel, sf: outside ? undefined : program.getSourceFile(fileName), outside };
      known.set(fileName, info);
    }
    return info;
  };
}

function symbolAt(t: typeof ts, checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  if (t.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) return checker.getShorthandAssignmentValueSymbol(node.parent) ?? checker.getSymbolAtLocation(node);
  return checker.getSymbolAtLocation(node);
}

/** VALUE/TYPE/NAMESPACE categories of a symbol, following an import alias; all three when unknown. */
function meaningOf(t: typeof ts, checker: ts.TypeChecker, symbol: ts.Symbol | undefined): number {
  const all = VALUE | TYPE | NAMESPACE;
  if (!symbol) return all;
  let target = symbol;
  if (target.flags & t.SymbolFlags.Alias) {
    try {
      target = checker.getAliasedSymbol(target);
    } catch {
      return all;
    }
  }
  let m = 0;
  if (target.flags & t.SymbolFlags.Value) m |= VALUE;
  if (target.flags & t.SymbolFlags.Type) m |= TYPE;
  if (target.flags & t.SymbolFlags.Namespace) m |= NAMESPACE;
  return m === 0 ? all : m;
}

/** Is a rename location a name in code (checked for clashes) or a match in a comment or string? */
function classify(t: typeof ts, sf: ts.SourceFile, span: ts.TextSpan): { node?: CodeLocation['node']; kind: PlannedLocation['kind'] } {
  const token = nameTokenAt(t, sf, span.start);
  if (token && (t.isIdentifier(token) || t.isPrivateIdentifier(token)) && token.getStart(sf) === span.start && token.end === span.start + span.length) {
    return { node: token, kind: 'code' };
  }
  if (token && t.isStringLiteral(token) && token.getStart(sf) + 1 === span.start && span.length === token.text.length) {
    return { node: token, kind: 'code' };
  }
  if (token && (t.isStringLiteralLike(token) || t.isTemplateHead(token) || t.isTemplateMiddle(token) || t.isTemplateTail(token) || t.isTemplateExpression(token) || t.isJsxText(token))) return { kind: 'string' };
  return { kind: 'comment' };
}

function explainCannotRename(message: string | undefined, name: string, at: string, symbol: ts.Symbol | undefined): string {
  const m = message ?? '';
  if (/standard TypeScript library/.test(m)) return `\`${name}\` is declared in TypeScript's standard library; only names declared in this workspace can be renamed.`;
  if (/node_modules/.test(m)) return `\`${name}\` is declared in a node_modules package; only names declared in this workspace can be renamed (give it a local name with an import alias instead).`;
  if (!symbol) return `There is no symbol to rename at ${at}: \`${name}\` is not declared anywhere TypeScript can see.`;
  return `\`${name}\` at ${at} cannot be renamed (TypeScript: ${m || 'no reason given'}).`;
}
