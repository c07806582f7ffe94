// Small questions about TypeScript syntax trees the facts walk asks again and again: modifiers,
// declared names, scopes, whether a node is erased at runtime. Work without parent pointers.
import type { ts as TsNamespace } from 'ts-morph';
import type { ExportKind } from './types';

type Ts = typeof TsNamespace;
type Node = TsNamespace.Node;

/**
 * Per-kind answers for the questions the walks ask of every node, computed once per TypeScript
 * instance: a table lookup instead of a `ts.X` property read (a getter on the module object) and
 * a call for each node.
 */
export interface KindTables {
  K: typeof TsNamespace.SyntaxKind;
  /** `ts.isTypeNode` by kind. */
  typeNode: Uint8Array;
  /** Kinds that may declare names for what is inside them (scopeNames). */
  scope: Uint8Array;
  /** Kinds with a declared name (declarationName). */
  named: Uint8Array;
}

let tables: { ts: Ts; t: KindTables } | undefined;

export function kindTables(ts: Ts): KindTables {
  if (tables?.ts !== ts) tables = { ts, t: buildTables(ts) };
  return tables.t;
}

function buildTables(ts: Ts): KindTables {
  const K = ts.SyntaxKind;
  const count = K.Count;
  const table = (kinds: TsNamespace.SyntaxKind[]) => {
    const t = new Uint8Array(count);
    for (const k of kinds) t[k] = 1;
    return t;
  };
  const typeNode = new Uint8Array(count);
  for (let k = 0; k < count; k++) typeNode[k] = ts.isTypeNode({ kind: k } as Node) ? 1 : 0; // depends on the kind only
  return {
    K,
    typeNode,
    scope: table([K.FunctionDeclaration, K.FunctionExpression, K.ArrowFunction, K.MethodDeclaration, K.Constructor, K.GetAccessor, K.SetAccessor, K.Block,
      K.CaseClause, K.DefaultClause, K.ModuleBlock, K.CatchClause, K.ForStatement, K.ForOfStatement, K.ForInStatement]),
    named: table([K.Parameter, K.VariableDeclaration, K.BindingElement, K.FunctionDeclaration, K.FunctionExpression, K.ClassDeclaration, K.ClassExpression,
      K.MethodDeclaration, K.MethodSignature, K.PropertyDeclaration, K.PropertySignature, K.PropertyAssignment, K.GetAccessor, K.SetAccessor, K.EnumMember,
      K.EnumDeclaration, K.InterfaceDeclaration, K.TypeAliasDeclaration, K.ModuleDeclaration, K.TypeParameter, K.JsxAttribute,
      K.LabeledStatement, K.BreakStatement, K.ContinueStatement]),
  };
}

export function countLines(sf: TsNamespace.SourceFile): number {
  if (sf.text.length === 0) return 0;
  return sf.getLineStarts().length - (sf.text.endsWith('\n') ? 1 : 0);
}

export function hasModifier(ts: Ts, node: Node, kind: TsNamespace.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []).some((m) => m.kind === kind) : false;
}

export function moduleExportName(ts: Ts, name: TsNamespace.ModuleExportName): string {
  return ts.isIdentifier(name) ? name.text : name.text;
}

export function skipOuterExpressions(ts: Ts, e: TsNamespace.Expression): TsNamespace.Expression {
  let cur = e;
  while (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur) || ts.isNonNullExpression(cur)) cur = cur.expression;
  return cur;
}

export function expressionKind(ts: Ts, e: TsNamespace.Expression, locals: Map<string, { kind: ExportKind }>): ExportKind {
  if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return 'function';
  if (ts.isClassExpression(e)) return 'class';
  if (ts.isIdentifier(e)) return locals.get(e.text)?.kind ?? 'variable';
  return 'variable';
}

export function bindingIdentifiers(ts: Ts, name: TsNamespace.BindingName): TsNamespace.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: TsNamespace.Identifier[] = [];
  for (const el of name.elements) {
    if (ts.isOmittedExpression(el)) continue;
    out.push(...bindingIdentifiers(ts, el.name));
  }
  return out;
}

export function leftmost(ts: Ts, name: TsNamespace.EntityName): string {
  let cur = name;
  while (ts.isQualifiedName(cur)) cur = cur.left;
  return cur.text;
}

/**
 * `const { a, b } = await import('m')`, `const { a } = require('m')`, `(await import('m')).a`,
 * `require('m').a`: the names used. undefined when the module object is used whole.
 */
export function destructuredNames(ts: Ts, ancestors: Node[]): string[] | undefined {
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
export function collectCommonJsExport(ts: Ts, e: TsNamespace.Expression, out: { name: string; node: Node; kind: ExportKind }[]): void {
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
export function declarationName(ts: Ts, node: Node): Node | undefined {
  const t = kindTables(ts);
  if (!t.named[node.kind]) return undefined; // most nodes: one lookup
  const K = t.K;
  switch (node.kind) {
    case K.Parameter: case K.VariableDeclaration: case K.BindingElement: case K.FunctionDeclaration: case K.FunctionExpression:
    case K.ClassDeclaration: case K.ClassExpression: case K.MethodDeclaration: case K.MethodSignature: case K.PropertyDeclaration:
    case K.PropertySignature: case K.PropertyAssignment: case K.GetAccessor: case K.SetAccessor: case K.EnumMember:
    case K.EnumDeclaration: case K.InterfaceDeclaration: case K.TypeAliasDeclaration: case K.ModuleDeclaration: case K.TypeParameter:
    case K.JsxAttribute: {
      const name = (node as { name?: Node }).name;
      return name && (name.kind === K.Identifier || name.kind === K.PrivateIdentifier || name.kind === K.StringLiteral) ? name : undefined;
    }
    case K.LabeledStatement: case K.BreakStatement: case K.ContinueStatement:
      return (node as TsNamespace.LabeledStatement).label;
    default:
      return undefined;
  }
}

const NONE: string[] = [];

/** Names a node declares for everything inside it: parameters, block-level declarations, catch and loop variables. */
export function scopeNames(ts: Ts, node: Node): string[] {
  if (!kindTables(ts).scope[node.kind]) return NONE; // most nodes declare nothing: one lookup, no allocation
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
 * Whether a node starts a part of the code that is erased at runtime: a type, an interface or type
 * alias, an `implements` clause, an ambient (`declare`) declaration. A class's `extends` clause is
 * a value (its type arguments are types on their own).
 */
export function startsTypeContext(ts: Ts, node: Node, parent: Node | undefined, grandparent: Node | undefined): boolean {
  const t = kindTables(ts);
  const K = t.K;
  const kind = node.kind;
  if (kind === K.ExpressionWithTypeArguments) {
    return !(parent && parent.kind === K.HeritageClause && (parent as TsNamespace.HeritageClause).token === K.ExtendsKeyword
      && grandparent && (grandparent.kind === K.ClassDeclaration || grandparent.kind === K.ClassExpression));
  }
  if (t.typeNode[kind] || kind === K.InterfaceDeclaration || kind === K.TypeAliasDeclaration) return true;
  if (kind === K.HeritageClause) return (node as TsNamespace.HeritageClause).token === K.ImplementsKeyword;
  switch (kind) {
    case K.VariableStatement: case K.FunctionDeclaration: case K.ClassDeclaration: case K.ModuleDeclaration: case K.EnumDeclaration:
      // Read the modifiers directly: getModifiers() allocates, and this runs for every node.
      return !!(node as { modifiers?: TsNamespace.NodeArray<TsNamespace.ModifierLike> }).modifiers?.some((m) => m.kind === K.DeclareKeyword);
    default:
      return false;
  }
}
