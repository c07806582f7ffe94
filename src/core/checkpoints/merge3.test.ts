import fc from 'fast-check';
import { diff3Merge } from 'node-diff3';
import { describe, expect, it } from 'vitest';
import { merge3, type MergeResult } from './merge3';

const base = 'a\nb\nc\nd\ne\nf\ng\nh\n';

describe('merge3', () => {
  it('takes the only side that changed', () => {
    expect(merge3(base, base, 'x\n')).toEqual({ clean: true, text: 'x\n' });
    expect(merge3(base, 'y\n', base)).toEqual({ clean: true, text: 'y\n' });
  });

  it('merges changes to separate regions', () => {
    const ours = base.replace('a\n', 'A\n');
    const theirs = base.replace('h\n', 'H\n');
    expect(merge3(base, ours, theirs)).toEqual({ clean: true, text: 'A\nb\nc\nd\ne\nf\ng\nH\n' });
  });

  it('reports overlapping changes with their lines', () => {
    const r = merge3(base, base.replace('d\n', 'ours\n'), base.replace('d\n', 'theirs\n'));
    expect(r.clean).toBe(false);
    if (!r.clean) {
      expect(r.conflicts).toHaveLength(1);
      expect(r.conflicts[0]).toMatchObject({ oursLine: 4, baseLine: 4, ours: ['ours'], theirs: ['theirs'], base: ['d'] });
    }
  });

  it('treats identical changes on both sides as clean', () => {
    const same = base.replace('d\n', 'same\n');
    expect(merge3(base, same, same)).toEqual({ clean: true, text: same });
  });

  it('gives node-diff3\'s result whenever the alignment is unambiguous (edits with fresh lines)', () => {
    // Each side replaces, inserts or deletes blocks of the base with lines found nowhere else, so
    // both diffs have one answer and the merges must agree.
    const edits = fc.array(fc.record({ at: fc.nat(30), del: fc.nat(3), add: fc.nat(3) }), { maxLength: 4 });
    const apply = (base: string[], es: { at: number; del: number; add: number }[], tag: string) => {
      const out = [...base];
      es.map((e, k) => ({ ...e, k })).sort((x, y) => y.at - x.at).forEach((e) => {
        const at = Math.min(e.at, out.length);
        out.splice(at, e.del, ...Array.from({ length: e.add }, (_, n) => `${tag}${e.k}.${n}`));
      });
      return out;
    };
    fc.assert(fc.property(fc.integer({ min: 0, max: 30 }), edits, edits, (n, ea, eb) => {
      const base = Array.from({ length: n }, (_, i) => `line ${i}`);
      const ours = apply(base, ea, 'ours');
      const theirs = apply(base, eb, 'theirs');
      const expected: MergeResult = (() => {
        const lines = (l: string[]) => l.join('\n').split('\n'); // as merge3 splits them ('' is one empty line)
        const regions = diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true });
        const text: string[] = [];
        const conflicts = [];
        for (const r of regions) {
          if (r.ok) text.push(...r.ok);
          else if (r.conflict) conflicts.push({ oursLine: r.conflict.aIndex + 1, baseLine: r.conflict.oIndex + 1, ours: r.conflict.a, base: r.conflict.o, theirs: r.conflict.b });
        }
        return conflicts.length ? { clean: false, conflicts } : { clean: true, text: text.join('\n') };
      })();
      const got = merge3(base.join('\n'), ours.join('\n'), theirs.join('\n'));
      // merge3 answers equal texts without diffing; node-diff3 then may still report "conflicts".
      if (ours.join('\n') === theirs.join('\n') || ours.join('\n') === base.join('\n') || theirs.join('\n') === base.join('\n')) return;
      expect(got).toEqual(expected);
    }), { numRuns: 500 });
  });

  it('merges a 150,000-line file with changes on both sides in bounded time (node-diff3: ~9 s at 40,000 lines; at 150,000, 140 s and then a stack overflow)', () => {
    const n = 150_000;
    const line = (i: number) => `export const value${i} = compute(${i}, "pad ${i}");`;
    const text = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';
    const base = text(line);
    const ours = text((i) => (i % 50 === 1 ? `ours ${i}` : line(i)));
    const theirs = text((i) => (i % 50 === 26 ? `theirs ${i}` : line(i)));
    const t0 = Date.now();
    const r = merge3(base, ours, theirs);
    // ~1 s on an idle 2-core machine; node-diff3 needs minutes (quadratic) or runs out of memory.
    expect(Date.now() - t0).toBeLessThan(20_000);
    const expected = text((i) => (i % 50 === 1 ? `ours ${i}` : i % 50 === 26 ? `theirs ${i}` : line(i)));
    expect(r.clean && r.text === expected).toBe(true);
    // and a conflict far down the file is found at the right line
    const c = merge3(base, ours.replace(`${line(149_998)}\n`, 'mine\n'), theirs.replace(`${line(149_998)}\n`, 'yours\n'));
    expect(c.clean).toBe(false);
    if (!c.clean) expect(c.conflicts).toEqual([{ oursLine: 149_999, baseLine: 149_999, ours: ['mine'], base: [line(149_998)], theirs: ['yours'] }]);
  }, 60_000);
});

