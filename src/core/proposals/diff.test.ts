import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyHunks, computeHunks, countChanges } from './diff';

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';

describe('diff', () => {
  it('gives hunks stable ids that do not change when recomputed', () => {
    const a = lines(40);
    const b = a.replace('line 3\n', 'LINE 3\n').replace('line 30\n', 'LINE 30\n');
    const h1 = computeHunks('src/a.ts', a, b);
    const h2 = computeHunks('src/a.ts', a, b);
    expect(h1).toHaveLength(2);
    expect(h1.map((h) => h.id)).toEqual(h2.map((h) => h.id));
    expect(new Set(h1.map((h) => h.id)).size).toBe(2);
    expect(countChanges(h1)).toEqual({ added: 2, removed: 2 });
  });

  it('applies exactly the chosen hunks', () => {
    const a = lines(40);
    const b = a.replace('line 3\n', 'LINE 3\n').replace('line 30\n', 'LINE 30\n');
    const [first, second] = computeHunks('f', a, b);
    expect(applyHunks(a, [first!])).toBe(a.replace('line 3\n', 'LINE 3\n'));
    expect(applyHunks(a, [second!])).toBe(a.replace('line 30\n', 'LINE 30\n'));
    expect(applyHunks(a, [first!, second!])).toBe(b);
    expect(applyHunks(a, [])).toBe(a);
  });

  it('handles missing final newlines and empty files', () => {
    expect(applyHunks('a\nb', computeHunks('f', 'a\nb', 'a\nc'))).toBe('a\nc');
    expect(applyHunks('a\nb', computeHunks('f', 'a\nb', 'a\nb\n'))).toBe('a\nb\n');
    expect(applyHunks('', computeHunks('f', '', 'x\ny'))).toBe('x\ny');
    expect(applyHunks('x\n', computeHunks('f', 'x\n', ''))).toBe('');
  });

  it('refuses a hunk whose context does not match', () => {
    const hunks = computeHunks('f', 'a\nb\nc\n', 'a\nB\nc\n');
    expect(() => applyHunks('a\nzzz\nc\n', hunks)).toThrow(/no longer matches/);
  });

  it('any subset of hunks applies, and all hunks reproduce the new text (property)', () => {
    const textArb = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', 'e f'), { maxLength: 30 }).chain((ls) =>
      fc.boolean().map((nl) => ls.join('\n') + (nl && ls.length ? '\n' : '')));
    fc.assert(fc.property(textArb, textArb, fc.array(fc.boolean(), { maxLength: 20 }), (a, b, picks) => {
      const hunks = computeHunks('f', a, b);
      expect(applyHunks(a, hunks)).toBe(b);
      const subset = hunks.filter((_, i) => picks[i]);
      const partial = applyHunks(a, subset);
      // Applying the remaining hunks on top must still be coherent: re-diff and apply gives b.
      expect(applyHunks(partial, computeHunks('f', partial, b))).toBe(b);
    }), { numRuns: 300 });
  });
});
