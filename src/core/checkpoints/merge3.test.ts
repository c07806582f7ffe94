import { describe, expect, it } from 'vitest';
import { merge3 } from './merge3';

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
});
