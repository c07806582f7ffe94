// The top-level statements of a file: what it imports (and under which local names), what it
// exports (declarations, `export { … }`, `export default`), what it re-exports, and whether it
// changes the global scope. The uses inside the code are uses.ts's business.
import type { ts as TsNamespace } from 'ts-morph';
import type { ExportFact, ImportFact, ReExportFact } from './facts';
import type { ExportKind } from './types';
import { bindingIdentifiers, expressionKind, hasModifier, moduleExportName, skipOuterExpressions } from './syntax';

type Ts = typeof TsNamespace;
type Node = TsNamespace.Node;

const OPT_OUT_TAG = /@(?:public|beta|alias)\b/;

export interface Binding { spec: string; name: string; typeOnly: boolean; line: number; cjs?: boolean }

export interface Declared {
  imports: ImportFact[];
  exports: Map<string, ExportFact>;
  reExports: ReExportFact[];
  /** `declare global` or `declare module '…'`: other files see the change without importing. */
  global: boolean;
  /** Namespace-like imports (`* as ns`, `x = require()`): followed member by member. */
  namespaces: Map<string, Binding>;
  /** Named and default imports, by local name. */
  named: Map<string, Binding>;
  /** The local names each `import` declaration binds (to tell an import used only in types). */
  bindingsOf: Map<ImportFact, string[]>;
  /** Imported names the file exports again (`import { a } …; export { a }`). */
  reExportedBindings: Set<string>;
}

export class DeclarationReader {
  readonly d: Declared = {
    imports: [], exports: new Map(), reExports: [], global: false,
    namespaces: new Map(), named: new Map(), bindingsOf: new Map(), reExportedBindings: new Set(),
  };
  /** Top-level declarations by name, to give `export { a }` its kind. */
  private readonly locals = new Map<string, { kind: ExportKind; typeOnly: boolean }>();
  private readonly K: typeof TsNamespace.SyntaxKind;

  constructor(private readonly ts: Ts, private readonly sf: TsNamespace.SourceFile) {
    this.K = ts.SyntaxKind;
  }

  read(): Declared {
    for (const st of this.sf.statements) this.statement(st);
    // Local `export { … }` and `export default x` last: they refer to what is declared anywhere.
    for (const st of this.sf.statements) this.localExport(st);
    return this.d;
  }

  lineOf(node: Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }

  addExport(name: string, node: Node, kind: ExportKind, typeOnly: boolean, statement: Node): void {
    const prev = this.d.exports.get(name);
    if (prev) {
      // Declaration merging (`const X` + `type X`, overloads): one export, a value if any part is.
      if (prev.typeOnly && !typeOnly) this.d.exports.set(name, { ...prev, kind, typeOnly: false });
      return;
    }
    this.d.exports.set(name, { name, line: this.lineOf(node), kind, typeOnly, ...(this.optedOut(statement) ? { isPublic: true } : {}) });
  }

  /**
   * The JSDoc tags knip always honours: `@public` (API on purpose), `@beta` (API on purpose, not
   * yet stable) and `@alias` (a second name kept on purpose). Such an export is never reported.
   */
  private optedOut(statement: Node): boolean {
    const text = this.sf.text;
    const ranges = this.ts.getLeadingCommentRanges(text, statement.pos);
    return !!ranges?.some((r) => text.startsWith('/**', r.pos) && OPT_OUT_TAG.test(text.slice(r.pos, r.end)));
  }

  private statement(st: TsNamespace.Statement): void {
    const { ts, K } = this;
    const exported = hasModifier(ts, st, K.ExportKeyword);
    if (ts.isImportDeclaration(st)) this.importDeclaration(st);
    else if (ts.isImportEqualsDeclaration(st)) this.importEquals(st, exported);
    else if (ts.isExportDeclaration(st)) this.reExport(st);
    else if (ts.isExportAssignment(st)) this.exportAssignment(st);
    else if (ts.isVariableStatement(st)) this.variables(st, exported);
    else if (ts.isModuleDeclaration(st)) this.moduleDeclaration(st, exported);
    else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) {
      this.namedDeclaration(st, exported);
    }
  }

  private importDeclaration(st: TsNamespace.ImportDeclaration): void {
    const { ts, d } = this;
    if (!ts.isStringLiteral(st.moduleSpecifier)) return;
    const spec = st.moduleSpecifier.text;
    const line = this.lineOf(st);
    const clause = st.importClause;
    const clauseTypeOnly = !!clause?.isTypeOnly;
    const fact: ImportFact = { spec, line, typeOnly: clauseTypeOnly, names: [] };
    const locals: string[] = [];
    d.bindingsOf.set(fact, locals);
    d.imports.push(fact);
    if (!clause) return; // `import './x'`: loaded for its side effects
    if (clause.name) {
      locals.push(clause.name.text);
      fact.names.push('default');
      d.named.set(clause.name.text, { spec, name: 'default', typeOnly: clauseTypeOnly, line });
    }
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) {
      d.namespaces.set(nb.name.text, { spec, name: '*', typeOnly: clauseTypeOnly, line });
    } else if (nb) {
      for (const el of nb.elements) {
        const importedName = (el.propertyName ?? el.name).text;
        locals.push(el.name.text);
        fact.names.push(importedName);
        d.named.set(el.name.text, { spec, name: importedName, typeOnly: clauseTypeOnly || el.isTypeOnly, line });
      }
      // `import { type A, type B }` is as type-only as `import type { A, B }`.
      if (!clause.name && nb.elements.length > 0 && nb.elements.every((el) => el.isTypeOnly)) fact.typeOnly = true;
    }
  }

  private importEquals(st: TsNamespace.ImportEqualsDeclaration, exported: boolean): void {
    const { ts } = this;
    if (ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteral(st.moduleReference.expression)) {
      // `import x = require('m')` behaves like a namespace import: follow x.member.
      this.d.namespaces.set(st.name.text, { spec: st.moduleReference.expression.text, name: '*', typeOnly: st.isTypeOnly, line: this.lineOf(st), cjs: true });
      if (exported) this.addExport(st.name.text, st.name, 'namespace', st.isTypeOnly, st);
    } else {
      this.locals.set(st.name.text, { kind: 'namespace', typeOnly: false });
      if (exported) this.addExport(st.name.text, st.name, 'namespace', false, st);
    }
  }

  /** `export * from`, `export * as ns from`, `export { a as b } from`. */
  private reExport(st: TsNamespace.ExportDeclaration): void {
    const { ts } = this;
    if (!st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier)) return;
    const spec = st.moduleSpecifier.text;
    const clause = st.exportClause;
    if (!clause) this.d.reExports.push({ spec, line: this.lineOf(st), typeOnly: st.isTypeOnly, from: '*', as: '*' });
    else if (ts.isNamespaceExport(clause)) this.d.reExports.push({ spec, line: this.lineOf(clause.name), typeOnly: st.isTypeOnly, from: '*', as: moduleExportName(ts, clause.name) });
    else for (const el of clause.elements) {
      this.d.reExports.push({ spec, line: this.lineOf(el.name), typeOnly: st.isTypeOnly || el.isTypeOnly, from: moduleExportName(ts, el.propertyName ?? el.name), as: moduleExportName(ts, el.name) });
    }
  }

  private exportAssignment(st: TsNamespace.ExportAssignment): void {
    const e = skipOuterExpressions(this.ts, st.expression);
    if (this.ts.isIdentifier(e) && (this.d.named.has(e.text) || this.d.namespaces.has(e.text))) return; // a re-export (localExport)
    this.addExport('default', st, expressionKind(this.ts, e, this.locals), false, st);
  }

  private variables(st: TsNamespace.VariableStatement, exported: boolean): void {
    for (const decl of st.declarationList.declarations) {
      for (const id of bindingIdentifiers(this.ts, decl.name)) {
        this.locals.set(id.text, { kind: 'variable', typeOnly: false });
        if (exported) this.addExport(id.text, id, 'variable', false, st);
      }
    }
  }

  private moduleDeclaration(st: TsNamespace.ModuleDeclaration, exported: boolean): void {
    if (this.ts.isStringLiteral(st.name) || (st.flags & this.ts.NodeFlags.GlobalAugmentation) !== 0) {
      this.d.global = true; // `declare module 'x' {…}` / `declare global {…}` change other files' view
      return;
    }
    this.locals.set(st.name.text, { kind: 'namespace', typeOnly: false });
    if (exported) this.addExport(st.name.text, st.name, 'namespace', false, st);
  }

  private namedDeclaration(st: TsNamespace.FunctionDeclaration | TsNamespace.ClassDeclaration | TsNamespace.InterfaceDeclaration | TsNamespace.TypeAliasDeclaration | TsNamespace.EnumDeclaration, exported: boolean): void {
    const kind = this.kindOf(st);
    const typeOnly = kind === 'interface' || kind === 'type';
    const name = st.name?.text;
    if (name) this.locals.set(name, { kind, typeOnly });
    if (exported) this.addExport(hasModifier(this.ts, st, this.K.DefaultKeyword) ? 'default' : name ?? 'default', st.name ?? st, kind, typeOnly, st);
  }

  private kindOf(st: Node): ExportKind {
    const { ts } = this;
    if (ts.isFunctionDeclaration(st)) return 'function';
    if (ts.isClassDeclaration(st)) return 'class';
    if (ts.isInterfaceDeclaration(st)) return 'interface';
    return ts.isTypeAliasDeclaration(st) ? 'type' : 'enum';
  }

  /** `export { a, b as c }` and `export default x` without `from`: a re-export when the name was imported. */
  private localExport(st: TsNamespace.Statement): void {
    const { ts, d } = this;
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        const local = moduleExportName(ts, el.propertyName ?? el.name);
        const as = moduleExportName(ts, el.name);
        const typeOnly = st.isTypeOnly || el.isTypeOnly;
        const b = d.named.get(local) ?? d.namespaces.get(local);
        if (b) {
          d.reExportedBindings.add(local);
          d.reExports.push({ spec: b.spec, line: this.lineOf(el.name), typeOnly: typeOnly || b.typeOnly, from: b.name, as });
        } else {
          const decl = this.locals.get(local);
          this.addExport(as, el.name, decl?.kind ?? 'unknown', typeOnly || !!decl?.typeOnly, st);
        }
      }
    } else if (ts.isExportAssignment(st)) {
      const e = skipOuterExpressions(ts, st.expression);
      const b = ts.isIdentifier(e) ? d.named.get(e.text) ?? d.namespaces.get(e.text) : undefined;
      if (b && ts.isIdentifier(e)) {
        d.reExportedBindings.add(e.text);
        d.reExports.push({ spec: b.spec, line: this.lineOf(st), typeOnly: b.typeOnly, from: b.name, as: 'default' });
      }
    }
  }
}
