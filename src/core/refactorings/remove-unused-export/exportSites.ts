// Where a file exports a name, and the text edits that stop exporting it: drop the `export`
// keyword, drop a specifier from `export { … }`, drop a whole declaration (and the imports only it
// used). Pure text work on one file; the caller verifies the result with the compiler.
import type { ts as TsNamespace } from 'ts-morph';
import { RustyError } from '../../util/errors';

type Ts = typeof TsNamespace;

export type SiteKind = 'declaration' | 'declarator' | 'specifier' | 'namespace-export' | 'import-equals';

export interface ExportSite {
  kind: SiteKind;
  statement: TsNamespace.Statement;
  /** The node a symbol's `declarations` holds for this export. */
  declaration: TsNamespace.Node;
  /** The exported name as written (identifier or string literal). */
  nameNode: TsNamespace.Node;
}

export interface TextEdit { start: number; end: number; text: string }

export function findExportSites(ts: Ts, sf: TsNamespace.SourceFile, name: string): ExportSite[] {
  const sites: ExportSite[] = [];
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    const exported = mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    const isDefault = mods?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ?? false;
    if (exported && !isDefault) {
      if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name?.text === name) {
        sites.push({ kind: 'declaration', statement: st, declaration: st, nameNode: st.name });
      } else if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name) && st.name.text === name) {
        sites.push({ kind: 'declaration', statement: st, declaration: st, nameNode: st.name });
      } else if (ts.isImportEqualsDeclaration(st) && st.name.text === name) {
        sites.push({ kind: 'import-equals', statement: st, declaration: st, nameNode: st.name });
      } else if (ts.isVariableStatement(st)) {
        const list = st.declarationList.declarations;
        for (const decl of list) {
          if (ts.isIdentifier(decl.name)) {
            if (decl.name.text === name) sites.push({ kind: list.length === 1 ? 'declaration' : 'declarator', statement: st, declaration: decl, nameNode: decl.name });
          } else if (bindsName(ts, decl.name, name)) {
            throw new RustyError('refused', `\`${name}\` is exported by a destructuring declaration (line ${line(sf, decl)}); split it into its own declaration first.`);
          }
        }
      }
    }
    if (ts.isExportDeclaration(st) && st.exportClause) {
      const clause = st.exportClause;
      if (ts.isNamedExports(clause)) {
        for (const el of clause.elements) if (el.name.text === name) sites.push({ kind: 'specifier', statement: st, declaration: el, nameNode: el.name });
      } else if (clause.name.text === name) {
        sites.push({ kind: 'namespace-export', statement: st, declaration: clause, nameNode: clause.name });
      }
    }
  }
  return sites;
}

function bindsName(ts: Ts, pattern: TsNamespace.BindingName, name: string): boolean {
  if (ts.isIdentifier(pattern)) return pattern.text === name;
  return pattern.elements.some((el) => !ts.isOmittedExpression(el) && bindsName(ts, el.name, name));
}

function line(sf: TsNamespace.SourceFile, node: TsNamespace.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** Edits that keep the declarations but stop exporting the name. */
export function unexportEdits(ts: Ts, sf: TsNamespace.SourceFile, sites: readonly ExportSite[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const text = sf.text;
  const specifiersByStatement = new Map<TsNamespace.ExportDeclaration, TsNamespace.ExportSpecifier[]>();
  for (const site of sites) {
    switch (site.kind) {
      case 'declaration':
      case 'import-equals': {
        const kw = ts.getModifiers(site.statement as TsNamespace.HasModifiers)?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        if (kw) edits.push({ start: kw.getStart(sf), end: skipSpace(text, kw.end), text: '' });
        break;
      }
      case 'declarator': {
        // `export const a = 1, b = 2;` → `const b = 1;` before it, and `a` out of the list.
        const st = site.statement as TsNamespace.VariableStatement;
        const decl = site.declaration as TsNamespace.VariableDeclaration;
        const keyword = ts.tokenToString(declarationKeyword(ts, st.declarationList)) ?? 'const';
        const declare = ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) ? 'declare ' : '';
        const start = lineStart(text, st.getStart(sf, true));
        const indent = text.slice(start, st.getStart(sf, true));
        edits.push({ start, end: start, text: `${indent}${declare}${keyword} ${decl.getText(sf)};\n` });
        edits.push(listElementRemoval(sf, st.declarationList.declarations, st.declarationList.declarations.indexOf(decl)));
        break;
      }
      case 'specifier': {
        const st = site.statement as TsNamespace.ExportDeclaration;
        specifiersByStatement.set(st, [...(specifiersByStatement.get(st) ?? []), site.declaration as TsNamespace.ExportSpecifier]);
        break;
      }
      case 'namespace-export':
        edits.push(statementRemoval(sf, site.statement));
        break;
    }
  }
  for (const [st, specifiers] of specifiersByStatement) {
    const elements = (st.exportClause as TsNamespace.NamedExports).elements;
    if (specifiers.length === elements.length) edits.push(statementRemoval(sf, st));
    else for (const sp of specifiers) edits.push(listElementRemoval(sf, elements, elements.indexOf(sp)));
  }
  return edits;
}

/** Edits that remove the declarations themselves (every overload and merged declaration). */
export function removalEdits(ts: Ts, sf: TsNamespace.SourceFile, sites: readonly ExportSite[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const done = new Set<TsNamespace.Node>();
  for (const site of sites) {
    if (site.kind === 'declarator') {
      const list = (site.statement as TsNamespace.VariableStatement).declarationList.declarations;
      edits.push(listElementRemoval(sf, list, list.indexOf(site.declaration as TsNamespace.VariableDeclaration)));
    } else if (!done.has(site.statement)) {
      done.add(site.statement);
      edits.push(statementRemoval(sf, site.statement));
    }
  }
  return edits;
}

function declarationKeyword(ts: Ts, list: TsNamespace.VariableDeclarationList): TsNamespace.SyntaxKind {
  if (list.flags & ts.NodeFlags.Const) return ts.SyntaxKind.ConstKeyword;
  if (list.flags & ts.NodeFlags.Let) return ts.SyntaxKind.LetKeyword;
  return ts.SyntaxKind.VarKeyword;
}

/** Whether deleting the declaration cannot drop a side effect (no calls, getters, decorators, …). */
export function isRemovable(ts: Ts, site: ExportSite): boolean {
  const st = site.statement;
  if (ts.isFunctionDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) return true;
  if (ts.isModuleDeclaration(st)) return ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) ?? false;
  if (ts.isClassDeclaration(st)) {
    if (ts.getDecorators(st)?.length) return false;
    return st.members.every((m) => {
      if (ts.isClassStaticBlockDeclaration(m)) return false;
      if (ts.canHaveDecorators(m) && ts.getDecorators(m)?.length) return false;
      const isStatic = ts.canHaveModifiers(m) && (ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) ?? false);
      return !(isStatic && ts.isPropertyDeclaration(m) && m.initializer && !isPure(ts, m.initializer));
    }) && (!st.heritageClauses || st.heritageClauses.every((h) => h.types.every((t) => isPure(ts, t.expression))));
  }
  if (ts.isVariableStatement(st)) {
    const decl = site.declaration as TsNamespace.VariableDeclaration;
    return !decl.initializer || isPure(ts, decl.initializer);
  }
  return false;
}

function isPure(ts: Ts, e: TsNamespace.Expression): boolean {
  if (ts.isLiteralExpression(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isIdentifier(e) || ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return true;
  switch (e.kind) {
    case ts.SyntaxKind.TrueKeyword: case ts.SyntaxKind.FalseKeyword: case ts.SyntaxKind.NullKeyword: case ts.SyntaxKind.ThisKeyword:
      return true;
  }
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e) || ts.isNonNullExpression(e)) return isPure(ts, e.expression);
  if (ts.isPrefixUnaryExpression(e)) return isPure(ts, e.operand);
  if (ts.isVoidExpression(e)) return isPure(ts, e.expression);
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => !ts.isSpreadElement(x) && (ts.isOmittedExpression(x) || isPure(ts, x)));
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.every((p) => ts.isMethodDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isShorthandPropertyAssignment(p)
      || (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && isPure(ts, p.initializer)));
  }
  return false;
}

/** `a, b, c` without one element, with its comma. */
function listElementRemoval(sf: TsNamespace.SourceFile, list: TsNamespace.NodeArray<TsNamespace.Node>, index: number): TextEdit {
  const el = list[index]!;
  const next = list[index + 1];
  if (next) return { start: el.getStart(sf), end: next.getStart(sf), text: '' };
  const prev = list[index - 1];
  return { start: prev ? prev.end : el.getStart(sf), end: el.end, text: '' };
}

/** A whole statement with its JSDoc and its line; never two blank lines left where there was one. */
export function statementRemoval(sf: TsNamespace.SourceFile, st: TsNamespace.Node): TextEdit {
  const text = sf.text;
  let start = st.getStart(sf, true);
  if (/^[ \t]*$/.test(text.slice(lineStart(text, start), start))) start = lineStart(text, start);
  let end = st.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  // A blank line before and after: keep one.
  if ((start === 0 || /\n[ \t]*\r?\n$/.test(text.slice(0, start))) && /^[ \t]*\r?\n/.test(text.slice(end))) {
    end += /^[ \t]*\r?\n/.exec(text.slice(end))![0].length;
  }
  // The last statement of the file (or of a block): the blank lines before it go too.
  if (/^\s*(?:\}|$)/.test(text.slice(end))) {
    while (start > 0) {
      const prev = lineStart(text, start - 1);
      if (prev === start || !/^[ \t]*\r?\n$/.test(text.slice(prev, start)) || prev === 0) break;
      start = prev;
    }
  }
  return { start, end, text: '' };
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function skipSpace(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  // Last first; at the same place a removal goes before an insertion (so it does not remove it).
  const sorted = [...edits].sort((a, b) => b.start - a.start || (b.end - b.start) - (a.end - a.start));
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Removes the import binding `local` (specifier, default or namespace import; the declaration when it was the last). */
export function importBindingRemoval(ts: Ts, sf: TsNamespace.SourceFile, local: string): TextEdit | undefined {
  for (const st of sf.statements) {
    if (ts.isImportEqualsDeclaration(st) && st.name.text === local) return statementRemoval(sf, st);
    if (!ts.isImportDeclaration(st) || !st.importClause) continue;
    const clause = st.importClause;
    const named = clause.namedBindings;
    const count = (clause.name ? 1 : 0) + (named ? (ts.isNamespaceImport(named) ? 1 : named.elements.length) : 0);
    if (clause.name?.text === local) {
      if (count === 1) return statementRemoval(sf, st);
      return { start: clause.name.getStart(sf), end: named!.getStart(sf), text: '' };
    }
    if (!named) continue;
    if (ts.isNamespaceImport(named)) {
      if (named.name.text !== local) continue;
      if (count === 1) return statementRemoval(sf, st);
      return { start: clause.name!.end, end: named.end, text: '' };
    }
    const index = named.elements.findIndex((el) => el.name.text === local);
    if (index < 0) continue;
    if (count === 1) return statementRemoval(sf, st);
    if (named.elements.length === 1) return { start: clause.name!.end, end: named.end, text: '' };
    return listElementRemoval(sf, named.elements, index);
  }
  return undefined;
}
