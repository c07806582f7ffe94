// What one file says about itself, from its syntax tree alone: its imports (and which exported
// names each one uses), its exports and re-exports, its functions' size and complexity, and its
// parse errors. Depends only on the file's own text, so it is cached by content hash (cache.ts)
// and the module graph, unused exports and public API are built from these facts without the
// type checker. Plain JSON, so the cache can live on disk.
import type { ts as TsNamespace } from 'ts-morph';
import { FunctionMeter, measureFunctions, type FunctionMetric } from './complexity';
import { toDiagnosticEntry } from './diagnostics';
import type { DiagnosticEntry, ExportKind } from './types';

type Ts = typeof TsNamespace;
type Node = TsNamespace.Node;

/** Bump when the facts' shape or meaning changes: cached facts from older versions are ignored. */
export const FACTS_VERSION = 3;

export interface ImportFact {
  spec: string;
  line: number;
  /** Erased at runtime (`import type`, `export type … from`, all specifiers `type`, `import('x').T` in a type, `/// <reference>`). */
  typeOnly: boolean;
  /** `import()`: loaded later, so it takes no part in the importing module's initialisation. */
  dynamic?: boolean;
  /** `require()` or `import x = require()`: resolved as CommonJS. */
  cjs?: boolean;
  /** Exported names of the target this file uses ('default' for a default import). */
  names: string[];
  /** Uses every export of the target (a namespace passed around whole, an undestructured `import()`/`require()`). */
  all?: boolean;
  /** `/// <reference path="…">`: `spec` is a path relative to the file. */
  reference?: boolean;
  /**
   * A static import whose bindings are all used in type positions only: TypeScript elides it from
   * the output (unless `verbatimModuleSyntax`), so at runtime the module is not loaded from here.
   */
  typeUseOnly?: boolean;
}

export interface ExportFact {
  name: string;
  line: number;
  kind: ExportKind;
  typeOnly: boolean;
  /** Tagged `@public` in its JSDoc: never reported as unused. */
  isPublic?: boolean;
  /**
   * Other exports of this file that this (value) export names in its type — parameter, return or
   * annotation types, `typeof x`: whoever uses this export needs those to be exported too.
   */
  typeRefs?: string[];
}

export interface ReExportFact {
  spec: string;
  line: number;
  typeOnly: boolean;
  /** The target's export name; '*' for `export *` and `export * as ns`. */
  from: string;
  /** This file's export name; '*' for `export * from` (every name but default). */
  as: string;
}

export interface FileFacts {
  v: number;
  /** Has imports or exports (an ES module); otherwise a script whose declarations are global. */
  isModule: boolean;
  /** Changes what other files see without being imported: a script, `declare global`, `declare module '…'`. */
  global: boolean;
  lines: number;
  imports: ImportFact[];
  exports: ExportFact[];
  reExports: ReExportFact[];
  functions: FunctionMetric[];
  /** Parse errors, without the file name (the facts are shared by files with identical content). */
  syntactic: Omit<DiagnosticEntry, 'file'>[];
}

const JS_FILE = /\.[cm]?jsx?$/i;

interface Binding { spec: string; name: string; typeOnly: boolean; line: number; cjs?: boolean }

export function extractFacts(ts: Ts, sf: TsNamespace.SourceFile): FileFacts {
  const K = ts.SyntaxKind;
  const lineOf = (node: Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const text = sf.text;
  const isJs = JS_FILE.test(sf.fileName);
  const imports: ImportFact[] = [];
  const exports = new Map<string, ExportFact>();
  const reExports: ReExportFact[] = [];
  let global = false;

  // Top-level declarations by name, to give `export { a }` its kind.
  const locals = new Map<string, { kind: ExportKind; typeOnly: boolean }>();
  // Imported bindings: namespace-like ones are followed member by member; named ones may be re-exported.
  const namespaces = new Map<string, Binding>();
  const named = new Map<string, Binding>();
  // The local names each `import { … }` / default import declares (to tell type-only use).
  const bindingsOf = new Map<ImportFact, string[]>();

  const addExport = (name: string, node: Node, kind: ExportKind, typeOnly: boolean, statement: Node) => {
    const prev = exports.get(name);
    if (prev) {
      // Declaration merging (`const X` + `type X`, overloads): one export, a value if any part is.
      if (prev.typeOnly && !typeOnly) exports.set(name, { ...prev, kind, typeOnly: false });
      return;
    }
    exports.set(name, { name, line: lineOf(node), kind, typeOnly, ...(hasPublicTag(ts, sf, statement) ? { isPublic: true } : {}) });
  };

  for (const st of sf.statements) {
    const exported = hasModifier(ts, st, K.ExportKeyword);
    const isDefault = hasModifier(ts, st, K.DefaultKeyword);
    switch (st.kind) {
      case K.ImportDeclaration: {
        const d = st as TsNamespace.ImportDeclaration;
        if (!ts.isStringLiteral(d.moduleSpecifier)) break;
        const spec = d.moduleSpecifier.text;
        const line = lineOf(d);
        const clause = d.importClause;
        const clauseTypeOnly = !!clause?.isTypeOnly;
        const fact: ImportFact = { spec, line, typeOnly: clauseTypeOnly, names: [] };
        const locals: string[] = [];
        bindingsOf.set(fact, locals);
        if (clause) {
          if (clause.name) locals.push(clause.name.text);
          if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) for (const el of clause.namedBindings.elements) locals.push(el.name.text);
          let allTypes = clauseTypeOnly;
          if (clause.name) {
            fact.names.push('default');
            named.set(clause.name.text, { spec, name: 'default', typeOnly: clauseTypeOnly, line });
          }
          const nb = clause.namedBindings;
          if (nb && ts.isNamespaceImport(nb)) {
            namespaces.set(nb.name.text, { spec, name: '*', typeOnly: clauseTypeOnly, line });
          } else if (nb) {
            let every = nb.elements.length > 0 && !clause.name;
            for (const el of nb.elements) {
              const importedName = (el.propertyName ?? el.name).text;
              fact.names.push(importedName);
              named.set(el.name.text, { spec, name: importedName, typeOnly: clauseTypeOnly || el.isTypeOnly, line });
              if (!el.isTypeOnly) every = false;
            }
            if (every) allTypes = true;
          }
          fact.typeOnly = allTypes;
        }
        imports.push(fact);
        break;
      }
      case K.ImportEqualsDeclaration: {
        const d = st as TsNamespace.ImportEqualsDeclaration;
        if (ts.isExternalModuleReference(d.moduleReference) && ts.isStringLiteral(d.moduleReference.expression)) {
          // `import x = require('m')` behaves like a namespace import: follow x.member.
          const b: Binding = { spec: d.moduleReference.expression.text, name: '*', typeOnly: d.isTypeOnly, line: lineOf(d), cjs: true };
          namespaces.set(d.name.text, b);
          if (exported) addExport(d.name.text, d.name, 'namespace', d.isTypeOnly, st);
        } else {
          locals.set(d.name.text, { kind: 'namespace', typeOnly: false });
          if (exported) addExport(d.name.text, d.name, 'namespace', false, st);
        }
        break;
      }
      case K.ExportDeclaration: {
        const d = st as TsNamespace.ExportDeclaration;
        const line = lineOf(d);
        if (d.moduleSpecifier && ts.isStringLiteral(d.moduleSpecifier)) {
          const spec = d.moduleSpecifier.text;
          const clause = d.exportClause;
          if (!clause) reExports.push({ spec, line, typeOnly: d.isTypeOnly, from: '*', as: '*' });
          else if (ts.isNamespaceExport(clause)) reExports.push({ spec, line: lineOf(clause.name), typeOnly: d.isTypeOnly, from: '*', as: moduleExportName(ts, clause.name) });
          else for (const el of clause.elements) {
            reExports.push({ spec, line: lineOf(el.name), typeOnly: d.isTypeOnly || el.isTypeOnly, from: moduleExportName(ts, el.propertyName ?? el.name), as: moduleExportName(ts, el.name) });
          }
        }
        // Local `export { a, b as c }` is resolved after all declarations are known (below).
        break;
      }
      case K.ExportAssignment: {
        const d = st as TsNamespace.ExportAssignment;
        const e = skipOuterExpressions(ts, d.expression);
        if (ts.isIdentifier(e) && (named.has(e.text) || namespaces.has(e.text))) break; // a re-export, below
        addExport('default', d, expressionKind(ts, e, locals), false, st);
        break;
      }
      case K.VariableStatement: {
        const d = st as TsNamespace.VariableStatement;
        for (const decl of d.declarationList.declarations) {
          for (const id of bindingIdentifiers(ts, decl.name)) {
            locals.set(id.text, { kind: 'variable', typeOnly: false });
            if (exported) addExport(id.text, id, 'variable', false, st);
          }
        }
        break;
      }
      case K.FunctionDeclaration: case K.ClassDeclaration: case K.InterfaceDeclaration: case K.TypeAliasDeclaration: case K.EnumDeclaration: {
        const d = st as TsNamespace.DeclarationStatement;
        const kind: ExportKind = st.kind === K.FunctionDeclaration ? 'function' : st.kind === K.ClassDeclaration ? 'class'
          : st.kind === K.InterfaceDeclaration ? 'interface' : st.kind === K.TypeAliasDeclaration ? 'type' : 'enum';
        const typeOnly = kind === 'interface' || kind === 'type';
        const name = d.name && ts.isIdentifier(d.name) ? d.name.text : undefined;
        if (name) locals.set(name, { kind, typeOnly });
        if (exported) addExport(isDefault ? 'default' : name ?? 'default', d.name ?? d, kind, typeOnly, st);
        break;
      }
      case K.ModuleDeclaration: {
        const d = st as TsNamespace.ModuleDeclaration;
        if (ts.isStringLiteral(d.name) || (d.flags & ts.NodeFlags.GlobalAugmentation) !== 0) {
          global = true; // `declare module 'x' {…}` / `declare global {…}` change other files' view
          break;
        }
        locals.set(d.name.text, { kind: 'namespace', typeOnly: false });
        if (exported) addExport(d.name.text, d.name, 'namespace', false, st);
        break;
      }
      default:
        break;
    }
  }

  // Local `export { … }` and `export default x`: a re-export when the name was imported.
  const reExportedBindings = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        const local = moduleExportName(ts, el.propertyName ?? el.name);
        const as = moduleExportName(ts, el.name);
        const typeOnly = st.isTypeOnly || el.isTypeOnly;
        const b = named.get(local) ?? namespaces.get(local);
        if (b) {
          reExportedBindings.add(local);
          reExports.push({ spec: b.spec, line: lineOf(el.name), typeOnly: typeOnly || b.typeOnly, from: b.name, as });
        } else {
          const decl = locals.get(local);
          addExport(as, el.name, decl?.kind ?? 'unknown', typeOnly || !!decl?.typeOnly, st);
        }
      }
    } else if (ts.isExportAssignment(st)) {
      const e = skipOuterExpressions(ts, st.expression);
      const b = ts.isIdentifier(e) ? named.get(e.text) ?? namespaces.get(e.text) : undefined;
      if (b && ts.isIdentifier(e)) {
        reExportedBindings.add(e.text);
        reExports.push({ spec: b.spec, line: lineOf(st), typeOnly: b.typeOnly, from: b.name, as: 'default' });
      }
    }
  }

  // One walk for what only shows up inside code: `import()`, `require()`, `import('x').T` types,
  // how namespace imports are used, and whether re-exported imports are also used locally.
  const members = new Map<string, Set<string>>();
  const wholeNamespaces = new Set<string>();
  const usedLocally = new Set<string>();
  // Imported names used in a value position (not only in types): their import stays at runtime.
  const valueUsed = new Set<string>();
  const cjsExports: { name: string; node: Node; kind: ExportKind }[] = [];
  const needsWalk = namespaces.size > 0 || named.size > 0 || /\bimport\s*\(|\brequire\s*\(/.test(text) || (isJs && /\bexports\b/.test(text));
  let functions: FunctionMetric[] | undefined;
  if (needsWalk) {
    // The same walk measures the functions (one traversal of the file instead of two).
    const meter = new FunctionMeter(ts, sf);
    const ancestors: Node[] = [];
    const shadowed = new Map<string, number>();
    const tracked = (n: string) => namespaces.has(n) || named.has(n);
    let typeDepth = 0; // > 0 inside a type (or an ambient declaration): erased at runtime
    const useNamespace = (name: string, member: string | undefined) => {
      if (member === undefined) wholeNamespaces.add(name);
      else {
        let set = members.get(name);
        if (!set) members.set(name, (set = new Set()));
        set.add(member);
      }
    };
    const visit = (node: Node): void => {
      meter.enter(node, ancestors);
      inspect(node);
      meter.exit(node);
    };
    const inspect = (node: Node): void => {
      switch (node.kind) {
        case K.ImportDeclaration: case K.ExportDeclaration:
          return; // declarations, not uses
        case K.ImportEqualsDeclaration:
          if (ts.isExternalModuleReference((node as TsNamespace.ImportEqualsDeclaration).moduleReference)) return;
          break;
        case K.ExportAssignment: {
          const e = skipOuterExpressions(ts, (node as TsNamespace.ExportAssignment).expression);
          if (ts.isIdentifier(e) && reExportedBindings.has(e.text)) return;
          break;
        }
        case K.PropertyAccessExpression: {
          const p = node as TsNamespace.PropertyAccessExpression;
          if (ts.isIdentifier(p.expression) && namespaces.has(p.expression.text) && !shadowed.get(p.expression.text)) {
            useNamespace(p.expression.text, p.name.text);
            if (typeDepth === 0) valueUsed.add(p.expression.text);
            return;
          }
          ancestors.push(node);
          visit(p.expression); // not the name: `x.ns` does not use a binding called ns
          ancestors.pop();
          return;
        }
        case K.ElementAccessExpression: {
          const p = node as TsNamespace.ElementAccessExpression;
          if (ts.isIdentifier(p.expression) && namespaces.has(p.expression.text) && !shadowed.get(p.expression.text) && ts.isStringLiteralLike(p.argumentExpression)) {
            useNamespace(p.expression.text, p.argumentExpression.text);
            if (typeDepth === 0) valueUsed.add(p.expression.text);
            return;
          }
          break;
        }
        case K.QualifiedName: {
          const q = node as TsNamespace.QualifiedName;
          if (ts.isIdentifier(q.left) && namespaces.has(q.left.text) && !shadowed.get(q.left.text)) {
            useNamespace(q.left.text, q.right.text);
            if (typeDepth === 0) valueUsed.add(q.left.text); // `import x = ns.y` outside types
            return;
          }
          ancestors.push(node);
          visit(q.left);
          ancestors.pop();
          return;
        }
        case K.Identifier: {
          const name = (node as TsNamespace.Identifier).text;
          if (shadowed.get(name) || !tracked(name)) return; // a parameter or local of the same name is not the import
          if (typeDepth === 0) valueUsed.add(name);
          if (namespaces.has(name)) useNamespace(name, undefined);
          if (reExportedBindings.has(name)) usedLocally.add(name);
          return;
        }
        case K.CallExpression: {
          const call = node as TsNamespace.CallExpression;
          const arg = call.arguments[0];
          const isImport = call.expression.kind === K.ImportKeyword;
          const isRequire = ts.isIdentifier(call.expression) && call.expression.text === 'require' && call.arguments.length === 1;
          if ((isImport || isRequire) && arg && ts.isStringLiteralLike(arg)) {
            const names = destructuredNames(ts, ancestors);
            imports.push({ spec: arg.text, line: lineOf(call), typeOnly: false, ...(isImport ? { dynamic: true } : { cjs: true }), names: names ?? [], ...(names ? {} : { all: true }) });
          }
          break;
        }
        case K.ImportType: {
          const t = node as TsNamespace.ImportTypeNode;
          if (ts.isLiteralTypeNode(t.argument) && ts.isStringLiteral(t.argument.literal)) {
            const first = t.qualifier ? leftmost(ts, t.qualifier) : undefined;
            imports.push({ spec: t.argument.literal.text, line: lineOf(t), typeOnly: true, names: first ? [first] : [], ...(first ? {} : { all: true }) });
          }
          break;
        }
        case K.ExpressionStatement:
          if (isJs && ancestors.length === 0) collectCommonJsExport(ts, (node as TsNamespace.ExpressionStatement).expression, cjsExports);
          break;
        default:
          break;
      }
      // A parameter or local named like an import hides it in that scope; a declaration's own
      // name is not a use of anything.
      const declared = scopeNames(ts, node);
      const hides = declared.length ? declared.filter(tracked) : declared;
      for (const n of hides) shadowed.set(n, (shadowed.get(n) ?? 0) + 1);
      const own = declarationName(ts, node);
      const typeContext = startsTypeContext(ts, node, ancestors[ancestors.length - 1], ancestors[ancestors.length - 2]);
      if (typeContext) typeDepth++;
      ancestors.push(node);
      if (own) {
        ts.forEachChild(node, (child) => {
          if (child !== own) visit(child);
        });
      } else ts.forEachChild(node, visit);
      ancestors.pop();
      if (typeContext) typeDepth--;
      for (const n of hides) shadowed.set(n, shadowed.get(n)! - 1);
    };
    // Statements are visited with an empty ancestor list: `ancestors.length === 0` means top level.
    for (const st of sf.statements) visit(st);
    functions = meter.functions;
  }

  for (const [local, b] of namespaces) {
    const whole = wholeNamespaces.has(local);
    const used = members.get(local);
    const reExported = reExportedBindings.has(local);
    if (reExported && !whole && !used) continue; // only re-exported: the barrel's users decide
    imports.push({ spec: b.spec, line: b.line, typeOnly: b.typeOnly, ...(b.cjs ? { cjs: true } : {}), names: whole ? [] : [...(used ?? [])], ...(whole ? { all: true } : {}), ...(!b.cjs && !valueUsed.has(local) ? { typeUseOnly: true } : {}) });
  }
  for (const [fact, locals] of bindingsOf) {
    if (locals.length && !locals.some((l) => valueUsed.has(l) || reExportedBindings.has(l))) fact.typeUseOnly = true;
  }
  // A named import that only feeds `export { x }` is not a use: the re-export's users decide.
  for (const fact of imports) {
    if (fact.dynamic || fact.cjs || fact.all) continue;
    const drop = new Set<string>();
    for (const [local, b] of named) {
      if (b.spec === fact.spec && reExportedBindings.has(local) && !usedLocally.has(local)) drop.add(b.name);
    }
    if (drop.size) fact.names = fact.names.filter((n) => !drop.has(n));
  }
  for (const e of cjsExports) addExport(e.name, e.node, e.kind, false, e.node);
  if (exports.size > 1) linkTypeRefs(ts, sf, exports);
  // `/// <reference path>` ties files together without an import (resolved as a path, not a module).
  for (const r of sf.referencedFiles) imports.push({ spec: r.fileName, line: sf.getLineAndCharacterOfPosition(r.pos).line + 1, typeOnly: true, reference: true, names: [] });

  const isModule = imports.some((i) => !i.dynamic && !i.cjs) || exports.size > 0 || reExports.length > 0
    || (sf as { externalModuleIndicator?: unknown }).externalModuleIndicator !== undefined || cjsExports.length > 0 || (isJs && /\brequire\s*\(/.test(text));
  const parseDiagnostics = (sf as unknown as { parseDiagnostics?: TsNamespace.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return {
    v: FACTS_VERSION,
    isModule,
    global: global || !isModule,
    lines: countLines(sf),
    imports,
    exports: [...exports.values()],
    reExports,
    functions: functions ?? measureFunctions(ts, sf),
    syntactic: parseDiagnostics.map((d) => {
      const { file: _file, ...rest } = toDiagnosticEntry(ts, d, null);
      return rest;
    }),
  };
}

function countLines(sf: TsNamespace.SourceFile): number {
  if (sf.text.length === 0) return 0;
  return sf.getLineStarts().length - (sf.text.endsWith('\n') ? 1 : 0);
}

function hasModifier(ts: Ts, node: Node, kind: TsNamespace.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []).some((m) => m.kind === kind) : false;
}

/** A `@public` tag in the JSDoc before the declaration (read from the text: .ts files are parsed without JSDoc, like tsc does). */
function hasPublicTag(ts: Ts, sf: TsNamespace.SourceFile, node: Node): boolean {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.pos);
  return !!ranges?.some((r) => sf.text.startsWith('/**', r.pos) && /@public\b/.test(sf.text.slice(r.pos, r.end)));
}

function moduleExportName(ts: Ts, name: TsNamespace.ModuleExportName): string {
  return ts.isIdentifier(name) ? name.text : name.text;
}

function skipOuterExpressions(ts: Ts, e: TsNamespace.Expression): TsNamespace.Expression {
  let cur = e;
  while (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur) || ts.isNonNullExpression(cur)) cur = cur.expression;
  return cur;
}

function expressionKind(ts: Ts, e: TsNamespace.Expression, locals: Map<string, { kind: ExportKind }>): ExportKind {
  if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return 'function';
  if (ts.isClassExpression(e)) return 'class';
  if (ts.isIdentifier(e)) return locals.get(e.text)?.kind ?? 'variable';
  return 'variable';
}

function bindingIdentifiers(ts: Ts, name: TsNamespace.BindingName): TsNamespace.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: TsNamespace.Identifier[] = [];
  for (const el of name.elements) {
    if (ts.isOmittedExpression(el)) continue;
    out.push(...bindingIdentifiers(ts, el.name));
  }
  return out;
}

function leftmost(ts: Ts, name: TsNamespace.EntityName): string {
  let cur = name;
  while (ts.isQualifiedName(cur)) cur = cur.left;
  return cur.text;
}

/**
 * `const { a, b } = await import('m')`, `const { a } = require('m')`, `(await import('m')).a`,
 * `require('m').a`: the names used. undefined when the module object is used whole.
 */
function destructuredNames(ts: Ts, ancestors: Node[]): string[] | undefined {
  let i = ancestors.length - 1;
  while (i >= 0 && (ts.isAwaitExpression(ancestors[i]!) || ts.isParenthesizedExpression(ancestors[i]!))) i--;
  const parent = ancestors[i];
  if (!parent) return undefined;
  if (ts.isPropertyAccessExpression(parent)) return [parent.name.text];
  if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) {
    const names: string[] = [];
    for (const el of parent.name.elements) {
      if (el.dotDotDotToken) return undefined;
      const prop = el.propertyName ?? el.name;
      if (ts.isIdentifier(prop) || ts.isStringLiteral(prop)) names.push(prop.text);
      else return undefined;
    }
    return names;
  }
  return undefined;
}

/** `exports.a = …`, `module.exports.a = …`, `module.exports = { a, b }` at the top level of a JS file. */
function collectCommonJsExport(ts: Ts, e: TsNamespace.Expression, out: { name: string; node: Node; kind: ExportKind }[]): void {
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const left = e.left;
  const kindOf = (v: TsNamespace.Expression): ExportKind => (ts.isFunctionExpression(v) || ts.isArrowFunction(v) ? 'function' : ts.isClassExpression(v) ? 'class' : 'variable');
  const isModuleExports = (x: TsNamespace.Expression) => ts.isPropertyAccessExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'module' && x.name.text === 'exports';
  if (ts.isPropertyAccessExpression(left) && ((ts.isIdentifier(left.expression) && left.expression.text === 'exports') || isModuleExports(left.expression))) {
    out.push({ name: left.name.text, node: left.name, kind: kindOf(e.right) });
  } else if (isModuleExports(left)) {
    const right = e.right;
    if (ts.isObjectLiteralExpression(right)) {
      for (const p of right.properties) {
        if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && ts.isIdentifier(p.name)) {
          out.push({ name: p.name.text, node: p.name, kind: ts.isMethodDeclaration(p) ? 'function' : ts.isPropertyAssignment(p) ? kindOf(p.initializer) : 'variable' });
        }
      }
    } else {
      out.push({ name: 'default', node: left, kind: kindOf(right) });
    }
  }
}

/** The declared name of a declaration (not a use of anything), when it is a plain name. */
function declarationName(ts: Ts, node: Node): Node | undefined {
  const K = ts.SyntaxKind;
  switch (node.kind) {
    case K.Parameter: case K.VariableDeclaration: case K.BindingElement: case K.FunctionDeclaration: case K.FunctionExpression:
    case K.ClassDeclaration: case K.ClassExpression: case K.MethodDeclaration: case K.MethodSignature: case K.PropertyDeclaration:
    case K.PropertySignature: case K.PropertyAssignment: case K.GetAccessor: case K.SetAccessor: case K.EnumMember:
    case K.EnumDeclaration: case K.InterfaceDeclaration: case K.TypeAliasDeclaration: case K.ModuleDeclaration: case K.TypeParameter:
    case K.JsxAttribute: {
      const name = (node as { name?: Node }).name;
      return name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) ? name : undefined;
    }
    case K.LabeledStatement: case K.BreakStatement: case K.ContinueStatement:
      return (node as TsNamespace.LabeledStatement).label;
    default:
      return undefined;
  }
}

/** Names a node declares for everything inside it: parameters, block-level declarations, catch and loop variables. */
const NONE: string[] = [];

function scopeNames(ts: Ts, node: Node): string[] {
  const K = ts.SyntaxKind;
  switch (node.kind) {
    case K.FunctionDeclaration: case K.FunctionExpression: case K.ArrowFunction: case K.MethodDeclaration: case K.Constructor:
    case K.GetAccessor: case K.SetAccessor: case K.Block: case K.CaseClause: case K.DefaultClause: case K.ModuleBlock:
    case K.CatchClause: case K.ForStatement: case K.ForOfStatement: case K.ForInStatement:
      break;
    default:
      return NONE; // most nodes declare nothing: no allocation
  }
  const out: string[] = [];
  const bind = (name: TsNamespace.BindingName | undefined) => {
    if (name) for (const id of bindingIdentifiers(ts, name)) out.push(id.text);
  };
  if (ts.isFunctionLike(node)) {
    for (const p of node.parameters) bind(p.name);
    if ((ts.isFunctionExpression(node) || ts.isClassExpression(node as Node)) && node.name && ts.isIdentifier(node.name)) out.push(node.name.text);
  } else if (ts.isBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node) || ts.isModuleBlock(node)) {
    for (const st of node.statements) {
      if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bind(d.name);
      else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) out.push(st.name.text);
    }
  } else if (ts.isCatchClause(node)) {
    bind(node.variableDeclaration?.name);
  } else if ((ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer)) {
    for (const d of node.initializer.declarations) bind(d.name);
  }
  return out;
}

/**
 * Fills `typeRefs`: for each exported value (function, class, variable, default expression), the
 * same-file exports its declaration names in a type position. Like knip: only the signature of a
 * function with a declared return type, a class without its method bodies, a variable's type
 * annotation when it has one — otherwise what the type is inferred from.
 */
function linkTypeRefs(ts: Ts, sf: TsNamespace.SourceFile, exports: Map<string, ExportFact>): void {
  const K = ts.SyntaxKind;
  // Which export names each local name is exported as (`export { a as b }` exports a as b).
  const exportedAs = new Map<string, string[]>();
  const addAs = (local: string, as: string) => {
    if (!exports.has(as)) return;
    const list = exportedAs.get(local);
    if (list) list.push(as);
    else exportedAs.set(local, [as]);
  };
  const values: { names: string[]; node: Node; signatureOnly: boolean }[] = [];
  const localValues = new Map<string, { node: Node; signatureOnly: boolean }>();
  // Every top-level function, class and variable, exported or not: calls to them are followed.
  const declarations = new Map<string, Node>();
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) { if (ts.isIdentifier(d.name)) declarations.set(d.name.text, d); }
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) declarations.set(st.name.text, st);
  }
  const hasReturnType = (n: Node | undefined) => !!n && (ts.isFunctionExpression(n) || ts.isArrowFunction(n)) && n.type !== undefined;
  for (const st of sf.statements) {
    const exported = hasModifier(ts, st, K.ExportKeyword);
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const target = d.type ?? d.initializer;
        if (!target) continue;
        const entry = { node: target, signatureOnly: d.type ? true : hasReturnType(d.initializer) };
        for (const id of bindingIdentifiers(ts, d.name)) {
          localValues.set(id.text, entry);
          if (exported) addAs(id.text, id.text);
        }
      }
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && (st.name || exported)) {
      const entry = { node: st as Node, signatureOnly: ts.isClassDeclaration(st) || st.type !== undefined };
      const local = st.name?.text ?? 'default';
      localValues.set(local, entry);
      if (exported) addAs(local, hasModifier(ts, st, K.DefaultKeyword) ? 'default' : local);
    } else if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st) || (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name))) && exported) {
      addAs(st.name.text, st.name.text); // a possible target of references (never a source: types are not followed)
    } else if (ts.isExportAssignment(st) && !ts.isIdentifier(st.expression)) {
      values.push({ names: exports.has('default') ? ['default'] : [], node: st.expression, signatureOnly: hasReturnType(st.expression) });
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) addAs((el.propertyName ?? el.name).text, el.name.text);
    } else if (ts.isExportAssignment(st) && ts.isIdentifier(st.expression)) {
      addAs(st.expression.text, 'default');
    }
  }
  for (const [local, entry] of localValues) {
    const names = exportedAs.get(local);
    if (names) values.push({ names, ...entry });
  }
  for (const v of values) {
    if (!v.names.length) continue;
    const refs = new Set<string>();
    collectTypeRefs(ts, v.node, v.signatureOnly, declarations, (name) => {
      for (const as of exportedAs.get(name) ?? []) refs.add(as);
    });
    for (const name of v.names) {
      const fact = exports.get(name);
      const own = [...refs].filter((r) => r !== name);
      if (fact && own.length && fact.kind !== 'interface' && fact.kind !== 'type' && fact.kind !== 'enum') fact.typeRefs = own;
    }
  }
}

/**
 * Names in type positions (type references, `typeof x`) of `root`, following calls to functions of
 * the same file to the types they return (what an inferred type is made of), as knip does.
 */
function collectTypeRefs(ts: Ts, root: Node, rootSignatureOnly: boolean, locals: ReadonlyMap<string, Node>, add: (name: string) => void): void {
  const K = ts.SyntaxKind;
  const seen = new Set<string>();
  const pending: { key: string; run: () => void }[] = [];
  const follow = (key: string, run: () => void) => {
    if (!seen.has(key)) pending.push({ key, run });
  };
  const visit = (n: Node, signatureOnly: boolean, inBody: boolean): void => {
    switch (n.kind) {
      case K.TypeReference:
        add(leftmost(ts, (n as TsNamespace.TypeReferenceNode).typeName));
        break;
      case K.TypeQuery: {
        const name = (n as TsNamespace.TypeQueryNode).exprName;
        add(ts.isIdentifier(name) ? name.text : leftmost(ts, name));
        return;
      }
      case K.Block:
        if (signatureOnly) return;
        inBody = true;
        break;
      case K.AsExpression: case K.SatisfiesExpression: case K.TypeAssertionExpression:
        // Inside a body an assertion's type does not reach the inferred type; its operand may.
        if (inBody) {
          visit((n as TsNamespace.AsExpression).expression, signatureOnly, inBody);
          return;
        }
        break;
      case K.VariableDeclaration:
        if (inBody) {
          const init = (n as TsNamespace.VariableDeclaration).initializer;
          if (init) visit(init, signatureOnly, inBody);
          return;
        }
        break;
      case K.CallExpression: {
        const call = n as TsNamespace.CallExpression;
        const callee = call.expression;
        if (ts.isIdentifier(callee) && locals.has(callee.text)) {
          const decl = locals.get(callee.text)!;
          follow(`callee:${callee.text}`, () => callResult(decl));
        } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && locals.has(callee.expression.text)) {
          const decl = locals.get(callee.expression.text)!;
          const method = ts.isVariableDeclaration(decl) && decl.initializer && ts.isObjectLiteralExpression(decl.initializer)
            ? decl.initializer.properties.find((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === callee.name.text) as TsNamespace.PropertyAssignment | undefined
            : undefined;
          if (method && (ts.isArrowFunction(method.initializer) || ts.isFunctionExpression(method.initializer))) {
            const fn = method.initializer;
            follow(`member:${callee.expression.text}.${callee.name.text}`, () => callResult(fn));
          }
        }
        if (!inBody) {
          for (const arg of call.arguments) {
            if (ts.isIdentifier(arg) && locals.has(arg.text)) {
              const decl = locals.get(arg.text)!;
              follow(`argument:${arg.text}`, () => visit(decl, true, false));
            }
          }
        }
        break;
      }
      default:
        break;
    }
    ts.forEachChild(n, (c) => visit(c, signatureOnly, inBody));
  };
  /** The types a call of this local returns: its declared return type, else its signature. */
  const callResult = (decl: Node): void => {
    let fn: Node | undefined = decl;
    if (ts.isVariableDeclaration(decl)) {
      if (decl.type && ts.isFunctionTypeNode(decl.type)) {
        if (decl.type.typeParameters) decl.type.typeParameters.forEach((t) => visit(t, true, false));
        visit(decl.type.type, true, false);
        return;
      }
      if (decl.type) return visit(decl.type, true, false);
      fn = decl.initializer;
    }
    if (!fn) return;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isFunctionDeclaration(fn)) return visit(fn, true, false);
    if (fn.type) {
      fn.typeParameters?.forEach((t) => visit(t, true, false));
      visit(fn.type, true, false);
    } else {
      visit(fn, true, false);
    }
  };
  visit(root, rootSignatureOnly, false);
  while (pending.length) {
    const next = pending.pop()!;
    if (seen.has(next.key)) continue;
    seen.add(next.key);
    next.run();
  }
}


/**
 * Whether a node starts a part of the code that is erased at runtime: a type, an interface or type
 * alias, an `implements` clause, an ambient (`declare`) declaration. A class's `extends` clause is
 * a value (its type arguments are types on their own).
 */
function startsTypeContext(ts: Ts, node: Node, parent: Node | undefined, grandparent: Node | undefined): boolean {
  const K = ts.SyntaxKind;
  if (node.kind === K.ExpressionWithTypeArguments) {
    return !(parent && ts.isHeritageClause(parent) && parent.token === K.ExtendsKeyword && grandparent && ts.isClassLike(grandparent));
  }
  if (ts.isTypeNode(node) || node.kind === K.InterfaceDeclaration || node.kind === K.TypeAliasDeclaration) return true;
  if (ts.isHeritageClause(node)) return node.token === K.ImplementsKeyword;
  switch (node.kind) {
    case K.VariableStatement: case K.FunctionDeclaration: case K.ClassDeclaration: case K.ModuleDeclaration: case K.EnumDeclaration:
      // Read the modifiers directly: getModifiers() allocates, and this runs for every node.
      return !!(node as { modifiers?: TsNamespace.NodeArray<TsNamespace.ModifierLike> }).modifiers?.some((m) => m.kind === K.DeclareKeyword);
    default:
      return false;
  }
}
