import { describe, expect, it } from 'vitest';
import { loadTsMorph } from '../../core/util/loadTsMorph';
import { functionBodySpan } from './functionBody';

const text = [
  '/** Docs. */',
  'export function classify(n: number): string {',
  '  const a = n + 1;',
  '  if (a > 2) return "big";',
  '  return "small";',
  '}',
  '',
  'export const arrow = (x: number) => x * 2 + 1;',
  'const empty = () => {};',
  'class K {',
  '  method(): void {',
  '    console.log(1);',
  '  }',
  '}',
].join('\n');

describe('functionBodySpan', () => {
  it('spans the body statements of the function the analysis found', async () => {
    const { ts } = await loadTsMorph();
    expect(functionBodySpan(ts, 'a.ts', text, { line: 2, lines: 5, name: 'classify' })).toEqual({
      span: { start: { line: 3, column: 3 }, end: { line: 5, column: 18 } },
      functionLines: { first: 2, last: 6 },
    });
    expect(functionBodySpan(ts, 'a.ts', text, { line: 11, lines: 3, name: 'K.method' })).toMatchObject({ span: { start: { line: 12, column: 5 }, end: { line: 12, column: 20 } } });
  });

  it('takes an arrow function\'s expression body', async () => {
    const { ts } = await loadTsMorph();
    expect(functionBodySpan(ts, 'a.ts', text, { line: 8, lines: 1, name: 'arrow' })).toMatchObject({ span: { start: { line: 8, column: 37 }, end: { line: 8, column: 46 } } });
  });

  it('says why when there is nothing to extract or the function moved', async () => {
    const { ts } = await loadTsMorph();
    expect(functionBodySpan(ts, 'a.ts', text, { line: 9, lines: 1, name: 'empty' })).toEqual({ problem: 'empty has an empty body: there is nothing to extract.' });
    expect(functionBodySpan(ts, 'a.ts', text, { line: 7, lines: 3, name: 'gone' })).toEqual({ problem: 'gone is no longer at line 7 of a.ts; run "Rusty: Analyze Workspace" again.' });
  });
});
