// One walk over a file's code for what only shows up inside it: `import()`, `require()` and
// `import('x').T` types; which members of a namespace import are read (or whether it is used
// whole); which imported names are used as values (an import used only in types is erased from
// the output); CommonJS exports of JS files. The same walk measures the functions. Names that a
// parameter or local shadows are not the import; a declaration's own name is not a use.
import type { ts as TsNamespace } from 'ts-morph';
import { FunctionMeter, type FunctionMetric } from './complexity';
import type { Declared } from './declarations';
import type { ImportFact } from './facts';
import type { ExportKind } from './types';
import { collectCommonJsExport, declarationName, destructuredNames, leftmost, scopeNames, skipOuterExpressions, startsTypeContext } from './syntax';

type Ts = typeof TsNamespace;
type Node = TsNamespace.Node;

export interface Uses {
  /** Members read of each namespace import (`ns.a`, `ns['a']`, `ns.A` in a type). */
  members: Map<string, Set<string>>;
  /** Namespace imports used as a whole value (passed around, spread, `typeof ns`). */
  wholeNamespaces: Set<string>;
  /** Re-exported imports that the file also uses itself. */
  usedLocally: Set<string>;
  /** Imported names used in a value position (not only in types). */
  valueUsed: Set<string>;
  /** `import()` / `require()` / `import('x').T` found in the code. */
  imports: ImportFact[];
  cjsExports: { name: string; node: Node; kind: ExportKind }[];
  functions: FunctionMetric[];
}

export class UseWalker {
  readonly uses: Uses = { members: new Map(), wholeNamespaces: new Set(), usedLocally: new Set(), valueUsed: new Set(), imports: [], cjsExports: [], functions: [] };
  private readonly meter: FunctionMeter;
  private readonly ancestors: Node[] = [];
  private readonly shadowed = new Map<string, number>();
  /** > 0 inside a type (or an ambient declaration): erased at runtime. */
  private typeDepth = 0;
  private readonly K: typeof TsNamespace.SyntaxKind;
  private readonly isJs: boolean;
  private readonly visitNode = (node: Node): void => this.visit(node);

  constructor(private readonly ts: Ts, private readonly sf: TsNamespace.SourceFile, private readonly d: Declared) {
    this.meter = new FunctionMeter(ts, sf);
    this.K = ts.SyntaxKind;
    this.isJs = /\.[cm]?jsx?$/i.test(sf.fileName);
  }

  walk(): Uses {
    // Statements are visited with an empty ancestor list: `ancestors.length === 0` means top level.
    for (const st of this.sf.statements) this.visit(st);
    this.uses.functions = this.meter.functions;
    return this.uses;
  }

  private visit(node: Node): void {
    this.meter.enter(node, this.ancestors);
    if (!this.inspect(node)) this.descend(node);
    this.meter.exit(node);
  }

  /** Handles the node; true when its children need no visit (or were visited here). */
  private inspect(node: Node): boolean {
    const { K } = this;
    switch (node.kind) {
      case K.ImportDeclaration: case K.ExportDeclaration:
        return true; // declarations, not uses
      case K.ImportEqualsDeclaration:
        return this.ts.isExternalModuleReference((node as TsNamespace.ImportEqualsDeclaration).moduleReference);
      case K.ExportAssignment: {
        const e = skipOuterExpressions(this.ts, (node as TsNamespace.ExportAssignment).expression);
        return this.ts.isIdentifier(e) && this.d.reExportedBindings.has(e.text);
      }
      case K.PropertyAccessExpression: return this.propertyAccess(node as TsNamespace.PropertyAccessExpression);
      case K.ElementAccessExpression: return this.elementAccess(node as TsNamespace.ElementAccessExpression);
      case K.QualifiedName: return this.qualifiedName(node as TsNamespace.QualifiedName);
      case K.Identifier:
        this.identifier(node as TsNamespace.Identifier);
        return true;
      case K.CallExpression:
        this.call(node as TsNamespace.CallExpression);
        return false;
      case K.ImportType:
        this.importType(node as TsNamespace.ImportTypeNode);
        return false;
      case K.ExpressionStatement:
        if (this.isJs && this.ancestors.length === 0) collectCommonJsExport(this.ts, (node as TsNamespace.ExpressionStatement).expression, this.uses.cjsExports);
        return false;
      default:
        return false;
    }
  }

  private descend(node: Node): void {
    const hides = this.hiddenBy(node);
    for (const n of hides) this.shadowed.set(n, (this.shadowed.get(n) ?? 0) + 1);
    const own = declarationName(this.ts, node);
    const a = this.ancestors;
    const typeContext = startsTypeContext(this.ts, node, a[a.length - 1], a[a.length - 2]);
    if (typeContext) this.typeDepth++;
    a.push(node);
    if (own) {
      this.ts.forEachChild(node, (child) => {
        if (child !== own) this.visit(child);
      });
    } else this.ts.forEachChild(node, this.visitNode);
    a.pop();
    if (typeContext) this.typeDepth--;
    for (const n of hides) this.shadowed.set(n, this.shadowed.get(n)! - 1);
  }

  /** Imported names a parameter or local declared by this node hides inside it. */
  private hiddenBy(node: Node): string[] {
    const declared = scopeNames(this.ts, node);
    return declared.length ? declared.filter((n) => this.tracked(n)) : declared;
  }

  private tracked(name: string): boolean {
    return this.d.namespaces.has(name) || this.d.named.has(name);
  }

  private namespaceAt(e: Node): string | undefined {
    return this.ts.isIdentifier(e) && this.d.namespaces.has(e.text) && !this.shadowed.get(e.text) ? e.text : undefined;
  }

  private useNamespace(name: string, member: string | undefined): void {
    if (this.typeDepth === 0) this.uses.valueUsed.add(name);
    if (member === undefined) {
      this.uses.wholeNamespaces.add(name);
      return;
    }
    let set = this.uses.members.get(name);
    if (!set) this.uses.members.set(name, (set = new Set()));
    set.add(member);
  }

  private propertyAccess(p: TsNamespace.PropertyAccessExpression): boolean {
    const ns = this.namespaceAt(p.expression);
    if (ns) {
      this.useNamespace(ns, p.name.text);
      return true;
    }
    this.ancestors.push(p);
    this.visit(p.expression); // not the name: `x.ns` does not use a binding called ns
    this.ancestors.pop();
    return true;
  }

  private elementAccess(p: TsNamespace.ElementAccessExpression): boolean {
    const ns = this.namespaceAt(p.expression);
    if (!ns || !this.ts.isStringLiteralLike(p.argumentExpression)) return false;
    this.useNamespace(ns, p.argumentExpression.text);
    return true;
  }

  private qualifiedName(q: TsNamespace.QualifiedName): boolean {
    const ns = this.namespaceAt(q.left);
    if (ns) {
      this.useNamespace(ns, q.right.text); // a value use only outside types (`import x = ns.y`)
      return true;
    }
    this.ancestors.push(q);
    this.visit(q.left);
    this.ancestors.pop();
    return true;
  }

  private identifier(id: TsNamespace.Identifier): void {
    const name = id.text;
    if (this.shadowed.get(name) || !this.tracked(name)) return; // a parameter or local of the same name is not the import
    if (this.d.namespaces.has(name)) this.useNamespace(name, undefined);
    else if (this.typeDepth === 0) this.uses.valueUsed.add(name);
    if (this.d.reExportedBindings.has(name)) this.uses.usedLocally.add(name);
  }

  /** `import('m')` and `require('m')` with a literal. */
  private call(call: TsNamespace.CallExpression): void {
    const { ts } = this;
    const arg = call.arguments[0];
    const isImport = call.expression.kind === this.K.ImportKeyword;
    const isRequire = ts.isIdentifier(call.expression) && call.expression.text === 'require' && call.arguments.length === 1;
    if ((!isImport && !isRequire) || !arg || !ts.isStringLiteralLike(arg)) return;
    const names = destructuredNames(ts, this.ancestors);
    this.uses.imports.push({ spec: arg.text, line: this.lineOf(call), typeOnly: false, ...(isImport ? { dynamic: true } : { cjs: true }), names: names ?? [], ...(names ? {} : { all: true }) });
  }

  /** `import('m').T` in a type. */
  private importType(t: TsNamespace.ImportTypeNode): void {
    const { ts } = this;
    if (!ts.isLiteralTypeNode(t.argument) || !ts.isStringLiteral(t.argument.literal)) return;
    const first = t.qualifier ? leftmost(ts, t.qualifier) : undefined;
    this.uses.imports.push({ spec: t.argument.literal.text, line: this.lineOf(t), typeOnly: true, names: first ? [first] : [], ...(first ? {} : { all: true }) });
  }

  private lineOf(node: Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }
}
