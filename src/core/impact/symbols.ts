// Which declarations a change set touches, found syntactically (no type checker): the top-level
// declarations of each changed file and the members of its classes, compared by name between the
// old and the new text. A declaration whose tokens are equal but whose text differs changed only in
// comments or whitespace.
import type { ts as TsNamespace } from 'ts-morph';
import type { ChangedSymbol } from './types';

type Ts = typeof TsNamespace;

export interface Declaration {
  name: string;
  kind: string;
  exported: boolean;
  text: string;
  tokens: string;
  line: number;
  /** Position of the name (for the language service), when it has one. */
  namePos?: number;
  /** Class name for members. */
  parent?: string;
}

/** A changed symbol plus where its name is in the old text (for finding references). */
export interface SymbolDiff extends ChangedSymbol {
  /** Workspace-relative file and position of the declaration in the old text (modified/removed). */
  before?: { file: string; pos: number };
}

export function parse(ts: Ts, fileName: string, text: string): TsNamespace.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(ts, fileName));
}

function scriptKind(ts: Ts, fileName: string): TsNamespace.ScriptKind {
  if (/\.tsx$/i.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function tokensOf(ts: Ts, text: string, variant: TsNamespace.LanguageVariant): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const out: string[] = [];
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) out.push(scanner.getTokenText());
  return out.join(' ');
}

function hasExportModifier(ts: Ts, node: TsNamespace.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Names exported by `export { a, b as c }` and `export default a` without a module specifier. */
function localExportNames(ts: Ts, sf: TsNamespace.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) names.add((el.propertyName ?? el.name).text);
    } else if (ts.isExportAssignment(st) && ts.isIdentifier(st.expression)) {
      names.add(st.expression.text);
    }
  }
  return names;
}

function bindingNames(ts: Ts, name: TsNamespace.BindingName): TsNamespace.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: TsNamespace.Identifier[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(ts, el.name));
  return out;
}

function memberKind(ts: Ts, m: TsNamespace.ClassElement): string | undefined {
  if (ts.isMethodDeclaration(m)) return 'method';
  if (ts.isPropertyDeclaration(m)) return 'property';
  if (ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) return 'accessor';
  if (ts.isConstructorDeclaration(m)) return 'constructor';
  return undefined;
}

function propertyNameText(ts: Ts, name: TsNamespace.PropertyName | undefined, sf: TsNamespace.SourceFile): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText(sf);
}

/** Declarations of a file by name (`Class.member` for members). Same-named declarations (overloads, merges) are one entry. */
export function collectDeclarations(ts: Ts, sf: TsNamespace.SourceFile): Map<string, Declaration> {
  const out = new Map<string, Declaration>();
  const exportedLocally = localExportNames(ts, sf);
  const variant = sf.languageVariant;
  const line = (n: TsNamespace.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const add = (name: string, kind: string, node: TsNamespace.Node, exported: boolean, nameNode?: TsNamespace.Node, parent?: string) => {
    const text = node.getText(sf);
    const prev = out.get(name);
    if (prev) {
      prev.text += '\n' + text;
      prev.tokens += ' ;; ' + tokensOf(ts, text, variant);
      if (!prev.kind.split('+').includes(kind)) prev.kind += `+${kind}`;
      prev.exported ||= exported;
      return;
    }
    out.set(name, { name, kind, exported, text, tokens: tokensOf(ts, text, variant), line: line(node), ...(nameNode ? { namePos: nameNode.getStart(sf) } : {}), ...(parent ? { parent } : {}) });
  };
  for (const st of sf.statements) {
    const exp = hasExportModifier(ts, st);
    const isDefault = exp && ts.canHaveModifiers(st) && !!ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    const named = (n: TsNamespace.Identifier | undefined) => n?.text ?? (isDefault ? 'default' : undefined);
    if (ts.isFunctionDeclaration(st)) {
      const name = named(st.name);
      if (name) add(name, 'function', st, exp || exportedLocally.has(name), st.name);
    } else if (ts.isClassDeclaration(st)) {
      const name = named(st.name);
      if (!name) continue;
      const exported = exp || exportedLocally.has(name);
      add(name, 'class', st, exported, st.name);
      for (const m of st.members) {
        const kind = memberKind(ts, m);
        if (!kind) continue;
        const memberName = kind === 'constructor' ? 'constructor' : propertyNameText(ts, m.name, sf);
        if (memberName) add(`${name}.${memberName}`, kind, m, exported, kind === 'constructor' ? undefined : m.name, name);
      }
    } else if (ts.isInterfaceDeclaration(st)) {
      add(st.name.text, 'interface', st, exp || exportedLocally.has(st.name.text), st.name);
    } else if (ts.isTypeAliasDeclaration(st)) {
      add(st.name.text, 'type', st, exp || exportedLocally.has(st.name.text), st.name);
    } else if (ts.isEnumDeclaration(st)) {
      add(st.name.text, 'enum', st, exp || exportedLocally.has(st.name.text), st.name);
    } else if (ts.isModuleDeclaration(st)) {
      const name = st.name.text;
      add(name, 'namespace', st, exp || exportedLocally.has(name), st.name);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        for (const id of bindingNames(ts, d.name)) add(id.text, 'variable', st.declarationList.declarations.length === 1 ? st : d, exp || exportedLocally.has(id.text), id);
      }
    } else if (ts.isExportAssignment(st)) {
      add('default', 'default export', st, true, ts.isIdentifier(st.expression) ? st.expression : undefined);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const from = st.moduleSpecifier.text;
      if (!st.exportClause) add(`* from '${from}'`, 're-export', st, true);
      else if (ts.isNamespaceExport(st.exportClause)) add(`${st.exportClause.name.text}`, 're-export', st, true, st.exportClause.name);
      else for (const el of st.exportClause.elements) add(el.name.text, 're-export', el, true, el.name);
    }
  }
  return out;
}

export interface FileVersions {
  /** Path before (modify/delete/rename) and after (modify/create/rename). */
  beforePath?: string;
  afterPath?: string;
  before?: TsNamespace.SourceFile;
  after?: TsNamespace.SourceFile;
}

/** Declarations added, removed and modified between two versions of one file. */
export function diffDeclarations(ts: Ts, v: FileVersions): SymbolDiff[] {
  const before = v.before ? collectDeclarations(ts, v.before) : new Map<string, Declaration>();
  const after = v.after ? collectDeclarations(ts, v.after) : new Map<string, Declaration>();
  const file = v.afterPath ?? v.beforePath ?? '';
  const out: SymbolDiff[] = [];
  const where = (d: Declaration) => (v.beforePath && d.namePos !== undefined ? { before: { file: v.beforePath, pos: d.namePos } } : {});
  const changedMembers = new Set<string>();
  for (const [name, a] of after) {
    const b = before.get(name);
    if (!b) out.push({ file, name, kind: a.kind, change: 'added', exported: a.exported, line: a.line });
    else if (b.text !== a.text || b.exported !== a.exported) {
      const commentsOnly = b.tokens === a.tokens && b.exported === a.exported;
      out.push({ file, name, kind: a.kind, change: 'modified', exported: a.exported || b.exported, line: a.line, ...(commentsOnly ? { commentsOnly } : {}), ...where(b) });
      if (a.parent) changedMembers.add(a.parent);
    }
  }
  for (const [name, b] of before) {
    if (after.has(name)) continue;
    out.push({ file: v.afterPath ?? v.beforePath ?? file, name, kind: b.kind, change: 'removed', exported: b.exported, line: b.line, ...where(b) });
    if (b.parent) changedMembers.add(b.parent);
  }
  // A class whose change is fully described by its members is not listed again as a whole.
  return out.filter((s) => !(s.change === 'modified' && s.kind === 'class' && changedMembers.has(s.name)) || !classOnlyChangedInMembers(ts, before.get(s.name), after.get(s.name), v));
}

/** True when a class's text differs only inside its members (the members are listed instead). */
function classOnlyChangedInMembers(ts: Ts, b: Declaration | undefined, a: Declaration | undefined, v: FileVersions): boolean {
  if (!a || !b || !v.before || !v.after) return false;
  const shell = (sf: TsNamespace.SourceFile, name: string) => {
    const cls = sf.statements.find((st): st is TsNamespace.ClassDeclaration => ts.isClassDeclaration(st) && (st.name?.text ?? 'default') === name);
    if (!cls) return undefined;
    const text = cls.getText(sf);
    const start = cls.getStart(sf);
    // Cut out every member's text, keeping the class's own header, decorators and braces.
    let out = '';
    let at = 0;
    for (const m of cls.members) {
      out += text.slice(at, m.getStart(sf) - start);
      at = m.getEnd() - start;
    }
    return tokensOf(ts, out + text.slice(at), sf.languageVariant);
  };
  const sb = shell(v.before, b.name);
  return sb !== undefined && sb === shell(v.after, a.name);
}
