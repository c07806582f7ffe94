// Would renaming to `newName` change what some name refers to? Checked on the program as it is,
// before anything is edited, with the type checker's own name resolution:
//
// - lexical: at every renamed binding or reference, `newName` must not already resolve to a
//   declaration in the same scope or in a scope between it and the renamed binding (it would be a
//   duplicate, or would capture the reference) — for an import, to anything of that name in its
//   scope, whatever it means; and inside the renamed binding's scope no existing reference to an
//   outer `newName` (or a global) may exist (the renamed binding would capture it). Types and
//   values live apart: a use in a type position only clashes with types;
// - members: the class/interface/object type that declares the member, and the type of every
//   `obj.member` reference, must not already have a member `newName` (own or inherited), and a
//   union must not mix in a library type whose member keeps the old name;
// - modules: every module whose export name changes (the declaring module, `export { … }` lists
//   and every `export *` re-exporter of those) must not already export `newName`.
import type { ts } from 'ts-morph';
import type { WorkspaceProject } from '../../ts/workspaceProject';
import { snippet, where } from './support';

/** One place TypeScript renames, with what its replacement renames (prefix/suffix text decide). */
export interface CodeLocation {
  node: ts.Identifier | ts.PrivateIdentifier | ts.StringLiteral;
  prefixText?: string;
  suffixText?: string;
}

/** Meaning categories (not TypeScript's SymbolFlags, whose Value and Type masks overlap). */
export const VALUE = 1;
export const TYPE = 2;
export const NAMESPACE = 4;

const GLOBAL = 'global' as const;
type Scope = ts.Node | typeof GLOBAL;

type Role =
  | { kind: 'binding'; decl: ts.Node }
  | { kind: 'reference' }
  | { kind: 'member-decl'; decl: ts.Node; container: ts.Node }
  | { kind: 'member-ref'; object?: ts.Expression; left?: ts.EntityName; pattern?: ts.BindingPattern }
  | { kind: 'export-name'; file: ts.SourceFile }
  | { kind: 'other' };

export interface ConflictInput {
  wp: WorkspaceProject;
  program: ts.Program;
  oldName: string;
  newName: string;
  /** VALUE | TYPE | NAMESPACE: what the renamed symbol is (after following an import alias). */
  meaning: number;
  locations: readonly CodeLocation[];
}

export class ConflictFinder {
  private readonly tsApi: typeof ts;
  private readonly checker: ts.TypeChecker;
  private readonly problems: string[] = [];
  private readonly seen = new Set<string>();
  /** Scopes of the renamed bindings, per file. */
  private readonly bindingScopes = new Map<ts.SourceFile, { decl: ts.Node; scope: Scope }[]>();
  private readonly changedModules = new Set<ts.SourceFile>();
  private readonly scanned = new Set<string>();

  constructor(private readonly input: ConflictInput) {
    this.tsApi = input.wp.ts;
    this.checker = input.program.getTypeChecker();
  }

  /** Human-readable collisions (empty when the rename is safe as far as these checks see). */
  find(limit = 5): string[] {
    const roles = this.input.locations.map((loc) => ({ loc, roles: this.rolesOf(loc) }));
    for (const { roles: rs } of roles) {
      for (const r of rs) {
        if (r.kind === 'binding') this.addBinding(r.decl);
        if (r.kind === 'export-name') this.changedModules.add(r.file);
      }
    }
    this.checkJsx();
    for (const { loc, roles: rs } of roles) {
      for (const r of rs) {
        if (this.problems.length >= limit) return this.problems;
        if (r.kind === 'binding') this.checkLexical(loc.node, r.decl);
        else if (r.kind === 'reference') this.checkLexical(loc.node, undefined);
        else if (r.kind === 'member-decl') this.checkMemberDeclaration(r.decl, r.container, loc.node);
        else if (r.kind === 'member-ref') this.checkMemberReference(r, loc.node);
      }
    }
    for (const [sf, bindings] of this.bindingScopes) {
      for (const b of bindings) {
        if (this.problems.length >= limit) return this.problems;
        this.checkCapture(sf, b.decl, b.scope);
      }
    }
    if (this.problems.length < limit) this.checkModuleExports();
    return this.problems.slice(0, limit);
  }

  private report(key: string, message: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(message);
  }

  private at(node: ts.Node): string {
    const sf = node.getSourceFile();
    return where(this.input.wp, sf, node.getStart(sf));
  }

  private isOutsideWorkspace(sf: ts.SourceFile): boolean {
    const rel = this.input.wp.rel(sf.fileName);
    return rel.startsWith('..') || rel.includes('node_modules/') || this.input.program.isSourceFileDefaultLibrary(sf);
  }

  private declWhere(decl: ts.Declaration): string {
    const sf = decl.getSourceFile();
    const name = (decl as { name?: ts.Node }).name;
    const node = name ?? decl;
    if (this.isOutsideWorkspace(sf)) return `declared in ${sf.fileName.split('/').slice(-1)[0]}`;
    return `declared at ${where(this.input.wp, sf, node.getStart(sf))}`;
  }

  // ---- roles -------------------------------------------------------------------------------

  private rolesOf(loc: CodeLocation): Role[] {
    const t = this.tsApi;
    const node = loc.node;
    const p = node.parent;
    const prefix = loc.prefixText ?? '';
    const suffix = loc.suffixText ?? '';
    if (node.flags & t.NodeFlags.JSDoc) return []; // a documentation reference ({@link x}, @param x): nothing to clash with
    if (t.isStringLiteral(node)) {
      if (t.isElementAccessExpression(p) && p.argumentExpression === node) return [{ kind: 'member-ref', object: p.expression }];
      if (isMemberDeclaration(t, p) && p.name === node) return [{ kind: 'member-decl', decl: p, container: p.parent }];
      return [{ kind: 'other' }];
    }
    if (t.isPropertyAccessExpression(p) && p.name === node) return [{ kind: 'member-ref', object: p.expression }];
    if (t.isQualifiedName(p) && p.right === node) return [{ kind: 'member-ref', left: p.left }];
    if (t.isShorthandPropertyAssignment(p)) {
      // `{ foo }`: "foo: bar" renames the variable, "bar: foo" the property.
      if (prefix.endsWith(': ')) return [{ kind: 'reference' }];
      if (suffix.startsWith(':')) return [{ kind: 'member-decl', decl: p, container: p.parent }];
      return [{ kind: 'reference' }, { kind: 'member-decl', decl: p, container: p.parent }];
    }
    if (t.isBindingElement(p)) {
      if (p.propertyName === node) return [{ kind: 'member-ref', pattern: p.parent }];
      if (!p.propertyName && t.isObjectBindingPattern(p.parent)) {
        if (prefix.endsWith(': ')) return [{ kind: 'binding', decl: p }];
        if (suffix.startsWith(':')) return [{ kind: 'member-ref', pattern: p.parent }];
        return [{ kind: 'binding', decl: p }, { kind: 'member-ref', pattern: p.parent }];
      }
      return [{ kind: 'binding', decl: p }];
    }
    if (t.isImportSpecifier(p)) {
      if (p.propertyName === node) return []; // names the other module's export; checked there
      if (suffix.startsWith(' as ')) return []; // `import { bar as foo }`: the local name stays
      return [{ kind: 'binding', decl: p }]; // `import { foo as bar }` / renamed both ways: the local binding
    }
    if (t.isExportSpecifier(p)) {
      // `export { foo }`: "foo as bar" renames only the exported name, "bar as foo" only the local
      // use; without prefix or suffix both change.
      const fromOther = !!p.parent.parent.moduleSpecifier;
      const roles: Role[] = [];
      const localChanges = p.propertyName ? p.propertyName === node : p.name === node && !prefix.endsWith(' as ');
      const exportedChanges = p.name === node && (!!p.propertyName || !suffix.startsWith(' as '));
      if (!fromOther && localChanges) roles.push({ kind: 'reference' });
      if (exportedChanges) roles.push({ kind: 'export-name', file: node.getSourceFile() });
      return roles;
    }
    if (t.isNamespaceExport(p)) return [{ kind: 'export-name', file: node.getSourceFile() }];
    if (t.isParameter(p) && p.name === node && t.isParameterPropertyDeclaration(p, p.parent)) {
      const cls = p.parent.parent;
      return [{ kind: 'binding', decl: p }, { kind: 'member-decl', decl: p, container: cls }];
    }
    if (isMemberDeclaration(t, p) && p.name === node) return [{ kind: 'member-decl', decl: p, container: p.parent }];
    if (t.isJsxAttribute(p) || t.isLabeledStatement(p) || t.isBreakOrContinueStatement(p) || t.isMetaProperty(p)) return [{ kind: 'other' }];
    if (isBindingDeclaration(t, p) && (p as ts.NamedDeclaration).name === node) {
      const roles: Role[] = [{ kind: 'binding', decl: p }];
      if (isExportedModuleDeclaration(t, p)) roles.push({ kind: 'export-name', file: node.getSourceFile() });
      return roles;
    }
    return [{ kind: 'reference' }];
  }

  // ---- scopes ------------------------------------------------------------------------------

  private addBinding(decl: ts.Node): void {
    const sf = decl.getSourceFile();
    const list = this.bindingScopes.get(sf) ?? [];
    list.push({ decl, scope: declarationScope(this.tsApi, decl) });
    this.bindingScopes.set(sf, list);
  }

  /** The scope of the renamed binding a lexical location belongs to (innermost containing it). */
  private bindingScopeAt(node: ts.Node): Scope {
    let best: Scope = GLOBAL;
    for (const b of this.bindingScopes.get(node.getSourceFile()) ?? []) {
      if (b.scope !== GLOBAL && contains(b.scope, node) && (best === GLOBAL || within(b.scope, best))) best = b.scope;
    }
    return best;
  }

  private scopeOfDeclaration(decl: ts.Node, from: ts.SourceFile): Scope {
    if (decl.getSourceFile() !== from) return GLOBAL;
    return declarationScope(this.tsApi, decl);
  }

  // ---- checks ------------------------------------------------------------------------------

  private checkJsx(): void {
    const t = this.tsApi;
    if (!/^[a-z]/.test(this.input.newName)) return;
    for (const loc of this.input.locations) {
      const p = loc.node.parent;
      if ((t.isJsxOpeningElement(p) || t.isJsxSelfClosingElement(p) || t.isJsxClosingElement(p)) && p.tagName === loc.node) {
        this.report('jsx', `\`${this.input.newName}\` starts with a lowercase letter: JSX would treat <${this.input.newName}> at ${this.at(loc.node)} as an HTML element, not the component.`);
        return;
      }
    }
  }

  /** At a renamed binding or reference: `newName` already visible from a scope that would win or clash. */
  private checkLexical(node: ts.Node, binding: ts.Node | undefined): void {
    const t = this.tsApi;
    const { newName } = this.input;
    const sf = node.getSourceFile();
    const bindingScope = this.bindingScopeAt(node);
    // Inside a renamed binding's scope only declarations in this file can clash or capture (those of
    // other files are in the global scope, outside it): none can be named `newName` if no identifier here is.
    if (bindingScope !== GLOBAL && !mayDeclare(sf, newName)) return;
    const F = t.SymbolFlags;
    const categories = [[VALUE, F.Value], [TYPE, F.Type], [NAMESPACE, F.Namespace]] as const;
    if (binding) {
      // A declaration clashes with anything of an overlapping meaning in its own scope, and an
      // import clashes with any declaration of the same name there (whatever it means).
      const isImport = isImportDeclarationNode(t, binding);
      let flags: number = F.Alias;
      for (const [m, f] of categories) if (isImport || this.input.meaning & m) flags |= f;
      const found = this.checker.resolveName(newName, node, flags, false);
      for (const d of found?.declarations ?? []) {
        if (this.scopeOfDeclaration(d, sf) !== bindingScope) continue;
        if (!isImport && !isImportDeclarationNode(t, d) && !(this.input.meaning & this.meaningOfSymbol(found!))) continue;
        this.report(`lex:${d.getSourceFile().fileName}:${d.pos}`, `\`${newName}\` is already ${this.declWhere(d)}, in the same scope as the renamed \`${this.input.oldName}\` (${this.at(node)}).`);
        return;
      }
      return;
    }
    // A use in a type position only looks for types (and namespaces); a value use for values.
    const meaning = this.input.meaning & useMeaning(t, node);
    for (const [m, f] of categories) {
      if (!(meaning & m)) continue;
      const found = this.checker.resolveName(newName, node, f, false);
      if (!found) continue;
      for (const d of found.declarations ?? []) {
        const scope = this.scopeOfDeclaration(d, sf);
        if (!within(scope, bindingScope) || !contains(scope, node)) continue;
        const same = scope === bindingScope;
        const key = `lex:${d.getSourceFile().fileName}:${d.pos}`;
        if (same) this.report(key, `\`${newName}\` is already ${this.declWhere(d)}, in the same scope as the renamed \`${this.input.oldName}\` (${this.at(node)}).`);
        else this.report(key, `At ${this.at(node)}, \`${newName}\` would refer to the \`${newName}\` ${this.declWhere(d)} (an inner scope), not to the renamed \`${this.input.oldName}\`.`);
        return;
      }
    }
  }

  private meaningOfSymbol(symbol: ts.Symbol): number {
    const F = this.tsApi.SymbolFlags;
    let s = symbol;
    if (s.flags & F.Alias) {
      try {
        s = this.checker.getAliasedSymbol(s);
      } catch {
        return VALUE | TYPE | NAMESPACE;
      }
    }
    return (s.flags & F.Value ? VALUE : 0) | (s.flags & F.Type ? TYPE : 0) | (s.flags & F.Namespace ? NAMESPACE : 0) || VALUE | TYPE | NAMESPACE;
  }

  /** Inside the renamed binding's scope: existing uses of an outer/global `newName` would be captured. */
  private checkCapture(sf: ts.SourceFile, decl: ts.Node, scope: Scope): void {
    if (scope === GLOBAL) return; // nothing is outside the global scope; clashes there are found by checkLexical
    const t = this.tsApi;
    const { newName } = this.input;
    const text = sf.text;
    const end = scope.end;
    const key = `${sf.fileName}:${scope.pos}`;
    if (this.scanned.has(key)) return;
    this.scanned.add(key);
    const uses: ts.Identifier[] = [];
    if (mayContainWord(sf, newName)) { // else the text has no occurrence of the name to look at
      for (let i = text.indexOf(newName, scope.pos); i !== -1 && i < end; i = text.indexOf(newName, i + 1)) {
        if (i > 0 && t.isIdentifierPart(text.charCodeAt(i - 1), sf.languageVersion)) continue;
        if (i + newName.length < text.length && t.isIdentifierPart(text.charCodeAt(i + newName.length), sf.languageVersion)) continue;
        const id = identifierAt(t, sf, i, newName.length);
        if (id) uses.push(id);
      }
    }
    // `b\u0061r` is also a `bar` the text search cannot see: walk the scope's identifiers for those.
    if (text.includes('\\u')) {
      const visit = (n: ts.Node): void => {
        if (t.isIdentifier(n) && n.text === newName && n.end - n.getStart(sf) !== newName.length) uses.push(n);
        t.forEachChild(n, visit);
      };
      visit(scope);
    }
    for (const id of uses) {
      const i = id.getStart(sf);
      if (!isLexicalUse(t, id)) continue;
      const symbol = t.isShorthandPropertyAssignment(id.parent) ? this.checker.getShorthandAssignmentValueSymbol(id.parent) : this.checker.getSymbolAtLocation(id);
      if (!(this.input.meaning & useMeaning(t, id))) continue;
      if (!symbol) {
        this.report(`cap:${sf.fileName}:${i}`, `\`${newName}\` at ${where(this.input.wp, sf, i)} is not declared anywhere TypeScript can see; after the rename it would refer to the renamed \`${this.input.oldName}\` (${this.at(decl)}).`);
        continue;
      }
      const decls = symbol.declarations ?? [];
      const inside = decls.length > 0 && decls.every((d) => d.getSourceFile() === sf && contains(scope, d));
      if (inside) continue;
      const first = decls[0];
      this.report(`cap:${sf.fileName}:${i}`, `\`${newName}\` at ${where(this.input.wp, sf, i)} refers to the \`${newName}\` ${first ? this.declWhere(first) : 'declared outside'}; after the rename the renamed \`${this.input.oldName}\` (${this.at(decl)}) would shadow it.`);
    }
  }

  private checkMemberDeclaration(decl: ts.Node, container: ts.Node, node: ts.Node): void {
    const t = this.tsApi;
    const { newName } = this.input;
    const what = describeContainer(t, container);
    if (t.isPrivateIdentifier(node)) {
      if (t.isClassLike(container) && container.members.some((m) => m.name && t.isPrivateIdentifier(m.name) && m.name.text === newName)) {
        this.report(`mem:${container.pos}`, `${what} already has a member \`${newName}\`.`);
      }
      return;
    }
    let type: ts.Type | undefined;
    if (t.isEnumDeclaration(container)) {
      const sym = this.checker.getSymbolAtLocation(container.name);
      const existing = sym?.exports?.get(t.escapeLeadingUnderscores(newName));
      if (existing) this.report(`mem:${container.pos}`, `${what} already has a member \`${newName}\` (${this.declWhere(existing.declarations![0]!)}).`);
      return;
    }
    if (t.isClassLike(container)) {
      const isStatic = (t.getCombinedModifierFlags(decl as ts.Declaration) & t.ModifierFlags.Static) !== 0;
      const sym = container.name ? this.checker.getSymbolAtLocation(container.name) : undefined;
      type = isStatic && sym ? this.checker.getTypeOfSymbolAtLocation(sym, container) : this.checker.getTypeAtLocation(container);
    } else {
      type = this.checker.getTypeAtLocation(container);
    }
    const existing = this.propertyOf(type, newName);
    if (existing) {
      const d = existing.declarations?.[0];
      const inherited = d && !(d.parent === container || (t.isParameter(d) && d.parent.parent === container));
      this.report(`mem:${d?.getSourceFile().fileName}:${d?.pos}`, `${what} already ${inherited ? 'inherits' : 'has'} a member \`${newName}\`${d ? ` (${this.declWhere(d)})` : ''}; renaming \`${this.input.oldName}\` at ${this.at(node)} would clash with it.`);
    }
  }

  private checkMemberReference(role: Extract<Role, { kind: 'member-ref' }>, node: ts.Node): void {
    const t = this.tsApi;
    const { newName } = this.input;
    if (role.left) {
      let sym = this.checker.getSymbolAtLocation(role.left);
      if (sym && sym.flags & t.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
      const exports = sym && (sym.flags & (t.SymbolFlags.Module | t.SymbolFlags.Enum)) ? this.checker.getExportsOfModule(sym) : [];
      const existing = exports.find((e) => e.name === newName);
      if (existing) this.report(`qual:${existing.declarations?.[0]?.pos}`, `\`${role.left.getText()}\` already has a member \`${newName}\` (${this.declWhere(existing.declarations![0]!)}); \`${role.left.getText()}.${this.input.oldName}\` at ${this.at(node)} would clash with it.`);
      return;
    }
    const holder = role.object ?? role.pattern;
    if (!holder) return;
    const type = this.checker.getTypeAtLocation(holder);
    if (type.isUnion()) {
      // `(a || Date).now`: TypeScript renames the union's property, but a member the workspace
      // does not own (TypeScript library, node_modules) keeps its name and the use would break.
      for (const part of type.types) {
        const prop = this.checker.getPropertyOfType(this.checker.getApparentType(part), this.input.oldName);
        const d = prop?.declarations?.[0];
        if (!d || !this.isOutsideWorkspace(d.getSourceFile())) continue;
        this.report(`lib:${this.at(node)}`, `\`${snippet(holder.getText(), 40)}.${this.input.oldName}\` at ${this.at(node)} may also be \`${this.checker.typeToString(part)}\`'s \`${this.input.oldName}\` (${this.declWhere(d)}), which cannot be renamed; that use would break.`);
        return;
      }
    }
    const existing = this.propertyOf(type, newName);
    if (existing) {
      const d = existing.declarations?.[0];
      this.report(`ref:${d?.getSourceFile().fileName}:${d?.pos}`, `\`${snippet(holder.getText(), 40)}\` at ${this.at(node)} already has a member \`${newName}\`${d ? ` (${this.declWhere(d)})` : ''}; the renamed member would clash with it.`);
    }
  }

  private propertyOf(type: ts.Type, name: string): ts.Symbol | undefined {
    const parts = type.isUnion() ? type.types : [type];
    for (const part of parts) {
      const apparent = this.checker.getApparentType(part);
      const prop = this.checker.getPropertyOfType(apparent, name);
      if (prop) return prop;
    }
    return undefined;
  }

  /** Modules whose export name changes (and their `export *` re-exporters) must not already export `newName`. */
  private checkModuleExports(): void {
    const t = this.tsApi;
    if (this.changedModules.size === 0) return;
    const changed = new Set<ts.Symbol>();
    const moduleOf = (sf: ts.SourceFile): ts.Symbol | undefined => this.checker.getSymbolAtLocation(sf);
    for (const sf of this.changedModules) {
      const m = moduleOf(sf);
      if (m) changed.add(m);
    }
    // `export * from './a'` re-exports a's new name too: follow those, transitively.
    const starFiles = starReexporters(this.input.program);
    for (let grew = true; grew;) {
      grew = false;
      for (const sf of starFiles) {
        const m = moduleOf(sf);
        if (!m || changed.has(m)) continue;
        const reexports = sf.statements.some((s) => t.isExportDeclaration(s) && !s.exportClause && s.moduleSpecifier && changed.has(this.checker.getSymbolAtLocation(s.moduleSpecifier)!));
        if (reexports) {
          changed.add(m);
          grew = true;
        }
      }
    }
    for (const m of changed) {
      const existing = this.checker.getExportsOfModule(m).find((e) => e.name === this.input.newName);
      if (!existing) continue;
      const file = m.valueDeclaration && t.isSourceFile(m.valueDeclaration) ? this.input.wp.rel(m.valueDeclaration.fileName) : m.name;
      const d = existing.declarations?.[0];
      this.report(`exp:${file}`, `${file} already exports \`${this.input.newName}\`${d ? ` (${this.declWhere(d)})` : ''}, and it also exports the renamed \`${this.input.oldName}\`: the two exports would clash.`);
    }
  }
}

const starFilesByProgram = new WeakMap<ts.Program, ts.SourceFile[]>();

/** Source files with an `export * from` (computed once per program). */
function starReexporters(program: ts.Program): ts.SourceFile[] {
  let files = starFilesByProgram.get(program);
  if (!files) {
    files = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && /\bexport\s*\*\s*from\b/.test(sf.text));
    starFilesByProgram.set(program, files);
  }
  return files;
}

const ASCII_WORD = /^[A-Za-z_$][\w$]*$/;
const wordsByFile = new WeakMap<ts.SourceFile, { words: ReadonlySet<string>; escapes: boolean }>();

/**
 * The ASCII words of a file's text (a superset of the names of its identifiers written without
 * escapes). A source file's text never changes (an edit makes a new SourceFile), so this is built
 * once per file and reused by every later rename in the session.
 */
function wordsOf(sf: ts.SourceFile): { words: ReadonlySet<string>; escapes: boolean } {
  let entry = wordsByFile.get(sf);
  if (!entry) {
    entry = { words: new Set(sf.text.match(/[A-Za-z_$][\w$]*/g)), escapes: sf.text.includes('\\') };
    wordsByFile.set(sf, entry);
  }
  return entry;
}

/** False only when `word` (an ASCII identifier) occurs nowhere in the file's text between non-identifier characters. */
function mayContainWord(sf: ts.SourceFile, word: string): boolean {
  return !ASCII_WORD.test(word) || wordsOf(sf).words.has(word);
}

/**
 * False only when nothing in the file can declare `name`: it is not a word of the text, and there
 * is no backslash (a `\u0061` identifier escape, or an escape or line continuation inside a string
 * name such as an enum member's) that could spell it.
 */
function mayDeclare(sf: ts.SourceFile, name: string): boolean {
  if (!ASCII_WORD.test(name)) return true;
  const { words, escapes } = wordsOf(sf);
  return escapes || words.has(name);
}

// ---- syntax helpers ----------------------------------------------------------------------------

/** What a use of a name looks for: types (and namespaces) in a type position, values (and namespaces) elsewhere. */
function useMeaning(t: typeof ts, node: ts.Node): number {
  const p = node.parent;
  if (t.isExportSpecifier(p) || t.isExportAssignment(p)) return VALUE | TYPE | NAMESPACE;
  return t.isPartOfTypeNode(node) ? TYPE | NAMESPACE : VALUE | NAMESPACE;
}

// Node kinds tested for every renamed location, as sets (one lookup instead of a chain of `isX` calls).
const kindSets = new WeakMap<typeof ts, { member: ReadonlySet<ts.SyntaxKind>; binding: ReadonlySet<ts.SyntaxKind> }>();

function kindsOf(t: typeof ts): { member: ReadonlySet<ts.SyntaxKind>; binding: ReadonlySet<ts.SyntaxKind> } {
  let kinds = kindSets.get(t);
  if (!kinds) {
    const K = t.SyntaxKind;
    kinds = {
      member: new Set([K.PropertyDeclaration, K.PropertySignature, K.MethodDeclaration, K.MethodSignature, K.GetAccessor, K.SetAccessor, K.PropertyAssignment, K.EnumMember]),
      binding: new Set([K.VariableDeclaration, K.FunctionDeclaration, K.ClassDeclaration, K.InterfaceDeclaration, K.TypeAliasDeclaration, K.EnumDeclaration,
        K.ModuleDeclaration, K.Parameter, K.TypeParameter, K.ImportClause, K.NamespaceImport, K.ImportEqualsDeclaration, K.FunctionExpression, K.ClassExpression]),
    };
    kindSets.set(t, kinds);
  }
  return kinds;
}

function isMemberDeclaration(t: typeof ts, n: ts.Node): n is ts.NamedDeclaration & { name: ts.PropertyName } {
  return kindsOf(t).member.has(n.kind);
}

function isImportDeclarationNode(t: typeof ts, n: ts.Node): boolean {
  return t.isImportSpecifier(n) || t.isImportClause(n) || t.isNamespaceImport(n) || t.isImportEqualsDeclaration(n);
}

function isBindingDeclaration(t: typeof ts, n: ts.Node): boolean {
  return kindsOf(t).binding.has(n.kind);
}

function isExportedModuleDeclaration(t: typeof ts, n: ts.Node): boolean {
  const holder = t.isVariableDeclaration(n) ? n.parent.parent : n;
  if (!holder || !t.isSourceFile(holder.parent) || !t.isExternalModule(holder.parent)) return false;
  const mods = t.canHaveModifiers(holder) ? t.getModifiers(holder) ?? [] : [];
  return mods.some((m) => m.kind === t.SyntaxKind.ExportKeyword) && !mods.some((m) => m.kind === t.SyntaxKind.DefaultKeyword);
}

function describeContainer(t: typeof ts, c: ts.Node): string {
  if ((t.isClassLike(c) || t.isInterfaceDeclaration(c) || t.isEnumDeclaration(c)) && c.name) {
    const kind = t.isInterfaceDeclaration(c) ? 'interface' : t.isEnumDeclaration(c) ? 'enum' : 'class';
    return `${kind[0]!.toUpperCase()}${kind.slice(1)} \`${c.name.text}\``;
  }
  if (t.isObjectLiteralExpression(c)) return 'The object literal';
  return 'The type';
}

/** A use of a name that is resolved lexically (not `obj.name`, `{ name: … }`, a label, …). */
function isLexicalUse(t: typeof ts, id: ts.Identifier): boolean {
  const p = id.parent;
  if (t.isPropertyAccessExpression(p) && p.name === id) return false;
  if (t.isQualifiedName(p) && p.right === id) return false;
  if (isMemberDeclaration(t, p) && p.name === id) return false;
  if (t.isBindingElement(p) && p.propertyName === id) return false;
  if (t.isImportSpecifier(p) && p.propertyName === id) return false;
  if (t.isExportSpecifier(p) && (p.parent.parent.moduleSpecifier || (p.propertyName && p.name === id))) return false;
  if (t.isJsxAttribute(p) || t.isLabeledStatement(p) || t.isBreakOrContinueStatement(p) || t.isMetaProperty(p)) return false;
  if (t.isNamespaceExport(p)) return false;
  if (isBindingDeclaration(t, p) && (p as ts.NamedDeclaration).name === id) return false;
  if (t.isBindingElement(p) && p.name === id) return false;
  if (t.isImportSpecifier(p)) return false;
  return true;
}

function identifierAt(t: typeof ts, sf: ts.SourceFile, start: number, length: number): ts.Identifier | undefined {
  let current: ts.Node = sf;
  for (;;) {
    let next: ts.Node | undefined;
    t.forEachChild(current, (child) => {
      if (child.getStart(sf) <= start && start + length <= child.end) {
        next = child;
        return true;
      }
      return undefined;
    });
    if (!next) return undefined;
    if (t.isIdentifier(next)) return next.getStart(sf) === start && next.end === start + length ? next : undefined;
    current = next;
  }
}

function nearest(t: typeof ts, from: ts.Node, accept: (n: ts.Node) => boolean): ts.Node {
  let n: ts.Node | undefined = from;
  while (n && !accept(n)) n = n.parent;
  return n ?? from.getSourceFile();
}

function isFunctionScope(t: typeof ts, n: ts.Node): boolean {
  return t.isFunctionDeclaration(n) || t.isFunctionExpression(n) || t.isArrowFunction(n) || t.isMethodDeclaration(n) || t.isConstructorDeclaration(n)
    || t.isGetAccessorDeclaration(n) || t.isSetAccessorDeclaration(n) || t.isClassStaticBlockDeclaration(n);
}

function isBlockScope(t: typeof ts, n: ts.Node): boolean {
  return t.isSourceFile(n) || t.isBlock(n) || t.isModuleBlock(n) || t.isCaseBlock(n) || t.isForStatement(n) || t.isForInStatement(n)
    || t.isForOfStatement(n) || t.isCatchClause(n) || isFunctionScope(t, n);
}

function isVarScope(t: typeof ts, n: ts.Node): boolean {
  return t.isSourceFile(n) || t.isModuleBlock(n) || isFunctionScope(t, n);
}

/** The region a declaration's name is visible in; a function's body shares its parameters' scope. */
export function declarationScope(t: typeof ts, d: ts.Node): Scope {
  let decl = d;
  while (t.isBindingElement(decl)) decl = decl.parent.parent;
  let scope: ts.Node;
  if (t.isParameter(decl)) scope = decl.parent;
  else if (t.isTypeParameterDeclaration(decl)) scope = t.isInferTypeNode(decl.parent) ? nearest(t, decl.parent, (n) => t.isConditionalTypeNode(n)) : decl.parent;
  else if (t.isVariableDeclaration(decl)) {
    const list = decl.parent;
    if (t.isCatchClause(list)) scope = list;
    else {
      const blockScoped = (list.flags & t.NodeFlags.BlockScoped) !== 0;
      const holder = list.parent;
      if (t.isForStatement(holder) || t.isForInStatement(holder) || t.isForOfStatement(holder)) scope = blockScoped ? holder : nearest(t, holder.parent, (n) => isVarScope(t, n));
      else scope = nearest(t, holder.parent, (n) => (blockScoped ? isBlockScope(t, n) : isVarScope(t, n)));
    }
  } else if (t.isFunctionExpression(decl) || t.isClassExpression(decl)) scope = decl;
  else if (t.isImportClause(decl) || t.isImportSpecifier(decl) || t.isNamespaceImport(decl) || t.isImportEqualsDeclaration(decl)) {
    scope = nearest(t, decl.parent, (n) => t.isSourceFile(n) || t.isModuleBlock(n));
  } else scope = nearest(t, decl.parent, (n) => isBlockScope(t, n));
  return normalizeScope(t, scope);
}

function normalizeScope(t: typeof ts, n: ts.Node): Scope {
  if (t.isBlock(n) && (isFunctionScope(t, n.parent) || t.isCatchClause(n.parent))) return n.parent;
  if (t.isSourceFile(n) && !t.isExternalModule(n)) return GLOBAL;
  if (t.isModuleBlock(n) && (n.parent.flags & t.NodeFlags.GlobalAugmentation) !== 0) return GLOBAL;
  return n;
}

function within(inner: Scope, outer: Scope): boolean {
  if (outer === GLOBAL) return true;
  if (inner === GLOBAL) return false;
  return inner.getSourceFile() === outer.getSourceFile() && outer.pos <= inner.pos && inner.end <= outer.end;
}

function contains(scope: Scope, node: ts.Node): boolean {
  if (scope === GLOBAL) return true;
  return scope.getSourceFile() === node.getSourceFile() && scope.pos <= node.pos && node.end <= scope.end;
}
