// Structured diffs (jsdiff) with stable hunk ids, and exact application of a chosen subset of
// hunks — what partial approval needs. Texts here are normalized (LF, no BOM).
import { structuredPatch } from 'diff';
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

export function computeHunks(path: string, oldText: string, newText: string, taken = new Set<string>()): Hunk[] {
  if (oldText === newText) return [];
  const patch = structuredPatch(path, path, oldText, newText, undefined, undefined, { context: DIFF_CONTEXT });
  if (!patch) throw new RustyError('io', `Could not compute a diff for ${path}.`);
  return patch.hunks.map((h) => ({
    id: hunkId(path, h.lines, taken),
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines,
  }));
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
    out.push(...old.slice(cursor, start));
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
  out.push(...old.slice(cursor));
  return out.join('');
}

/** Unified diff text with each hunk's id next to its header (for `rusty show --diff`). */
export function renderUnified(path: string, hunks: Hunk[], to = path): string {
  const side = (prefix: string, p: string) => (p === '/dev/null' ? p : `${prefix}/${p}`);
  const out = [`--- ${side('a', path)}`, `+++ ${side('b', to)}`];
  for (const h of hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@ hunk ${h.id}`);
    out.push(...h.lines);
  }
  return out.join('\n');
}
