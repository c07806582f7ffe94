// Organizes the imports of one file at a time with the TypeScript language service (through
// ts-morph), entirely in memory: the project holds only the file being organized, without lib files
// or resolved modules (unused-import detection only needs the file itself).

import type * as TsMorphModule from 'ts-morph';
import type { Project, ts as TsNamespace } from 'ts-morph';
import { detectStyle } from './formatStyle';
import { insertBarriers, removeBarriers } from './sideEffectBarriers';

type TsMorph = typeof TsMorphModule;
type Ts = typeof TsNamespace;

/** Code-fix id for "Delete all unused imports" (TypeScript's fixUnusedIdentifier.ts). Only imports. */
export const DELETE_UNUSED_IMPORTS_FIX_ID = 'unusedIdentifier_deleteImports';

/** Where files live in the in-memory file system. */
const VIRTUAL_ROOT = '/rusty-organize-imports/';

export interface ImportDecl {
  /** 'import', or 'export' (`export … from` and local `export { … }`). */
  kind: 'import' | 'export';
  module: string;
  /** Local names bound (imports) or exported names (exports); empty for `import './x'`/`export *`. */
  names: string[];
}

export type OrganizeOutcome =
  | { kind: 'unchanged' }
  | { kind: 'changed'; text: string; before: ImportDecl[]; after: ImportDecl[] }
  | { kind: 'skipped'; reason: string };

export class FileOrganizer {
  private readonly project: Project;
  private readonly ls: TsNamespace.LanguageService;
  private readonly ts: Ts;

  constructor(tsMorph: TsMorph, compilerOptions: TsNamespace.CompilerOptions) {
    this.ts = tsMorph.ts;
    this.project = new tsMorph.Project({
      useInMemoryFileSystem: true,
      skipLoadingLibFiles: true,
      compilerOptions,
    });
    this.ls = this.project.getLanguageService().compilerObject;
  }

  /** `text` is normalized (LF, no BOM). Throws only on TypeScript internal failures. */
  organize(rel: string, text: string): OrganizeOutcome {
    const fileName = VIRTUAL_ROOT + rel;
    let sourceFile = this.project.createSourceFile(fileName, text, { overwrite: true });
    try {
      return organizeText(this.ts, this.ls, fileName, text, sourceFile.compilerNode, (next) => {
        sourceFile = this.project.createSourceFile(fileName, next, { overwrite: true });
        return sourceFile.compilerNode;
      });
    } finally {
      this.project.removeSourceFile(sourceFile);
    }
  }
}

/**
 * Organizes the imports of `fileName`, whose current text in the language service's program is
 * `text` (source file `initial`), through `setText` (which makes the program see a new text for
 * the file and returns its source file). Used on a private one-file project (FileOrganizer) and on
 * a WorkspaceProject (organizeImportsInProject); the caller puts the original text back.
 */
export function organizeText(
  ts: Ts,
  ls: TsNamespace.LanguageService,
  fileName: string,
  text: string,
  initial: TsNamespace.SourceFile,
  setText: (text: string) => TsNamespace.SourceFile,
): OrganizeOutcome {
  const describe = (d: TsNamespace.Diagnostic): string => describeDiagnostic(ts, d);
  let compilerNode = initial;
  const syntax = ls.getSyntacticDiagnostics(fileName);
  const first = syntax[0];
  if (first) return { kind: 'skipped', reason: `does not parse: ${describe(first)}` };
  const before = collectImports(ts, compilerNode);
  if (before.length === 0) return { kind: 'unchanged' };

  const style = detectStyle(text);
  const format: TsNamespace.FormatCodeSettings = {
    ...ts.getDefaultFormatCodeSettings('\n'),
    newLineCharacter: '\n',
    convertTabsToSpaces: style.convertTabsToSpaces,
    indentSize: style.indentSize,
    tabSize: style.indentSize,
    insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: style.spacesInBraces,
  };
  const preferences: TsNamespace.UserPreferences = {};

  // 1. Delete unused imports (and nothing else: not unused locals or parameters). The fix
  //    type-checks the whole file, so it only runs when some imported name is not used as an
  //    identifier elsewhere; organize imports (step 2) would remove unused imports on its own
  //    too, but reprints more lines doing it.
  let current = text;
  if (mayHaveUnusedImports(ts, compilerNode, before)) {
    const fix = ls.getCombinedCodeFix({ type: 'file', fileName }, DELETE_UNUSED_IMPORTS_FIX_ID, format, preferences);
    current = applyChanges(text, fix.changes, fileName);
  }
  if (current !== text) compilerNode = setText(current);

  // 2. Sort and merge, keeping side-effect imports where they are.
  const barriers = insertBarriers(ts, current, compilerNode);
  if (barriers.count > 0) compilerNode = setText(barriers.text);
  // A side-effect import that shares its line with other code cannot be fenced off: then only
  // remove unused imports, don't sort.
  const mode = barriers.complete ? ts.OrganizeImportsMode.All : ts.OrganizeImportsMode.RemoveUnused;
  const organized = ls.organizeImports({ type: 'file', fileName, mode }, format, preferences);
  const restored = removeBarriers(applyChanges(barriers.text, organized, fileName, { skipCosmetic: true }), barriers);
  if (restored === undefined) {
    return { kind: 'skipped', reason: 'imports could not be sorted without moving side-effect imports' };
  }
  current = restored;
  if (current === text) return { kind: 'unchanged' };

  // 3. The result must still parse.
  compilerNode = setText(current);
  const broken = ls.getSyntacticDiagnostics(fileName)[0];
  if (broken) return { kind: 'skipped', reason: `organizing would break the syntax: ${describe(broken)}` };
  const after = collectImports(ts, compilerNode);
  return { kind: 'changed', text: current, before, after };
}

function describeDiagnostic(ts: Ts, d: TsNamespace.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${message} (line ${line + 1}, column ${character + 1})`;
  }
  return message;
}

/**
 * True when some imported local name is not used as an identifier anywhere outside the import
 * declarations (JSDoc and implicit uses such as the JSX factory are not looked at, so this errs on
 * the side of true). A cheap syntactic pre-check before the fix's full type check.
 */
export function mayHaveUnusedImports(ts: Ts, sourceFile: TsNamespace.SourceFile, imports: readonly ImportDecl[]): boolean {
  const wanted = new Set<string>();
  for (const d of imports) {
    if (d.kind !== 'import') continue;
    for (const n of d.names) wanted.add(n.startsWith('* as ') ? n.slice(5) : n);
  }
  if (wanted.size === 0) return false;
  const seen = new Set<string>();
  const visit = (node: TsNamespace.Node): boolean | undefined => {
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) return undefined;
    if (ts.isIdentifier(node)) {
      if (wanted.has(node.text)) seen.add(node.text);
      return seen.size === wanted.size || undefined;
    }
    return ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return seen.size < wanted.size;
}

/**
 * Applies one file's text changes the way TypeScript does (last to first). With `skipCosmetic`, a
 * change that only re-spaces its range or adds/drops `;` or a trailing comma is left out: organize
 * imports reprints every import group it visits, and keeping the original text is always safe.
 */
function applyChanges(
  text: string,
  changes: readonly TsNamespace.FileTextChanges[],
  fileName: string,
  opts: { skipCosmetic?: boolean } = {},
): string {
  let out = text;
  for (const fileChanges of changes) {
    if (fileChanges.fileName !== fileName) continue;
    const list = fileChanges.textChanges;
    for (let i = list.length - 1; i >= 0; i--) {
      const change = list[i];
      if (!change) continue;
      const { start, length } = change.span;
      if (opts.skipCosmetic && squash(text.slice(start, start + length)) === squash(change.newText)) continue;
      out = out.slice(0, start) + change.newText + out.slice(start + length);
    }
  }
  return out;
}

function squash(code: string): string {
  return code.replace(/[\s;]+/g, '').replace(/,([}\]])/g, '$1');
}

/**
 * Import declarations and `export … from` declarations, in order: top-level ones, then those in
 * `declare module '…' { }` blocks (their module prefixed with the ambient module's name).
 */
export function collectImports(ts: Ts, sourceFile: TsNamespace.SourceFile): ImportDecl[] {
  const out: ImportDecl[] = [];
  collectFrom(ts, sourceFile, sourceFile.statements, '', out);
  for (const st of sourceFile.statements) {
    if (ts.isModuleDeclaration(st) && st.body && ts.isModuleBlock(st.body)) {
      collectFrom(ts, sourceFile, st.body.statements, `${st.name.text} > `, out);
    }
  }
  return out;
}

function collectFrom(
  ts: Ts,
  sourceFile: TsNamespace.SourceFile,
  statements: readonly TsNamespace.Statement[],
  prefix: string,
  out: ImportDecl[],
): void {
  for (const st of statements) {
    if (ts.isImportDeclaration(st)) {
      const names: string[] = [];
      const clause = st.importClause;
      if (clause?.name) names.push(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.push(`* as ${bindings.name.text}`);
      else if (bindings) for (const el of bindings.elements) names.push(el.name.text);
      out.push({ kind: 'import', module: prefix + moduleText(ts, sourceFile, st.moduleSpecifier), names });
    } else if (ts.isImportEqualsDeclaration(st)) {
      const ref = st.moduleReference;
      const module = ts.isExternalModuleReference(ref) ? moduleText(ts, sourceFile, ref.expression) : ref.getText(sourceFile);
      out.push({ kind: 'import', module: prefix + module, names: [st.name.text] });
    } else if (ts.isExportDeclaration(st)) {
      const names: string[] = [];
      const clause = st.exportClause;
      if (clause && ts.isNamespaceExport(clause)) names.push(`* as ${clause.name.text}`);
      else if (clause) for (const el of clause.elements) names.push(el.name.text);
      const module = st.moduleSpecifier ? moduleText(ts, sourceFile, st.moduleSpecifier) : '';
      out.push({ kind: 'export', module: prefix + module, names });
    }
  }
}

function moduleText(ts: Ts, sourceFile: TsNamespace.SourceFile, node: TsNamespace.Expression): string {
  return ts.isStringLiteralLike(node) ? node.text : node.getText(sourceFile);
}
