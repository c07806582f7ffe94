import { describe, expect, it } from 'vitest';
import { applyBlocks, closestLines, parseEdits } from './edits';

describe('parseEdits', () => {
  it('reads FILE blocks, several per file, new files, deletes, and keeps the prose', () => {
    const answer = [
      'TITLE: Two things', 'Explanation here.', '',
      'FILE: src/a.ts', '<<<<<<< SEARCH', 'one', '=======', 'uno', '>>>>>>> REPLACE',
      '<<<<<<< SEARCH', 'two', '=======', 'dos', '>>>>>>> REPLACE',
      '```ts', 'FILE: ./src/new.ts', '<<<<<<< SEARCH', '=======', 'export const x = 1;', '>>>>>>> REPLACE', '```',
      'DELETE: src/old.ts', 'Done.',
    ].join('\n');
    const r = parseEdits(answer);
    expect(r.problems).toEqual([]);
    expect(r.edits).toEqual([
      { kind: 'replace', path: 'src/a.ts', blocks: [{ search: 'one', replace: 'uno' }, { search: 'two', replace: 'dos' }] },
      { kind: 'replace', path: 'src/new.ts', blocks: [{ search: '', replace: 'export const x = 1;' }] },
      { kind: 'delete', path: 'src/old.ts' },
    ]);
    expect(r.prose).toBe('TITLE: Two things\nExplanation here.\n\nDone.');
  });

  it('tolerates a bare path line, markdown FILE lines and longer markers; CRLF answers', () => {
    const r = parseEdits('**File: `src/b.ts`**\n<<<<<<<< SEARCH\r\na\r\n========\r\nb\r\n>>>>>>>> REPLACE\r\n\nsrc/c.ts\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE');
    expect(r.problems).toEqual([]);
    expect(r.edits.map((e) => e.path)).toEqual(['src/b.ts', 'src/c.ts']);
  });

  it('reports unterminated blocks and blocks without a file', () => {
    expect(parseEdits('FILE: a.ts\n<<<<<<< SEARCH\nx\n').problems[0]).toContain('has no ======= line');
    expect(parseEdits('FILE: a.ts\n<<<<<<< SEARCH\nx\n=======\ny\n').problems[0]).toContain('not closed with >>>>>>> REPLACE');
    expect(parseEdits('Here:\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE').problems[0]).toContain('names no file');
  });
});

describe('applyBlocks', () => {
  const text = 'function f() {\n  return 1;\n}\n\nfunction g() {\n  return 1;\n}\n';

  it('applies blocks in order; indentation differences still match exactly one place', () => {
    const r = applyBlocks('a.ts', text, [{ search: 'function f() {\n  return 1;', replace: 'function f() {\n  return 2;' }, { search: 'function g() {\nreturn 1;', replace: 'function g() {\n  return 3;' }]);
    expect(r.problems).toEqual([]);
    expect(r.text).toBe('function f() {\n  return 2;\n}\n\nfunction g() {\n  return 3;\n}\n');
  });

  it('says where an ambiguous block matches and shows the closest lines for one that matches nothing', () => {
    const amb = applyBlocks('a.ts', text, [{ search: '  return 1;', replace: '  return 0;' }]);
    expect(amb.text).toBeUndefined();
    expect(amb.problems).toEqual([{ path: 'a.ts', kind: 'ambiguous', message: 'a.ts: The SEARCH block matches 2 places (lines 2, 6); include more surrounding lines so it matches exactly one.' }]);
    const none = applyBlocks('a.ts', text, [{ search: 'function g() {\n  return 42;', replace: 'x' }]);
    expect(none.problems[0]!.kind).toBe('no-match');
    expect(none.problems[0]!.message).toContain('a.ts: The SEARCH block matches nothing in the file. The closest lines are 4–7:\n\nfunction g() {\n  return 1;\n}');
    expect(applyBlocks('a.ts', text, [{ search: '', replace: 'x' }]).problems[0]!.message).toContain('empty SEARCH only creates a new file');
  });

  it('an empty REPLACE of whole lines removes the lines', () => {
    expect(applyBlocks('a.ts', 'a\nb\nc\n', [{ search: 'b', replace: '' }]).text).toBe('a\nc\n');
    expect(applyBlocks('a.ts', 'let ab = 1;\n', [{ search: 'b', replace: '' }]).text).toBe('let a = 1;\n');
  });

  it('closestLines finds nothing in an empty file', () => {
    expect(closestLines('', 'x')).toBeUndefined();
  });
});
