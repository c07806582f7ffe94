// What "Extract function…" can offer inside one function before anyone names anything: runs of
// whole statements (of the body and of the blocks nested in it) that TypeScript's "Extract
// Symbol" accepts, with the scopes it accepts each into, largest first. A hot spot's whole body is
// often refused ("Cannot extract range containing conditional return statement"); the runs around
// such a return usually are not. Structured data only: the CLI and the extension word it.
import type { ts } from 'ts-morph';
import { RustyError } from '../../util/errors';
import { type Position, type RefactoringContext, signalOf } from '../api';
import { offsetAt, programFile, snippet, throwIfCancelled, workspaceRel } from '../rename/support';
import { extractScopes, type ExtractScopeOption } from './index';

export interface ExtractCandidate {
  /** 1-based, as extract-function takes them. */
  start: Position;
  end: Position;
  /** Lines the range spans, and its statements. */
  lines: number;
  statements: number;
  /** Scopes TypeScript accepts the range into, innermost first (`index` is extract-function's `scope`). */
  scopes: ExtractScopeOption[];
  /** The range's first line, shortened. */
  preview: string;
}

export interface ExtractCandidatesParams {
  file: string;
  /** The function: its first line (1-based, as the analysis reports it) and, to tell apart functions on one line, its length. */
  line: number;
  lines?: number;
  /** Only ranges inside this one (a selection), when given. */
  within?: { start: Position; end: Position };
  /** How many candidates at most (default 8). */
  max?: number;
}

export interface ExtractCandidatesResult {
  /** The function's lines. */
  functionLines: { first: number; last: number };
  candidates: ExtractCandidate[];
  /** Why TypeScript refused the largest range it was asked about (when nothing was accepted). */
  reason?: string;
}

/** Ranges asked about at most: each is one getApplicableRefactors call. */
const MAX_PROBES = 300;
const MIN_LINES = 2;

export function extractCandidates(ctx: RefactoringContext, params: ExtractCandidatesParams): ExtractCandidatesResult {
  const wp = ctx.project;
  const t = wp.ts;
  const rel = workspaceRel(wp, params.file);
  const { sf, ls } = programFile(wp, rel);
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const fn = findFunction(t, sf, params.line, params.lines);
  if (!fn?.body) throw new RustyError('not-found', `There is no function with a body at line ${params.line} of ${rel}; run the analysis again if the file changed.`);
  const within = params.within ? { pos: offsetAt(sf, rel, params.within.start, 'start'), end: offsetAt(sf, rel, params.within.end, 'end') } : undefined;

  // Every run of consecutive statements of every statement list in the body (nested functions
  // are theirs, not this one's), as [start, end] offsets.
  const runs: { pos: number; end: number; statements: number; lines: number }[] = [];
  const addList = (list: readonly ts.Statement[]) => {
    for (let i = 0; i < list.length; i++) {
      for (let j = i; j < list.length; j++) {
        const pos = list[i]!.getStart(sf);
        const end = list[j]!.getEnd();
        if (within && (pos < within.pos || end > within.end)) continue;
        const lines = lineOf(end) - lineOf(pos) + 1;
        if (lines >= MIN_LINES || list.length === 1) runs.push({ pos, end, statements: j - i + 1, lines });
      }
    }
  };
  const visit = (node: ts.Node): void => {
    if (node !== fn.body && isFunctionLike(t, node)) return;
    if (t.isBlock(node) || t.isCaseClause(node) || t.isDefaultClause(node)) addList(node.statements);
    t.forEachChild(node, visit);
  };
  if (t.isBlock(fn.body)) visit(fn.body);
  else {
    const pos = fn.body.getStart(sf);
    if (!within || (pos >= within.pos && fn.body.getEnd() <= within.end)) runs.push({ pos, end: fn.body.getEnd(), statements: 1, lines: lineOf(fn.body.getEnd()) - lineOf(pos) + 1 });
  }
  runs.sort((a, b) => b.lines - a.lines || b.statements - a.statements || a.pos - b.pos);

  const max = params.max ?? 8;
  const accepted: ExtractCandidate[] = [];
  const spans: { pos: number; end: number }[] = [];
  let reason: string | undefined;
  let probes = 0;
  for (const run of runs) {
    if (accepted.length >= max || probes >= MAX_PROBES) break;
    // A part of a range already offered is not another choice.
    if (spans.some((s) => run.pos >= s.pos && run.end <= s.end)) continue;
    throwIfCancelled(signalOf(ctx), 'Extract function');
    probes++;
    const { offered, reason: why } = extractScopes(ls, sf, { pos: run.pos, end: run.end });
    reason ??= why;
    if (!offered.length) continue;
    spans.push(run);
    const start = sf.getLineAndCharacterOfPosition(run.pos);
    const end = sf.getLineAndCharacterOfPosition(run.end);
    accepted.push({
      start: { line: start.line + 1, column: start.character + 1 },
      end: { line: end.line + 1, column: end.character + 1 },
      lines: run.lines, statements: run.statements, scopes: offered,
      preview: snippet(sf.text.slice(run.pos, run.end).split('\n')[0] ?? '', 70),
    });
  }
  return {
    functionLines: { first: lineOf(fn.getStart(sf)), last: lineOf(fn.getEnd()) },
    candidates: accepted,
    ...(accepted.length === 0 && reason ? { reason } : {}),
  };
}

type FunctionNode = ts.FunctionLikeDeclaration;

function findFunction(t: typeof ts, sf: ts.SourceFile, line: number, lines: number | undefined): FunctionNode | undefined {
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const found: FunctionNode[] = [];
  const visit = (node: ts.Node): void => {
    if (lineOf(node.getStart(sf)) > line || lineOf(node.getEnd()) < line) return;
    if (isFunctionLike(t, node) && lineOf(node.getStart(sf)) === line) found.push(node);
    t.forEachChild(node, visit);
  };
  t.forEachChild(sf, visit);
  const span = (n: ts.Node) => lineOf(n.getEnd()) - lineOf(n.getStart(sf)) + 1;
  return found.sort((a, b) => (lines === undefined ? 0 : Math.abs(span(a) - lines) - Math.abs(span(b) - lines)) || span(b) - span(a))[0];
}

function isFunctionLike(t: typeof ts, node: ts.Node): node is FunctionNode {
  return t.isFunctionDeclaration(node) || t.isMethodDeclaration(node) || t.isConstructorDeclaration(node) || t.isGetAccessorDeclaration(node)
    || t.isSetAccessorDeclaration(node) || t.isFunctionExpression(node) || t.isArrowFunction(node);
}

/** The scopes TypeScript accepts one given range into (a selection), innermost first; `reason` when none. */
export function extractRangeScopes(ctx: RefactoringContext, params: { file: string; start: Position; end: Position }): { offered: ExtractScopeOption[]; reason?: string } {
  const wp = ctx.project;
  const rel = workspaceRel(wp, params.file);
  const { sf, ls } = programFile(wp, rel);
  const pos = offsetAt(sf, rel, params.start, 'start');
  const end = offsetAt(sf, rel, params.end, 'end');
  if (end <= pos) throw new RustyError('usage', `The range ${rel}:${params.start.line}:${params.start.column}–${params.end.line}:${params.end.column} is empty: the end must come after the start.`);
  throwIfCancelled(signalOf(ctx), 'Extract function');
  return extractScopes(ls, sf, { pos, end });
}
