// Parsing of the `rusty refactor …` position arguments: FILE:LINE:COL and LINE:COL, 1-based.
// FILE may itself contain ':' (Windows drive letters), so the numbers are taken from the right.
import { RustyError } from '../core/util/errors';
import type { Position } from '../core/refactorings/api';

function positive(n: string, what: string, raw: string): number {
  const v = Number(n);
  if (!Number.isInteger(v) || v < 1) throw new RustyError('usage', `${what} in ${raw} must be a whole number ≥ 1 (lines and columns count from 1).`);
  return v;
}

export function parseFilePosition(raw: string): { file: string; at: Position } {
  const m = /^(.+):(\d+):(\d+)$/.exec(raw);
  if (!m) throw new RustyError('usage', `Expected FILE:LINE:COL (1-based), got ${raw}.`);
  return { file: m[1]!, at: { line: positive(m[2]!, 'LINE', raw), column: positive(m[3]!, 'COL', raw) } };
}

export function parsePosition(raw: string): Position {
  const m = /^(\d+):(\d+)$/.exec(raw);
  if (!m) throw new RustyError('usage', `Expected LINE:COL (1-based), got ${raw}.`);
  return { line: positive(m[1]!, 'LINE', raw), column: positive(m[2]!, 'COL', raw) };
}

export function parseDiagnosticCode(raw: string): number {
  const m = /^(?:TS)?(\d+)$/i.exec(raw.trim());
  if (!m) throw new RustyError('usage', `Expected a diagnostic code like 6133 or TS6133, got ${raw}.`);
  return Number(m[1]);
}
