// Warnings computed when a proposal is made: characters that make code read differently from
// what runs (bidirectional controls), hide in plain sight (invisible characters) or drive the
// terminal (control characters) — in added lines, paths, the title and the rationale — and
// diffs that were simplified because the exact diff would have been too slow.
import type { ChangeSet } from './changeSet';
import type { ProposalFile, ProposalWarning } from './model';
import type { DiffSimplified } from './diff';
import { codePointLabel, splitHidden, type HiddenCharKind } from '../../shared/hiddenChars';

const MAX_LINES = 20;
const MAX_CODEPOINTS = 10;

const WHAT: Record<HiddenCharKind, string> = {
  bidi: 'bidirectional control characters',
  invisible: 'invisible characters',
  control: 'control characters',
};

interface Found { lines: number[]; count: number; codepoints: Set<string> }

/** Hidden characters of one text by kind; tabs are fine everywhere, newlines where `multiline`. */
function scan(text: string, multiline: boolean): Map<HiddenCharKind, Set<string>> {
  const out = new Map<HiddenCharKind, Set<string>>();
  for (const p of splitHidden(text)) {
    if (typeof p === 'string' || (multiline && p.ch === '\n')) continue;
    const set = out.get(p.kind) ?? new Set<string>();
    set.add(codePointLabel(p.ch));
    out.set(p.kind, set);
  }
  return out;
}

function codepoints(set: Set<string>): string[] {
  return [...set].sort().slice(0, MAX_CODEPOINTS);
}

function fieldWarnings(text: string | undefined, where: 'path' | 'title' | 'rationale', path?: string): ProposalWarning[] {
  if (!text) return [];
  return [...scan(text, where === 'rationale')].map(([kind, set]) => ({
    kind, ...(path ? { path } : {}), in: where, codepoints: codepoints(set),
    message: `${where === 'path' ? `The path ${JSON.stringify(path)}` : `The ${where}`} contains ${WHAT[kind]}: ${codepoints(set).join(', ')}.`,
  }));
}

/** Hidden characters in the added lines of a file's hunks, by kind, with new-text line numbers. */
function contentWarnings(f: ProposalFile): ProposalWarning[] {
  const found = new Map<HiddenCharKind, Found>();
  for (const h of f.hunks) {
    let newNo = h.newLines === 0 ? h.newStart : h.newStart - 1;
    for (const line of h.lines) {
      if (line.startsWith('+')) {
        newNo++;
        for (const [kind, set] of scan(line.slice(1), false)) {
          const entry = found.get(kind) ?? { lines: [], count: 0, codepoints: new Set<string>() };
          entry.count++;
          if (entry.lines.length < MAX_LINES) entry.lines.push(newNo);
          for (const c of set) entry.codepoints.add(c);
          found.set(kind, entry);
        }
      } else if (line.startsWith(' ')) newNo++;
    }
  }
  const path = f.to ?? f.path;
  return [...found].map(([kind, e]) => ({
    kind, path, in: 'content', lines: e.lines, count: e.count, codepoints: codepoints(e.codepoints),
    message: `${path}: ${e.count} added line${e.count === 1 ? ' contains' : 's contain'} ${WHAT[kind]} (${codepoints(e.codepoints).join(', ')}), line${e.count === 1 ? '' : 's'} ${e.lines.join(', ')}${e.count > e.lines.length ? ', …' : ''}.${kind === 'bidi' ? ' The code may run differently from how it reads.' : ''}`,
  }));
}

function simplifiedWarning(f: ProposalFile, s: DiffSimplified): ProposalWarning {
  const path = f.to ?? f.path;
  const why = s.reason === 'timeout' ? 'the exact diff took too long' : 'the changed lines exceeded the exact diff\'s edit limit';
  return {
    kind: 'diff-simplified', path,
    message: `${path}: diff simplified: ${why} (−${s.removed} +${s.added}); shown as ${f.hunks.length} hunk${f.hunks.length === 1 ? '' : 's'} matched on unique lines, which may be larger than needed.`,
  };
}

export function proposalWarnings(cs: ChangeSet, files: ProposalFile[], simplified: ReadonlyMap<ProposalFile, DiffSimplified>): ProposalWarning[] {
  const out = [...fieldWarnings(cs.title, 'title'), ...fieldWarnings(cs.rationale, 'rationale')];
  for (const f of files) {
    out.push(...fieldWarnings(f.path, 'path', f.path));
    if (f.to) out.push(...fieldWarnings(f.to, 'path', f.to));
    out.push(...contentWarnings(f));
    const s = simplified.get(f);
    if (s) out.push(simplifiedWarning(f, s));
  }
  return out;
}
