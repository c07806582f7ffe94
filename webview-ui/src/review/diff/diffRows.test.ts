import { describe, expect, it } from 'vitest';
import { FILE_A, FILE_B, FILE_NEW, TEXTS } from '../../test/fixtures';
import { buildDiffRows, gapKeyOf, navigationStops, splitLines, type DiffRow } from './diffRows';

const none = new Set<string>();
const base = { texts: TEXTS, layout: 'inline' as const, expandedGaps: none, collapsedFiles: none };

function summarize(rows: DiffRow[]): string[] {
  return rows.map((r) => {
    switch (r.type) {
      case 'line':
        return `${r.line.kind}:${r.line.oldNo ?? ''}/${r.line.newNo ?? ''}:${r.line.text}`;
      case 'pair':
        return `pair:${r.left?.text ?? '·'}|${r.right?.text ?? '·'}`;
      case 'gap':
        return `gap:${r.count}${r.expandable ? '' : '(fixed)'}`;
      case 'hunk':
        return `hunk:${r.hunkIndex}`;
      default:
        return r.type;
    }
  });
}

describe('buildDiffRows', () => {
  it('numbers lines and folds unchanged regions between and after hunks', () => {
    const rows = summarize(buildDiffRows({ ...base, files: [FILE_A] }));
    expect(rows.slice(0, 9)).toEqual(['file', 'hunk:0', 'context:1/1:line 1', 'context:2/2:line 2', 'del:3/:line 3', 'add:/3:line three', 'context:4/4:line 4', 'context:5/5:line 5', 'context:6/6:line 6']);
    expect(rows[9]).toBe('gap:15');
    expect(rows.at(-1)).toBe('gap:2');
  });

  it('expands a folded region from the before text', () => {
    const rows = buildDiffRows({ ...base, files: [FILE_A], expandedGaps: new Set([gapKeyOf('src/a.ts', 1)]) });
    const lines = summarize(rows);
    const gap = lines.indexOf('gap:15');
    expect(lines.slice(gap + 1, gap + 3)).toEqual(['context:7/7:line 7', 'context:8/8:line 8']);
    expect(lines[gap + 16]).toBe('hunk:1');
  });

  it('cannot expand without the file texts, and does not guess the tail', () => {
    const rows = summarize(buildDiffRows({ ...base, texts: {}, files: [FILE_A] }));
    expect(rows).toContain('gap:15(fixed)');
    expect(rows.at(-1)).toBe('context:28/28:line 28');
  });

  it('pairs removed and added lines side by side', () => {
    const rows = summarize(buildDiffRows({ ...base, layout: 'split', files: [FILE_A, FILE_B] }));
    expect(rows).toContain('pair:line 3|line three');
    expect(rows).toContain('pair:line 1|line 1');
    expect(rows).toContain('pair:·|export const d = 3;');
  });

  it('shows a created file from line 1 and hides collapsed files', () => {
    expect(summarize(buildDiffRows({ ...base, files: [FILE_NEW] }))).toEqual(['file', 'hunk:0', 'add:/1:export const created = true;']);
    expect(summarize(buildDiffRows({ ...base, files: [FILE_NEW], collapsedFiles: new Set(['src/new.ts']) }))).toEqual(['file']);
  });

  it('turns "no newline" markers into notes and notes binary files', () => {
    const file = { ...FILE_B, hunks: [{ ...FILE_B.hunks[0]!, lines: [...FILE_B.hunks[0]!.lines, '\\ No newline at end of file'] }] };
    expect(summarize(buildDiffRows({ ...base, files: [file] })).at(-1)).toBe('note');
    expect(summarize(buildDiffRows({ ...base, files: [{ ...FILE_B, binary: true, hunks: [] }] }))).toEqual(['file', 'note']);
  });

  it('stops j/k on file and hunk headers', () => {
    const rows = buildDiffRows({ ...base, files: [FILE_A, FILE_B] });
    expect(navigationStops(rows).map((i) => rows[i]!.type)).toEqual(['file', 'hunk', 'hunk', 'file', 'hunk']);
  });

  it('splits LF text into lines', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
  });
});
