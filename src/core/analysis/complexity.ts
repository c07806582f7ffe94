// Per-function size and cyclomatic complexity, from the syntax tree alone (no type checker).
// Counted like ESLint's `complexity` rule so numbers can be checked against a tool people know:
// 1 per function, +1 for each if, ?:, for, for-in, for-of, while, do-while, catch, `case` (not
// `default`), &&, ||, ??, &&=, ||=, ??=, default value (parameter or destructuring) and `?.`.
// A nested function is measured on its own and adds nothing to the function around it.
// Works without parent pointers (the syntactic pass parses without them, which is faster).
import type { ts as TsNamespace } from 'ts-morph';

type Ts = typeof TsNamespace;
type Node = TsNamespace.Node;

export interface FunctionMetric {
  name: string;
  /** 1-based line of the function's first token (after its JSDoc). */
  line: number;
  lines: number;
  complexity: number;
}

interface Frame { metric: FunctionMetric | null }

const ANONYMOUS = '<anonymous>';

/**
 * Measures functions during a walk someone else drives: `enter` each node before its children,
 * `exit` it after, with the node's ancestors (facts.ts walks each file once for everything).
 */
export class FunctionMeter {
  readonly functions: FunctionMetric[] = [];
  // Module-level code and class field initializers have no metric of their own.
  private frame: Frame = { metric: null };
  private readonly savedFrames: Frame[] = [];
  private readonly frameOwners: Node[] = [];
  private readonly classNames: string[] = [];
  private readonly classOwners: Node[] = [];

  /** Read once: `ts.SyntaxKind` is a getter on the module object, and `enter` runs for every node. */
  private readonly K: typeof TsNamespace.SyntaxKind;

  constructor(private readonly ts: Ts, private readonly sf: TsNamespace.SourceFile) {
    this.K = ts.SyntaxKind;
  }

  enter(node: Node, ancestors: Node[]): void {
    const ts = this.ts;
    const K = this.K;
    const kind = node.kind;
    if (isMeasured(K, node)) {
      const start = this.lineOf(node.getStart(this.sf));
      let name = functionName(ts, node, ancestors, this.classNames, this.sf);
      // Unnamed: by kind and line inside what contains it, like VS Code's outline (`parse › arrow@12`).
      if (name === ANONYMOUS) name = this.unnamed(node, start);
      const metric: FunctionMetric = { name, line: start, lines: this.lineOf(node.end) - start + 1, complexity: 1 };
      this.functions.push(metric);
      this.push(node, { metric });
    } else if (kind === K.PropertyDeclaration && (node as TsNamespace.PropertyDeclaration).initializer) {
      this.push(node, { metric: null });
    } else if (kind === K.ClassDeclaration || kind === K.ClassExpression) {
      const name = (node as TsNamespace.ClassLikeDeclaration).name;
      this.classNames.push(name ? name.text : bindingName(ts, ancestors, this.sf) ?? '<class>');
      this.classOwners.push(node);
    }
    if (this.frame.metric && isDecision(K, node)) this.frame.metric.complexity++;
  }

  exit(node: Node): void {
    if (this.frameOwners[this.frameOwners.length - 1] === node) {
      this.frameOwners.pop();
      this.frame = this.savedFrames.pop()!;
    }
    if (this.classOwners[this.classOwners.length - 1] === node) {
      this.classOwners.pop();
      this.classNames.pop();
    }
  }

  private unnamed(node: Node, line: number): string {
    const own = `${node.kind === this.K.ArrowFunction ? 'arrow' : 'function'}@${line}`;
    const container = this.frame.metric?.name ?? this.classNames[this.classNames.length - 1];
    return container ? `${container} › ${own}` : own;
  }

  private push(node: Node, frame: Frame): void {
    this.savedFrames.push(this.frame);
    this.frameOwners.push(node);
    this.frame = frame;
  }

  private lineOf(pos: number): number {
    return this.sf.getLineAndCharacterOfPosition(pos).line + 1;
  }
}

/** Every function of a file, by a walk of its own. */
export function measureFunctions(ts: Ts, sf: TsNamespace.SourceFile): FunctionMetric[] {
  const meter = new FunctionMeter(ts, sf);
  const ancestors: Node[] = [];
  const visit = (node: Node): void => {
    meter.enter(node, ancestors);
    ancestors.push(node);
    ts.forEachChild(node, visit);
    ancestors.pop();
    meter.exit(node);
  };
  ts.forEachChild(sf, visit);
  return meter.functions;
}

function isMeasured(K: typeof TsNamespace.SyntaxKind, node: Node): boolean {
  switch (node.kind) {
    case K.FunctionDeclaration: case K.FunctionExpression: case K.ArrowFunction: case K.MethodDeclaration:
    case K.Constructor: case K.GetAccessor: case K.SetAccessor:
      // Overload signatures and abstract or ambient members have no body: nothing to measure.
      return (node as TsNamespace.FunctionLikeDeclaration).body !== undefined;
    case K.ClassStaticBlockDeclaration:
      return true;
    default:
      return false;
  }
}

function isDecision(K: typeof TsNamespace.SyntaxKind, node: Node): boolean {
  switch (node.kind) {
    case K.IfStatement: case K.ConditionalExpression: case K.ForStatement: case K.ForInStatement:
    case K.ForOfStatement: case K.WhileStatement: case K.DoStatement: case K.CatchClause: case K.CaseClause:
      return true;
    case K.BinaryExpression: {
      const op = (node as TsNamespace.BinaryExpression).operatorToken.kind;
      return op === K.AmpersandAmpersandToken || op === K.BarBarToken || op === K.QuestionQuestionToken
        || op === K.AmpersandAmpersandEqualsToken || op === K.BarBarEqualsToken || op === K.QuestionQuestionEqualsToken;
    }
    case K.Parameter: case K.BindingElement:
      return (node as TsNamespace.ParameterDeclaration | TsNamespace.BindingElement).initializer !== undefined;
    case K.ShorthandPropertyAssignment:
      return (node as TsNamespace.ShorthandPropertyAssignment).objectAssignmentInitializer !== undefined;
    case K.PropertyAccessExpression: case K.ElementAccessExpression: case K.CallExpression:
      return (node as TsNamespace.PropertyAccessExpression).questionDotToken !== undefined;
    default:
      return false;
  }
}

/** Skip wrappers that don't change what a function is bound to: `(f)`, `f as T`, `f satisfies T`, `f!`. */
function owner(ts: Ts, ancestors: Node[]): { parent: Node | undefined; child: Node | undefined } {
  const K = ts.SyntaxKind;
  let i = ancestors.length - 1;
  let child: Node | undefined;
  while (i >= 0) {
    const a = ancestors[i]!;
    if (a.kind !== K.ParenthesizedExpression && a.kind !== K.AsExpression && a.kind !== K.SatisfiesExpression && a.kind !== K.NonNullExpression && a.kind !== K.TypeAssertionExpression) break;
    child = a;
    i--;
  }
  return { parent: ancestors[i], child };
}

/** The name a function or class expression gets from what it is assigned to. */
function bindingName(ts: Ts, ancestors: Node[], sf: TsNamespace.SourceFile): string | undefined {
  const K = ts.SyntaxKind;
  const { parent } = owner(ts, ancestors);
  if (!parent) return undefined;
  switch (parent.kind) {
    case K.VariableDeclaration: {
      const name = (parent as TsNamespace.VariableDeclaration).name;
      return ts.isIdentifier(name) ? name.text : undefined;
    }
    case K.PropertyAssignment:
      return propertyName(ts, (parent as TsNamespace.PropertyAssignment).name, sf);
    case K.BinaryExpression: {
      const b = parent as TsNamespace.BinaryExpression;
      return b.operatorToken.kind === K.EqualsToken ? truncate(b.left.getText(sf)) : undefined;
    }
    case K.ExportAssignment:
      return 'default';
    default:
      return undefined;
  }
}

function functionName(ts: Ts, node: Node, ancestors: Node[], classNames: string[], sf: TsNamespace.SourceFile): string {
  const K = ts.SyntaxKind;
  const cls = classNames[classNames.length - 1];
  const parentIsClass = (() => {
    const p = ancestors[ancestors.length - 1];
    return !!p && (p.kind === K.ClassDeclaration || p.kind === K.ClassExpression);
  })();
  const member = (name: string) => (parentIsClass && cls ? `${cls}.${name}` : name);
  switch (node.kind) {
    case K.Constructor:
      return `${cls ?? '<class>'}.constructor`;
    case K.ClassStaticBlockDeclaration:
      return `${cls ?? '<class>'}.static {}`;
    case K.MethodDeclaration: case K.GetAccessor: case K.SetAccessor: {
      const name = propertyName(ts, (node as TsNamespace.MethodDeclaration).name, sf);
      const prefix = node.kind === K.GetAccessor ? 'get ' : node.kind === K.SetAccessor ? 'set ' : '';
      return prefix + member(name);
    }
    case K.FunctionDeclaration: {
      const name = (node as TsNamespace.FunctionDeclaration).name;
      return name ? name.text : 'default';
    }
    default: {
      const own = (node as TsNamespace.FunctionExpression).name;
      if (own) return own.text;
      const { parent, child } = owner(ts, ancestors);
      if (parent?.kind === K.PropertyDeclaration) return member(propertyName(ts, (parent as TsNamespace.PropertyDeclaration).name, sf));
      const bound = bindingName(ts, ancestors, sf);
      if (bound) return bound;
      if (parent && (parent.kind === K.CallExpression || parent.kind === K.NewExpression)) {
        const call = parent as TsNamespace.CallExpression;
        const arg = child ?? node;
        if (call.arguments?.some((a) => a === arg)) return `${truncate(call.expression.getText(sf))} callback`;
      }
      return ANONYMOUS;
    }
  }
}

function propertyName(ts: Ts, name: TsNamespace.PropertyName, sf: TsNamespace.SourceFile): string {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return truncate(name.getText(sf));
}

function truncate(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
