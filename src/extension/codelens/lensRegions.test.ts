import { afterEach, describe, expect, it } from 'vitest';
import type { Hunk } from '../../core/proposals/model';
import { modify, tempWorkspace, type TempWorkspace } from '../../core/testing/tempWorkspace';
import { changedRegions, lensesFor } from './lensRegions';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const hunk = (oldStart: number, lines: string[]): Hunk => ({ id: '0123abcd', oldStart, oldLines: 0, newStart: oldStart, newLines: 0, lines });

describe('changed regions', () => {
  it('finds where each run of changes starts, on the old side, skipping context', () => {
    expect(changedRegions(hunk(5, [' a', ' b', ' c', '-d', '+D', ' e', ' f', '+g', ' h']))).toEqual([8, 11]);
    expect(changedRegions(hunk(1, ['+first', ' a']))).toEqual([1]);
    expect(changedRegions(hunk(1, ['-a', '\\ No newline at end of file', '+b']))).toEqual([1]);
    expect(changedRegions(hunk(3, [' x', ' y']))).toEqual([]);
  });
});

describe('lenses for a file', () => {
  it('puts a summary at the top and one lens above each changed region', async () => {
    const text = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    ws = tempWorkspace({ 'src/a.ts': text, 'src/b.ts': 'b\n' });
    const core = ws.core();
    const one = (await core.submit({ title: 'One', source: 't', edits: [modify(ws, 'src/a.ts', text.replace('line 2\n', 'LINE 2\n').replace('line 15\n', 'LINE 15\n'))] })).proposal;
    const two = (await core.submit({ title: 'Two', source: 't', edits: [modify(ws, 'src/a.ts', text.replace('line 10\n', ''))] })).proposal;
    const lenses = lensesFor([one, two], 'src/a.ts', 20);
    expect(lenses[0]).toMatchObject({ line: 0, title: 'Rusty: 2 proposals · Review', target: { file: true } });
    expect(lenses.slice(1).map((l) => [l.line, l.title, l.target])).toEqual([
      [1, 'Proposed change · Review', { id: one.id }],
      [14, 'Proposed change · Review', { id: one.id }],
      [9, 'Proposed change · Review', { id: two.id }],
    ]);
    expect(lensesFor([one], 'src/a.ts', 20)[0]).toMatchObject({ title: 'Rusty: 1 proposal · Review', target: { id: one.id } });
    expect(lensesFor([one, two], 'src/b.ts', 1)).toEqual([]);
    expect(lensesFor([{ ...one, status: 'applied' }], 'src/a.ts', 20)).toEqual([]);
    expect(lensesFor([{ ...one, status: 'conflicted' }], 'src/a.ts', 20)[1]!.title).toBe('Conflicting change · Review');
    // A file that shrank since: lenses stay inside it.
    expect(lensesFor([one], 'src/a.ts', 5).every((l) => l.line <= 4)).toBe(true);
  });

  it('marks deletions and plain renames at the top of the file', async () => {
    ws = tempWorkspace({ 'old.ts': 'x\n', 'mv.ts': 'y\n' });
    const core = ws.core();
    const p = (await core.submit({ title: 'Files', source: 't', edits: [
      { kind: 'delete', path: 'old.ts', baseHash: ws.hash('old.ts') },
      { kind: 'rename', path: 'mv.ts', to: 'moved.ts', baseHash: ws.hash('mv.ts') },
    ] })).proposal;
    expect(lensesFor([p], 'old.ts', 1).map((l) => l.title)).toEqual(['Rusty: 1 proposal · Review', 'Proposed deletion · Review']);
    expect(lensesFor([p], 'mv.ts', 1).map((l) => l.title)).toEqual(['Rusty: 1 proposal · Review', 'Proposed rename to moved.ts · Review']);
  });
});
