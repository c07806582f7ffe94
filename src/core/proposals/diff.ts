// Structured diffs (jsdiff) with stable hunk ids, and exact application of a chosen subset of
// hunks — what partial approval needs. Texts here are normalized (LF, no BOM).
import { diffArrays, structuredPatch } from 'diff';
import type { Hunk } from './model';
import { sha256 } from '../util/hash';
import { RustyError } from '../util/errors';

const NO_NEWLINE = '\\';
export const DIFF_CONTEXT = 3;

/** Hunk id: short hash of path + hunk body, so it survives recomputation and reads well in a CLI. */
function hunkId(path: string, lines: string[], taken: Set<string>): string {
  const base = sha256(`${path}\0${lines.join('\n')}`).slice(0, 8);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * Myers' diff costs O((N+M)·D) for D changed lines, so a full rewrite of a large file is
 * quadratic. Past this many changed lines (or this much time) the diff is simplified.
 */
export const MAX_EDIT_LENGTH = 1000;
export const DIFF_TIMEOUT_MS = 1000;

/** Why a file's diff was simplified (the exact diff would have been too slow). */
export interface DiffSimplified { reason: 'edit-limit' | 'timeout'; removed: number; added: number }

export interface FileDiff { hunks: Hunk[]; simplified?: DiffSimplified }

export interface DiffLimits { maxEditLength?: number; timeoutMs?: number }

export function computeHunks(path: string, oldText: string, newText: string, taken = new Set<string>()): Hunk[] {
  return diffFile(path, oldText, newText, taken).hunks;
}

/**
 * The file's hunks: jsdiff's exact (minimal) diff within the limits, otherwise a linear-time
 * diff anchored on the lines that occur once in each text (patience diff without recursion).
 */
export function diffFile(path: string, oldText: string, newText: string, taken = new Set<string>(), limits: DiffLimits = {}): FileDiff {
  if (oldText === newText) return { hunks: [] };
  const started = Date.now();
  const timeoutMs = limits.timeoutMs ?? DIFF_TIMEOUT_MS;
  const patch = structuredPatch(path, path, oldText, newText, undefined, undefined, {
    context: DIFF_CONTEXT, maxEditLength: limits.maxEditLength ?? MAX_EDIT_LENGTH, timeout: timeoutMs,
  });
  if (patch) return { hunks: patch.hunks.map((h) => toHunk(path, h, taken)) };
  const reason = Date.now() - started >= timeoutMs ? 'timeout' : 'edit-limit';
  const hunks = hunksOf(anchoredOps(splitKeepingEol(oldText), splitKeepingEol(newText))).map((h) => toHunk(path, h, taken));
  return { hunks, simplified: { reason, ...countChanges(hunks) } };
}

/** One changed region of a line diff: a[aStart, aStart + aLength) became b[bStart, bStart + bLength). */
export interface LineChange { aStart: number; aLength: number; bStart: number; bLength: number }

/**
 * The changed regions between two line arrays, in order (what 3-way merges and line-ending
 * matching need): patience diff — the lines unique in both texts anchor the match (O(n log n)),
 * and jsdiff's minimal diff runs only between two anchors, within the edit limit and one shared
 * time limit; a gap past them becomes one replaced block. Time and memory stay bounded for any
 * file size, and scattered edits of large files are still diffed line by line.
 */
export function diffLines(a: readonly string[], b: readonly string[], limits: DiffLimits = {}): { changes: LineChange[]; simplified?: DiffSimplified['reason'] } {
  const changes: LineChange[] = [];
  const change = (aStart: number, aLength: number, bStart: number, bLength: number) => {
    if (!aLength && !bLength) return;
    const last = changes[changes.length - 1];
    if (last && last.aStart + last.aLength === aStart && last.bStart + last.bLength === bStart) {
      last.aLength += aLength;
      last.bLength += bLength;
    } else changes.push({ aStart, aLength, bStart, bLength });
  };
  const maxEditLength = limits.maxEditLength ?? MAX_EDIT_LENGTH;
  const anchors = uniqueAnchors(a, b);
  anchors.push([a.length, b.length]);
  const deadline = Date.now() + (limits.timeoutMs ?? DIFF_TIMEOUT_MS);
  let simplified: DiffSimplified['reason'] | undefined;
  let i = 0;
  let j = 0;
  for (const [ia, ib] of anchors) {
    let pre = 0;
    while (i + pre < ia && j + pre < ib && a[i + pre] === b[j + pre]) pre++;
    let suf = 0;
    while (suf < ia - i - pre && suf < ib - j - pre && a[ia - 1 - suf] === b[ib - 1 - suf]) suf++;
    const a0 = i + pre;
    const b0 = j + pre;
    const aLen = ia - suf - a0;
    const bLen = ib - suf - b0;
    if (aLen && bLen) {
      const timeout = deadline - Date.now();
      const parts = timeout > 0 ? diffArrays(a.slice(a0, a0 + aLen), b.slice(b0, b0 + bLen), { maxEditLength, timeout }) : undefined;
      if (parts) {
        let x = a0;
        let y = b0;
        for (const p of parts) {
          const n = p.count ?? p.value.length;
          if (p.added || p.removed) change(x, p.added ? 0 : n, y, p.removed ? 0 : n);
          if (!p.added) x += n;
          if (!p.removed) y += n;
        }
      } else {
        simplified ??= Date.now() >= deadline ? 'timeout' : 'edit-limit';
        change(a0, aLen, b0, bLen);
      }
    } else change(a0, aLen, b0, bLen);
    i = ia + 1;
    j = ib + 1;
  }
  return simplified ? { changes, simplified } : { changes };
}

/** Index pairs of the lines that occur once in each text, in their longest order-preserving run (patience sorting). */
function uniqueAnchors(a: readonly string[], b: readonly string[]): [number, number][] {
  // line → its index, or -1 once seen twice (numbers, not objects: large files stay cheap to collect)
  const once = (lines: readonly string[]) => {
    const at = new Map<string, number>();
    lines.forEach((l, i) => at.set(l, at.has(l) ? -1 : i));
    return at;
  };
  const inA = once(a);
  const inB = once(b);
  const pairs: [number, number][] = [];
  for (const [l, ia] of inA) {
    const ib = inB.get(l);
    if (ia >= 0 && ib !== undefined && ib >= 0) pairs.push([ia, ib]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  // Longest increasing subsequence of the b indexes.
  const tails: number[] = [];
  const prev = new Array<number>(pairs.length).fill(-1);
  pairs.forEach(([, ib], k) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![1] < ib) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1]!;
    tails[lo] = k;
  });
  const anchors: [number, number][] = [];
  for (let k = tails.length ? tails[tails.length - 1]! : -1; k >= 0; k = prev[k]!) anchors.push(pairs[k]!);
  return anchors.reverse();
}

type RawHunk = Omit<Hunk, 'id'>;

function toHunk(path: string, h: RawHunk, taken: Set<string>): Hunk {
  return { id: hunkId(path, h.lines, taken), oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: h.lines };
}

/** One line of an edit script, with its terminator. */
interface Op { op: ' ' | '-' | '+'; line: string }

/**
 * Edit script matching the lines unique in both texts, in the longest order-preserving run
 * (O(n log n)); between two matches, equal leading and trailing lines are kept and the rest is
 * replaced. Not minimal, but correct, and linear enough for any file size.
 */
function anchoredOps(a: readonly string[], b: readonly string[]): Op[] {
  const anchors = uniqueAnchors(a, b);
  anchors.push([a.length, b.length]);

  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  for (const [ia, ib] of anchors) {
    let pre = 0;
    while (i + pre < ia && j + pre < ib && a[i + pre] === b[j + pre]) pre++;
    let suf = 0;
    while (suf < ia - i - pre && suf < ib - j - pre && a[ia - 1 - suf] === b[ib - 1 - suf]) suf++;
    for (let k = 0; k < pre; k++) ops.push({ op: ' ', line: a[i + k]! });
    for (let k = i + pre; k < ia - suf; k++) ops.push({ op: '-', line: a[k]! });
    for (let k = j + pre; k < ib - suf; k++) ops.push({ op: '+', line: b[k]! });
    for (let k = ia - suf; k < ia; k++) ops.push({ op: ' ', line: a[k]! });
    if (ia < a.length) ops.push({ op: ' ', line: a[ia]! });
    i = ia + 1;
    j = ib + 1;
  }
  return ops;
}

/** jsdiff-style hunks of an edit script: changes closer than 2 × context share a hunk. */
function hunksOf(ops: Op[]): RawHunk[] {
  const hunks: RawHunk[] = [];
  let k = 0;
  let oldNo = 0; // old lines before ops[k]
  let newNo = 0;
  while (k < ops.length) {
    if (ops[k]!.op === ' ') {
      k++;
      oldNo++;
      newNo++;
      continue;
    }
    // A change at k: take up to DIFF_CONTEXT lines before it, then extend while changes keep coming.
    const lead = Math.min(DIFF_CONTEXT, leadingContext(ops, k));
    const start = k - lead;
    let end = k; // exclusive end of the last change seen
    let e = k;
    while (e < ops.length) {
      if (ops[e]!.op !== ' ') {
        end = ++e;
        continue;
      }
      let run = 0;
      while (e + run < ops.length && ops[e + run]!.op === ' ') run++;
      if (e + run < ops.length && run <= 2 * DIFF_CONTEXT) e += run;
      else break;
    }
    const stop = Math.min(ops.length, end + DIFF_CONTEXT);
    const lines: string[] = [];
    let oldLines = 0;
    let newLines = 0;
    for (let x = start; x < stop; x++) {
      const { op, line } = ops[x]!;
      if (op !== '+') oldLines++;
      if (op !== '-') newLines++;
      if (line.endsWith('\n')) lines.push(op + line.slice(0, -1));
      else lines.push(op + line, `${NO_NEWLINE} No newline at end of file`);
    }
    const oldFirst = oldNo - lead;
    const newFirst = newNo - lead;
    // jsdiff numbers lines from 1; a side with no lines names the line it follows.
    hunks.push({ oldStart: oldLines ? oldFirst + 1 : oldFirst, oldLines, newStart: newLines ? newFirst + 1 : newFirst, newLines, lines });
    for (; k < stop; k++) {
      if (ops[k]!.op !== '+') oldNo++;
      if (ops[k]!.op !== '-') newNo++;
    }
  }
  return hunks;
}

function leadingContext(ops: Op[], k: number): number {
  let n = 0;
  while (n < DIFF_CONTEXT && k - n - 1 >= 0 && ops[k - n - 1]!.op === ' ') n++;
  return n;
}

export function countChanges(hunks: Hunk[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const h of hunks) for (const l of h.lines) {
    if (l.startsWith('+')) added++;
    else if (l.startsWith('-')) removed++;
  }
  return { added, removed };
}

/** Lines with their terminators, so "no newline at end of file" survives a round trip. */
function splitKeepingEol(text: string): string[] {
  const out = text.split('\n').map((l) => l + '\n');
  const last = out.pop()!;
  if (last !== '\n') out.push(last.slice(0, -1));
  return out;
}

/** A hunk's lines with terminators restored from jsdiff's "\ No newline" markers. */
function withTerminators(lines: string[]): { op: string; text: string }[] {
  const out: { op: string; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith(NO_NEWLINE)) continue;
    const last = lines[i + 1]?.startsWith(NO_NEWLINE) ?? false;
    out.push({ op: line[0]!, text: line.slice(1) + (last ? '' : '\n') });
  }
  return out;
}

/**
 * Apply exactly these hunks (all computed against `oldText`) and nothing else. Every context and
 * removed line must match, so a hunk can never land in the wrong place.
 */
export function applyHunks(oldText: string, hunks: Hunk[], path = 'file'): string {
  const old = splitKeepingEol(oldText);
  const out: string[] = [];
  let cursor = 0;
  for (const hunk of [...hunks].sort((a, b) => a.oldStart - b.oldStart)) {
    // jsdiff uses oldStart 0 for an insertion into an empty file, line numbers are 1-based otherwise.
    const start = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    if (start < cursor) throw new RustyError('bad-state', `Hunks ${hunk.id} of ${path} overlap.`);
    for (let i = cursor; i < start; i++) out.push(old[i]!);
    cursor = start;
    for (const { op, text } of withTerminators(hunk.lines)) {
      if (op === '+') {
        out.push(text);
        continue;
      }
      if (old[cursor] !== text) throw new RustyError('stale', `Hunk ${hunk.id} no longer matches ${path} at line ${cursor + 1}.`);
      if (op === ' ') out.push(text);
      cursor++;
    }
  }
  for (let i = cursor; i < old.length; i++) out.push(old[i]!);
  return out.join('');
}

/** Unified diff text with each hunk's id next to its header (for `rusty show --diff`). */
export function renderUnified(path: string, hunks: Hunk[], to = path): string {
  const side = (prefix: string, p: string) => (p === '/dev/null' ? p : `${prefix}/${p}`);
  const out = [`--- ${side('a', path)}`, `+++ ${side('b', to)}`];
  for (const h of hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@ hunk ${h.id}`);
    for (const l of h.lines) out.push(l); // not push(...lines): a 100k-line hunk would overflow the stack
  }
  return out.join('\n');
}
