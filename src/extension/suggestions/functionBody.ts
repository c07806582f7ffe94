// Where a hot spot's body is, for "Extract function…" on a hot-spot lens with no selection: the
// analysis gives the function's first line and length; this finds that function in the text and
// returns the span from its first to its last body statement (or its expression body). It takes
// TypeScript as a parameter (from the engines bundle) and imports only its types, so it adds
// nothing heavy to the activation bundle.
import type { ts as TsNamespace } from 'ts-morph';
import type { HotSpotRef } from './findings';

type Ts = typeof TsNamespace;

/** 1-based, as the refactorings take them. */
export interface TextSpan { start: { line: number; column: number }; end: { line: number; column: number } }

export type BodyResult = { span: TextSpan; functionLines: { first: number; last: number } } | { problem: string };

export function functionBodySpan(ts: Ts, fileName: string, text: string, hot: HotSpotRef): BodyResult {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(ts, fileName));
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const candidates: TsNamespace.SignatureDeclaration[] = [];
  const visit = (node: TsNamespace.Node): void => {
    if (isFunctionLike(ts, node) && lineOf(node.getStart(sf)) === hot.line) candidates.push(node);
    // Only descend into nodes that can contain the line.
    if (lineOf(node.getStart(sf)) <= hot.line && lineOf(node.getEnd()) >= hot.line) ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);
  const span = (n: TsNamespace.Node) => lineOf(n.getEnd()) - lineOf(n.getStart(sf)) + 1;
  // The one whose length matches the analysis (`const f = () => …` puts two candidates on one line).
  const fn = candidates.sort((a, b) => Math.abs(span(a) - hot.lines) - Math.abs(span(b) - hot.lines) || span(b) - span(a))[0];
  if (!fn) return { problem: `${hot.name} is no longer at line ${hot.line} of ${fileName}; run "Rusty: Analyze Workspace" again.` };
  const body = (fn as { body?: TsNamespace.Node }).body;
  if (!body) return { problem: `${hot.name} has no body to extract.` };
  let from: TsNamespace.Node;
  let to: TsNamespace.Node;
  if (ts.isBlock(body)) {
    const first = body.statements[0];
    const last = body.statements[body.statements.length - 1];
    if (!first || !last) return { problem: `${hot.name} has an empty body: there is nothing to extract.` };
    from = first;
    to = last;
  } else {
    from = body;
    to = body;
  }
  const at = (pos: number) => {
    const lc = sf.getLineAndCharacterOfPosition(pos);
    return { line: lc.line + 1, column: lc.character + 1 };
  };
  return { span: { start: at(from.getStart(sf)), end: at(to.getEnd()) }, functionLines: { first: lineOf(fn.getStart(sf)), last: lineOf(fn.getEnd()) } };
}

function isFunctionLike(ts: Ts, node: TsNamespace.Node): node is TsNamespace.SignatureDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node)
    || ts.isSetAccessorDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node);
}

function scriptKind(ts: Ts, fileName: string): TsNamespace.ScriptKind {
  const ext = fileName.slice(fileName.lastIndexOf('.')).toLowerCase();
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
