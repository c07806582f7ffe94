// Which exports a value's type names. Whoever imports a value may have its type inferred into
// their own declarations, which then have to name those exports: so a used value keeps the
// exports its type mentions used too (the rule knip follows). Syntax only, no checker.
import type { ts as TsNamespace } from 'ts-morph';
import type { ExportFact } from './facts';
import { bindingIdentifiers, hasModifier, leftmost } from './syntax';

type Ts = typeof TsNamespace;
type Node = TsNamespace.Node;

/**
 * Fills `typeRefs`: for each exported value (function, class, variable, default expression), the
 * same-file exports its declaration names in a type position. Like knip: only the signature of a
 * function with a declared return type, a class without its method bodies, a variable's type
 * annotation when it has one — otherwise what the type is inferred from.
 */
export function linkTypeRefs(ts: Ts, sf: TsNamespace.SourceFile, exports: Map<string, ExportFact>): void {
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
