import { describe, expect, it } from 'vitest';
import { sampleImpactReport } from '../../core/impact/fixtures';
import { toImpactView, toRiskView } from './proposalViews';

describe('impact → review panel view', () => {
  it('fills risk (reasons with their points) and every impact field', () => {
    const r = sampleImpactReport();
    expect(toRiskView(r)).toEqual({ score: 75, level: 'high', reasons: ['introduces 1 type error (first: src/calc.ts:3 TS2345) (+40)', 'changes the public API: add changed (+30)', '3 references to changed exported symbols (+5)'] });
    expect(toImpactView(r)).toEqual({
      symbols: ['add — function, modified, exported (src/math.ts:1)', 'helper — function, added (src/math.ts:9)'],
      references: 3,
      dependents: ['src/calc.ts', 'src/index.ts', 'src/deep.ts'],
      tests: ['src/math.test.ts'],
      publicApi: ['changed add (src/index.ts): function (a: number, b: number) => number → function (a: string, b: string) => string'],
      publicApiChanges: [{ entry: 'src/index.ts', name: 'add', change: 'changed', before: 'function (a: number, b: number) => number', after: 'function (a: string, b: string) => string' }],
      typeCheck: { introduced: r.typeCheck.introduced, removed: r.typeCheck.removed },
      notes: r.notes,
    });
  });

  it('leaves typeCheck out when it was skipped, says why, and notes shortened lists', () => {
    const view = toImpactView(sampleImpactReport({
      typeCheck: { status: 'skipped', reason: '900 changed files and direct importers exceed the type-check limit of 400 files (large workspace).', checkedFiles: 0, introduced: [], removed: [] },
      dependents: { total: 5000, direct: 40, files: ['a.ts'], truncated: true },
      notes: [],
    }))!;
    expect(view.typeCheck).toBeUndefined();
    expect(view.checkNow).toBeUndefined();
    expect(view.notes).toEqual([
      '5000+ dependent files in all; the nearest 1 are listed.',
      'Type check not run: 900 changed files and direct importers exceed the type-check limit of 400 files (large workspace).',
    ]);
  });

  it('offers "Check now" when the size limit skipped or narrowed the check, and names a check run in full on request', () => {
    const skipped = toImpactView(sampleImpactReport({ typeCheck: { status: 'skipped', reason: '3 changed files and direct importers exceed the type-check limit of 1 files (large workspace).', limit: 1, checkedFiles: 0, introduced: [], removed: [] }, notes: [] }))!;
    expect(skipped.checkNow).toBe(true);
    const partial = toImpactView(sampleImpactReport({ typeCheck: { status: 'partial', reason: '5 files depend on the change (limit 3); checked the 3 changed files and direct importers.', limit: 3, checkedFiles: 3, introduced: [], removed: [] } }))!;
    expect(partial.checkNow).toBe(true);
    const full = toImpactView(sampleImpactReport({ typeCheck: { status: 'checked', full: true, checkedFiles: 9, introduced: [], removed: [] }, compiler: { engine: 'bundled', version: '6.0.2' }, notes: [] }))!;
    expect(full.checkNow).toBeUndefined();
    expect(full.notes).toEqual(['Type-checked in full on request with TypeScript 6.0.2 (bundled).']);
  });

  it('an analysis failure is an error, with no risk; no impact at all stays absent', () => {
    expect(toImpactView({ error: 'boom' })).toEqual({ error: 'boom' });
    expect(toRiskView({ error: 'boom' })).toBeUndefined();
    expect(toImpactView(undefined)).toBeUndefined();
    expect(toRiskView(undefined)).toBeUndefined();
  });
});
