// Cases derived from a function's signature and body: boundary values per parameter type, each
// union member, the optional parameters left out, every error the body throws and, for a branchy
// body, one case per branch. A case names an input; its expectation is left to a person (a todo).
import type * as TsMorph from 'ts-morph';

export interface TestCase {
  /** The case's title, e.g. `add(0, 1)` or `throws RangeError when n < 0`. */
  title: string;
  kind: 'boundary' | 'union-member' | 'optional-omitted' | 'throws' | 'branch';
}

export interface TestTarget {
  name: string;
  kind: 'function' | 'class';
  isDefault: boolean;
  isAsync: boolean;
  cases: TestCase[];
  /** Methods of a class, each with its own cases. */
  methods?: { name: string; cases: TestCase[] }[];
}

type Node = TsMorph.Node;
type Type = TsMorph.Type;

/** Boundary inputs of one type, as source text; a few per type, deterministic. */
function valuesOf(type: Type, at: Node, depth = 0): string[] {
  if (depth > 2) return [];
  if (type.isUnion() && !type.isBoolean()) {
    const out: string[] = [];
    for (const t of type.getUnionTypes()) for (const v of valuesOf(t, at, depth + 1).slice(0, 1)) if (!out.includes(v)) out.push(v);
    if (type.getUnionTypes().some((t) => t.isBooleanLiteral())) for (const v of ['true', 'false']) if (!out.includes(v)) out.push(v);
    return out;
  }
  if (type.isStringLiteral() || type.isNumberLiteral() || type.isBooleanLiteral()) return [type.getText()];
  if (type.isNumber()) return ['0', '1', '-1', 'Number.MAX_SAFE_INTEGER', 'NaN'];
  if (type.isString()) return ["''", "'a'"];
  if (type.isBoolean()) return ['true', 'false'];
  if (type.isUndefined()) return ['undefined'];
  if (type.isNull()) return ['null'];
  if (type.isArray()) {
    const el = valuesOf(type.getArrayElementTypeOrThrow(), at, depth + 1)[0];
    return el ? ['[]', `[${el}]`] : ['[]'];
  }
  if (type.getText() === 'bigint') return ['0n', '-1n'];
  if (type.isObject() && !type.getCallSignatures().length) {
    const props = type.getProperties().filter((p) => !p.isOptional?.());
    if (props.length > 4) return ['{ … }'];
    const parts = props.map((p) => `${p.getName()}: ${valuesOf(p.getTypeAtLocation(at), at, depth + 1)[0] ?? '…'}`);
    return [`{${parts.length ? ` ${parts.join(', ')} ` : ''}}`];
  }
  return [];
}

interface Param { name: string; optional: boolean; values: string[]; isUnion: boolean }

function paramsOf(fn: TsMorph.FunctionLikeDeclaration | TsMorph.ArrowFunction | TsMorph.FunctionExpression): Param[] {
  return fn.getParameters().map((p) => {
    const type = p.getType();
    // `x?: T`, `x = v`, a JSDoc `[x]` or a type that takes undefined: the parameter may be left out.
    const optional = p.isOptional() || (type.isUnion() && type.getUnionTypes().some((t) => t.isUndefined()));
    const nonNullable = optional ? type.getNonNullableType() : type;
    return { name: p.getName(), optional, values: valuesOf(nonNullable, p), isUnion: nonNullable.isUnion() && !nonNullable.isBoolean() };
  });
}

const call = (name: string, args: string[]) => `${name}(${args.join(', ')})`;

/** Complexity (1 + decision points), like the analysis engine counts it. */
function decisions(body: Node, ts: typeof TsMorph.ts): Node[] {
  const out: Node[] = [];
  body.forEachDescendant((n, walk) => {
    const k = n.getKind();
    if (k === ts.SyntaxKind.FunctionDeclaration || k === ts.SyntaxKind.ArrowFunction || k === ts.SyntaxKind.FunctionExpression) { walk.skip(); return; }
    if (k === ts.SyntaxKind.IfStatement || k === ts.SyntaxKind.ConditionalExpression || k === ts.SyntaxKind.CaseClause
      || k === ts.SyntaxKind.ForStatement || k === ts.SyntaxKind.ForOfStatement || k === ts.SyntaxKind.ForInStatement || k === ts.SyntaxKind.WhileStatement || k === ts.SyntaxKind.DoStatement) out.push(n);
    else if (k === ts.SyntaxKind.BinaryExpression) {
      const op = (n as TsMorph.BinaryExpression).getOperatorToken().getKind();
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) out.push(n);
    }
  });
  return out;
}

const short = (text: string, max = 60) => { const one = text.replace(/\s+/g, ' ').trim(); return one.length > max ? `${one.slice(0, max - 1)}…` : one; };

/** High complexity: one case per branch from this many decision points on. */
export const BRANCHY = 4;

export function casesOf(name: string, fn: TsMorph.FunctionLikeDeclaration | TsMorph.ArrowFunction | TsMorph.FunctionExpression, tsMorph: typeof TsMorph): TestCase[] {
  const ts = tsMorph.ts;
  const params = paramsOf(fn);
  const cases: TestCase[] = [];
  const seen = new Set<string>();
  const add = (c: TestCase) => { if (!seen.has(c.title)) { seen.add(c.title); cases.push(c); } };
  const first = params.map((p) => p.values[0] ?? p.name);
  const required = params.filter((p) => !p.optional).length;
  // One parameter varied at a time, the others at their first value.
  params.forEach((p, i) => {
    for (const v of p.values) {
      const args = first.slice(0, Math.max(required, i + 1));
      args[i] = v;
      add({ title: `${call(name, args)}${p.isUnion ? ` (${p.name}: each member)` : ''}`, kind: p.isUnion ? 'union-member' : 'boundary' });
    }
  });
  if (!params.length) add({ title: `${call(name, [])}`, kind: 'boundary' });
  if (params.some((p) => p.optional)) add({ title: `${call(name, first.slice(0, required))} with ${params.filter((p) => p.optional).map((p) => p.name).join(', ')} omitted`, kind: 'optional-omitted' });
  const body = (fn as TsMorph.FunctionDeclaration).getBody?.() as TsMorph.Node | undefined;
  if (!body) return cases;
  for (const t of body.getDescendantsOfKind(ts.SyntaxKind.ThrowStatement)) {
    const owner = t.getFirstAncestor((a: Node) => tsMorph.Node.isFunctionLikeDeclaration(a) || tsMorph.Node.isArrowFunction(a) || tsMorph.Node.isFunctionExpression(a));
    if (owner !== fn) continue;
    const expr = t.getExpression();
    const ctor = expr && tsMorph.Node.isNewExpression(expr) ? expr.getExpression().getText() : 'an error';
    const guard = t.getFirstAncestorByKind(ts.SyntaxKind.IfStatement);
    add({ title: `throws ${ctor}${guard && guard.getFirstAncestor((a: Node) => a === fn) && guard.getFirstAncestor((a: Node) => tsMorph.Node.isFunctionLikeDeclaration(a) || tsMorph.Node.isArrowFunction(a) || tsMorph.Node.isFunctionExpression(a)) === fn ? ` when ${short(guard.getExpression().getText())}` : ''}`, kind: 'throws' });
  }
  const points = decisions(body, ts);
  if (points.length + 1 >= BRANCHY) {
    for (const n of points) {
      const cond = tsMorph.Node.isIfStatement(n) || tsMorph.Node.isWhileStatement(n) || tsMorph.Node.isDoStatement(n) || tsMorph.Node.isConditionalExpression(n) ? (tsMorph.Node.isConditionalExpression(n) ? n.getCondition() : n.getExpression()).getText()
        : tsMorph.Node.isCaseClause(n) ? `case ${n.getExpression().getText()}` : n.getText();
      add({ title: `branch at line ${n.getStartLineNumber()}: ${short(cond)}`, kind: 'branch' });
    }
  }
  return cases;
}
