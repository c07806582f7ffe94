// Which exports a value's type names. Whoever imports a value may have its type inferred into
// their own declarations, which then have to name those exports: so a used value keeps the
// exports its type mentions used too (the rule knip follows). Syntax only, no checker.
import type { ts as TsNamespace } from 'ts-morph';
import type { ExportFact } from './facts';
import { bindingIdentifiers, hasModifier, leftmost } from './syntax';

type Ts = typeof TsNamespace;
type Node = TsNamespace.Node;

interface ValueDeclaration { names: string[]; node: Node; signatureOnly: boolean }

/**
 * Fills `typeRefs`: for each exported value (function, class, variable, default expression), the
 * same-file exports its declaration names in a type position. Like knip: only the signature of a
 * function with a declared return type, a class without its method bodies, a variable's type
 * annotation when it has one — otherwise what the type is inferred from.
 */
export function linkTypeRefs(ts: Ts, sf: TsNamespace.SourceFile, exports: Map<string, ExportFact>): void {
  const exportedAs = exportNames(ts, sf, exports);
  // Every top-level function, class and variable, exported or not: calls to them are followed.
  const declarations = new Map<string, Node>();
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) declarations.set(d.name.text, d);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) declarations.set(st.name.text, st);
  }
  for (const v of valueDeclarations(ts, sf, exports, exportedAs)) {
    const refs = new Set<string>();
    new TypeRefCollector(ts, declarations, (name) => {
      for (const as of exportedAs.get(name) ?? []) refs.add(as);
    }).collect(v.node, v.signatureOnly);
    for (const name of v.names) {
      const fact = exports.get(name);
      const own = [...refs].filter((r) => r !== name);
      if (fact && own.length && fact.kind !== 'interface' && fact.kind !== 'type' && fact.kind !== 'enum') fact.typeRefs = own;
    }
  }
}

/** Which export names each local name is exported as (`export { a as b }` exports a as b). */
function exportNames(ts: Ts, sf: TsNamespace.SourceFile, exports: Map<string, ExportFact>): Map<string, string[]> {
  const K = ts.SyntaxKind;
  const exportedAs = new Map<string, string[]>();
  const add = (local: string, as: string) => {
    if (!exports.has(as)) return;
    const list = exportedAs.get(local);
    if (list) list.push(as);
    else exportedAs.set(local, [as]);
  };
  for (const st of sf.statements) {
    const exported = hasModifier(ts, st, K.ExportKeyword);
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) add((el.propertyName ?? el.name).text, el.name.text);
    } else if (ts.isExportAssignment(st) && ts.isIdentifier(st.expression)) {
      add(st.expression.text, 'default');
    } else if (!exported) {
      continue;
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) for (const id of bindingIdentifiers(ts, d.name)) add(id.text, id.text);
    } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
      const local = st.name?.text ?? 'default';
      add(local, hasModifier(ts, st, K.DefaultKeyword) ? 'default' : local);
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st) || (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name))) {
      add(st.name.text, st.name.text); // a possible target of references (never a source: types are not followed)
    }
  }
  return exportedAs;
}

/** The exported values and the part of each declaration their type comes from. */
function valueDeclarations(ts: Ts, sf: TsNamespace.SourceFile, exports: Map<string, ExportFact>, exportedAs: Map<string, string[]>): ValueDeclaration[] {
  const hasReturnType = (n: Node | undefined) => !!n && (ts.isFunctionExpression(n) || ts.isArrowFunction(n)) && n.type !== undefined;
  const out: ValueDeclaration[] = [];
  const local = (name: string, node: Node, signatureOnly: boolean) => {
    const names = exportedAs.get(name);
    if (names) out.push({ names, node, signatureOnly });
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const target = d.type ?? d.initializer;
        if (target) for (const id of bindingIdentifiers(ts, d.name)) local(id.text, target, d.type ? true : hasReturnType(d.initializer));
      }
    } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
      if (st.name || hasModifier(ts, st, ts.SyntaxKind.ExportKeyword)) local(st.name?.text ?? 'default', st, ts.isClassDeclaration(st) || st.type !== undefined);
    } else if (ts.isExportAssignment(st) && !ts.isIdentifier(st.expression) && exports.has('default')) {
      out.push({ names: ['default'], node: st.expression, signatureOnly: hasReturnType(st.expression) });
    }
  }
  return out;
}

/**
 * Names in type positions (type references, `typeof x`) of a declaration, following calls to
 * functions of the same file to the types they return (what an inferred type is made of).
 */
class TypeRefCollector {
  private readonly seen = new Set<string>();
  private readonly pending: { key: string; run: () => void }[] = [];
  private readonly K: typeof TsNamespace.SyntaxKind;

  constructor(private readonly ts: Ts, private readonly locals: ReadonlyMap<string, Node>, private readonly add: (name: string) => void) {
    this.K = ts.SyntaxKind;
  }

  collect(root: Node, signatureOnly: boolean): void {
    this.visit(root, signatureOnly, false);
    while (this.pending.length) {
      const next = this.pending.pop()!;
      if (this.seen.has(next.key)) continue;
      this.seen.add(next.key);
      next.run();
    }
  }

  private follow(key: string, run: () => void): void {
    if (!this.seen.has(key)) this.pending.push({ key, run });
  }

  /** `inBody`: inside a function body (only reached when not `signatureOnly`). */
  private visit(n: Node, signatureOnly: boolean, inBody: boolean): void {
    const { ts, K } = this;
    switch (n.kind) {
      case K.TypeReference:
        this.add(leftmost(ts, (n as TsNamespace.TypeReferenceNode).typeName));
        break;
      case K.TypeQuery: {
        const name = (n as TsNamespace.TypeQueryNode).exprName;
        this.add(ts.isIdentifier(name) ? name.text : leftmost(ts, name));
        return;
      }
      case K.Block:
        if (signatureOnly) return;
        inBody = true;
        break;
      case K.AsExpression: case K.SatisfiesExpression: case K.TypeAssertionExpression:
        // Inside a body an assertion's type does not reach the inferred type; its operand may.
        if (inBody) return this.visit((n as TsNamespace.AsExpression).expression, signatureOnly, inBody);
        break;
      case K.VariableDeclaration: {
        const init = (n as TsNamespace.VariableDeclaration).initializer;
        if (inBody) return init ? this.visit(init, signatureOnly, inBody) : undefined;
        break;
      }
      case K.CallExpression:
        this.call(n as TsNamespace.CallExpression, inBody);
        break;
      default:
        break;
    }
    ts.forEachChild(n, (c) => this.visit(c, signatureOnly, inBody));
  }

  /** A call of a local function brings its return type in; so does a local passed as an argument outside bodies. */
  private call(call: TsNamespace.CallExpression, inBody: boolean): void {
    const { ts } = this;
    const callee = call.expression;
    if (ts.isIdentifier(callee) && this.locals.has(callee.text)) {
      const decl = this.locals.get(callee.text)!;
      this.follow(`callee:${callee.text}`, () => this.callResult(decl));
    } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && this.locals.has(callee.expression.text)) {
      const fn = this.objectMethod(this.locals.get(callee.expression.text)!, callee.name.text);
      if (fn) this.follow(`member:${callee.expression.text}.${callee.name.text}`, () => this.callResult(fn));
    }
    if (inBody) return;
    for (const arg of call.arguments) {
      if (!ts.isIdentifier(arg) || !this.locals.has(arg.text)) continue;
      const decl = this.locals.get(arg.text)!;
      this.follow(`argument:${arg.text}`, () => this.visit(decl, true, false));
    }
  }

  /** `const o = { m: () => … }`: the function behind `o.m`. */
  private objectMethod(decl: Node, name: string): TsNamespace.ArrowFunction | TsNamespace.FunctionExpression | undefined {
    const { ts } = this;
    if (!ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isObjectLiteralExpression(decl.initializer)) return undefined;
    const prop = decl.initializer.properties.find((p): p is TsNamespace.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name);
    return prop && (ts.isArrowFunction(prop.initializer) || ts.isFunctionExpression(prop.initializer)) ? prop.initializer : undefined;
  }

  /** The types a call of this local returns: its declared return type, else its signature. */
  private callResult(decl: Node): void {
    const { ts } = this;
    let fn: Node | undefined = decl;
    if (ts.isVariableDeclaration(decl)) {
      if (decl.type && ts.isFunctionTypeNode(decl.type)) {
        decl.type.typeParameters?.forEach((t) => this.visit(t, true, false));
        return this.visit(decl.type.type, true, false);
      }
      if (decl.type) return this.visit(decl.type, true, false);
      fn = decl.initializer;
    }
    if (!fn) return;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isFunctionDeclaration(fn)) return this.visit(fn, true, false);
    if (!fn.type) return this.visit(fn, true, false);
    fn.typeParameters?.forEach((t) => this.visit(t, true, false));
    this.visit(fn.type, true, false);
  }
}
