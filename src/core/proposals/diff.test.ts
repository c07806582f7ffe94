import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyHunks, computeHunks, countChanges, diffFile, diffLines, type LineChange, renderUnified } from './diff';

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

describe('bounded diff (large rewrites)', () => {
  it('a rewrite past the edit limit is simplified, and its hunks reproduce the new text exactly', () => {
    const a = lines(20_000, 'old');
    const b = lines(20_000, 'new').replace(/\n$/, '');
    const d = diffFile('big.ts', a, b);
    // The reason is the edit limit, or the time limit on a loaded machine: either way, simplified.
    expect(d.simplified).toMatchObject({ reason: expect.stringMatching(/^(edit-limit|timeout)$/), added: 20_000, removed: 20_000 });
    expect(d.hunks).toHaveLength(1);
    expect(applyHunks(a, d.hunks)).toBe(b);
    expect(diffFile('big.ts', a, b).hunks.map((h) => h.id)).toEqual(d.hunks.map((h) => h.id));
  });

  it('keeps scattered edits in separate hunks anchored on unique lines; each applies on its own', () => {
    const a = lines(3_000);
    const b = a.replace('line 10\n', 'LINE 10\n').replace('line 1500\n', 'x\ny\n').replace('line 2990\n', '');
    const d = diffFile('f', a, b, new Set(), { maxEditLength: 1 });
    expect(d.simplified?.reason).toBe('edit-limit');
    expect(d.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual(computeHunks('f', a, b).map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]));
    expect(applyHunks(a, [d.hunks[1]!])).toBe(a.replace('line 1500\n', 'x\ny\n'));
    expect(applyHunks(a, d.hunks)).toBe(b);
  });

  it('the simplified diff is a correct edit script for any texts, and any subset of its hunks applies (property)', () => {
    const textArb = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', '}'), { maxLength: 40 }).chain((ls) =>
      fc.boolean().map((nl) => ls.join('\n') + (nl && ls.length ? '\n' : '')));
    fc.assert(fc.property(textArb, textArb, fc.array(fc.boolean(), { maxLength: 20 }), (a, b, picks) => {
      const { hunks, simplified } = diffFile('f', a, b, new Set(), { maxEditLength: 0 });
      expect(simplified !== undefined).toBe(a !== b);
      expect(applyHunks(a, hunks)).toBe(b);
      for (let i = 1; i < hunks.length; i++) expect(hunks[i]!.oldStart).toBeGreaterThan(hunks[i - 1]!.oldStart + hunks[i - 1]!.oldLines - 1);
      const partial = applyHunks(a, hunks.filter((_, i) => picks[i]));
      expect(applyHunks(partial, computeHunks('f', partial, b))).toBe(b);
    }), { numRuns: 500 });
  });

  it('handles 150,000-line files and hunks without overflowing the stack (render, partial apply)', () => {
    const a = lines(150_000);
    const b = lines(150_000, 'new');
    const big = diffFile('f', a, b, new Set(), { maxEditLength: 10 });
    expect(renderUnified('f', big.hunks).split('\n')).toHaveLength(2 + 1 + 300_000);
    const tail = a.replace('line 150000\n', 'last\n');
    const [h] = computeHunks('f', a, tail);
    expect(applyHunks(a, [h!])).toBe(tail);
  });
});

/** b rebuilt from a and its changes: proves the changes are a correct edit script. */
function replay(a: string[], b: string[], changes: LineChange[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (const c of changes) {
    out.push(...a.slice(i, c.aStart), ...b.slice(c.bStart, c.bStart + c.bLength));
    i = c.aStart + c.aLength;
  }
  return [...out, ...a.slice(i)];
}

describe('diffLines', () => {
  it('is an exact edit script for any two line arrays', () => {
    const line = fc.constantFrom('a', 'b', 'c', '}', '', 'x');
    fc.assert(fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), (a, b) => {
      const { changes } = diffLines(a, b);
      expect(replay(a, b, changes)).toEqual(b);
      for (const c of changes) expect(c.aLength + c.bLength).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });

  it('diffs scattered edits of a 150,000-line file line by line in bounded time', () => {
    const a = Array.from({ length: 150_000 }, (_, i) => (i % 4 === 3 ? '}' : `const v${i} = ${i};`));
    const b = a.map((l, i) => (i % 100 === 7 ? `const changed${i} = 0;` : l));
    const t0 = Date.now();
    const { changes, simplified } = diffLines(a, b, { timeoutMs: 60_000 });
    expect(Date.now() - t0).toBeLessThan(15_000); // well under 1 s idle; quadratic would be minutes
    expect(simplified).toBeUndefined();
    expect(changes).toHaveLength(1500);
    expect(changes.every((c) => c.aLength === 1 && c.bLength === 1 && c.aStart === c.bStart)).toBe(true);
  });

  it('replaces a gap past the edit limit as one block, and says so', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `old ${i % 7}`);
    const b = Array.from({ length: 3000 }, (_, i) => `new ${i % 5}`);
    const r = diffLines(a, b, { maxEditLength: 100 });
    expect(r.simplified).toBe('edit-limit');
    expect(r.changes).toEqual([{ aStart: 0, aLength: 3000, bStart: 0, bLength: 3000 }]);
  });
});
