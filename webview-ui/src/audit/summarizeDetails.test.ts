import { describe, expect, it } from 'vitest';
import { summarizeDetails } from './summarizeDetails';

describe('summarizeDetails', () => {
  it('leads with the reason and lists a few files', () => {
    expect(summarizeDetails({ files: ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts'], reason: 'Not now' })).toBe('reason: Not now; files: a.ts, b.ts, c.ts +2 more');
  });

  it('counts object lists, skips empty values and shows booleans and numbers', () => {
    expect(summarizeDetails({ conflicts: [{ path: 'a' }, { path: 'b' }], merged: [], forced: false, removedBlobs: 3, note: null })).toBe('forced: false; conflicts: 2 items; removedBlobs: 3');
  });

  it('shows a nested object by its values: a risk as level, score and reason count', () => {
    expect(summarizeDetails({ risk: { score: 45, level: 'high', reasons: ['a', 'b', 'c'] } })).toBe('risk: high 45 (3 reasons)');
    expect(summarizeDetails({ impact: { files: 3, publicApi: ['x', 'y'], error: null, typeCheck: { introduced: [] } } })).toBe('impact: files 3, 2 publicApi, typeCheck');
    expect(summarizeDetails({ risk: {} })).toBe('');
  });

  it('truncates long text', () => {
    const summary = summarizeDetails({ error: 'x'.repeat(500) });
    expect(summary.length).toBeLessThanOrEqual(160);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('is empty for no details', () => expect(summarizeDetails({})).toBe(''));
});
