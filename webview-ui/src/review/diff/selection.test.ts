import { describe, expect, it } from 'vitest';
import type { FileView } from '../../protocol';
import { FILE_A, FILE_B, FILE_NEW } from '../../test/fixtures';
import { approveParams, fileSelectionState, hasSelection, hunkUnit, isHunkSelectable, overallSelectionState, selectNothing, summarizeSelection, toggleFile, toggleHunk } from './selection';

const files = [FILE_A, FILE_B, FILE_NEW];

describe('selection', () => {
  it('starts with everything selected and approves whole files', () => {
    const none = new Set<string>();
    expect(approveParams(files, none)).toEqual({ files: ['src/a.ts', 'src/b.ts', 'src/new.ts'], hunks: [] });
    expect(overallSelectionState(files, none)).toBe('all');
  });

  it('sends the chosen hunks of a partly selected file and leaves unselected files out', () => {
    let unselected = toggleFile(FILE_A, new Set()); // untick src/a.ts
    expect(fileSelectionState(FILE_A, unselected)).toBe('none');
    unselected = toggleHunk('aaaa0002', unselected); // tick one of its hunks back
    expect(fileSelectionState(FILE_A, unselected)).toBe('some');
    unselected = toggleFile(FILE_B, unselected); // untick src/b.ts
    expect(approveParams(files, unselected)).toEqual({ files: ['src/new.ts'], hunks: ['aaaa0002'] });
    expect(summarizeSelection(files, unselected)).toEqual({ files: 2, totalFiles: 3, hunks: 2, totalHunks: 4 });
  });

  it('ticks every hunk when a partly selected file is ticked', () => {
    const partial = toggleHunk('aaaa0001', new Set());
    expect(fileSelectionState(FILE_A, toggleFile(FILE_A, partial))).toBe('all');
  });

  it('treats created, deleted, renamed and binary files as all-or-nothing', () => {
    expect(isHunkSelectable(FILE_A)).toBe(true);
    expect(isHunkSelectable(FILE_NEW)).toBe(false);
    const renamed: FileView = { ...FILE_A, kind: 'rename', to: 'src/c.ts' };
    const binary: FileView = { ...FILE_A, binary: true };
    expect(isHunkSelectable(renamed)).toBe(false);
    expect(isHunkSelectable(binary)).toBe(false);
    // A stray hunk unit for an all-or-nothing file changes nothing.
    const unselected = new Set([hunkUnit('cccc0001')]);
    expect(fileSelectionState(FILE_NEW, unselected)).toBe('all');
    expect(approveParams([renamed], toggleFile(renamed, new Set()))).toEqual({ files: [], hunks: [] });
  });

  it('never produces a request when nothing is selected (the core would read empty as "everything")', () => {
    const nothing = selectNothing(files);
    expect(overallSelectionState(files, nothing)).toBe('none');
    expect(hasSelection(approveParams(files, nothing))).toBe(false);
  });
});
