import { describe, expect, it } from 'vitest';
import type { AnalysisReport, DiagnosticEntry } from '../../core/analysis/types';
import { describeSummary, findingsOf, lensesForFile, summaryOf } from './findings';
import { DEFAULT_SUGGESTION_SETTINGS } from './settings';

function diag(file: string | null, line: number | null, code: number, category: DiagnosticEntry['category'] = 'error'): DiagnosticEntry {
  return { file, line, column: line === null ? null : 3, code, category, message: `message ${code}\nmore` };
}

function report(over: Partial<AnalysisReport> = {}): AnalysisReport {
  return {
    schemaVersion: 1,
    workspace: '/ws',
    summary: { mode: 'full', files: 3, durationMs: 1234 } as AnalysisReport['summary'],
    diagnostics: [diag('src/a.ts', 4, 6133), diag('src/a.ts', 9, 6133), diag('src/b.ts', 2, 6133), diag('src/a.ts', 5, 2322), diag(null, null, 5023)],
    functions: [
      { file: 'src/a.ts', name: 'small', line: 1, lines: 3, complexity: 2 },
      { file: 'src/a.ts', name: 'tangled', line: 12, lines: 30, complexity: 23 },
      { file: 'src/b.ts', name: 'long', line: 5, lines: 120, complexity: 3 },
      { file: 'src/a.ts', name: 'both', line: 50, lines: 90, complexity: 16 },
    ],
    unusedExports: [
      { file: 'src/a.ts', name: 'helper', line: 20, kind: 'function', typeOnly: false },
      { file: 'src/a.ts', name: 'default', line: 60, kind: 'function', typeOnly: false },
    ],
    unusedFiles: ['src/orphan.ts'],
    cycles: [],
    publicApi: [],
    ...over,
  };
}

const fixable = { TS6133: 'all', TS2322: 'none' } as const;

describe('findings', () => {
  it('keeps the hot spots over either threshold, most complex first', () => {
    const f = findingsOf(report(), DEFAULT_SUGGESTION_SETTINGS, fixable);
    expect(f.hotSpots.map((h) => h.name)).toEqual(['tangled', 'both', 'long']);
    const strict = findingsOf(report(), { ...DEFAULT_SUGGESTION_SETTINGS, complexityThreshold: 20, linesThreshold: 1000 }, fixable);
    expect(strict.hotSpots.map((h) => h.name)).toEqual(['tangled']);
  });

  it('groups diagnostics by code, most frequent first, marking the fixable codes', () => {
    const f = findingsOf(report(), DEFAULT_SUGGESTION_SETTINGS, fixable);
    expect(f.diagnostics.map((g) => [g.code, g.entries.length, g.fixable, g.fixes])).toEqual([[6133, 3, true, 'all'], [2322, 1, false, 'none'], [5023, 1, false, 'unknown']]);
    // By default the report's own verdicts (AnalysisSession.codeFixes).
    const fromReport = findingsOf(report({ codeFixes: { TS2322: 'each' } }), DEFAULT_SUGGESTION_SETTINGS);
    expect(fromReport.diagnostics.map((g) => [g.code, g.fixes])).toEqual([[6133, 'unknown'], [2322, 'each'], [5023, 'unknown']]);
  });

  it('words the fix-all lens by what TypeScript can do: a fix-all, or the quick fix of each', () => {
    const lens = (fixes: 'all' | 'each') => lensesForFile(findingsOf(report(), DEFAULT_SUGGESTION_SETTINGS, { TS6133: fixes }), 'src/a.ts', DEFAULT_SUGGESTION_SETTINGS)[0]!;
    expect(lens('all').tooltip).toMatch(/^Propose TypeScript's fix-all for TS6133 in src\/a\.ts \(2 here/);
    expect(lens('each').tooltip).toMatch(/^Propose TypeScript's quick fix for each TS6133 in src\/a\.ts, as one proposal \(TypeScript has no fix-all for it\) \(2 here/);
    expect(lensesForFile(findingsOf(report(), DEFAULT_SUGGESTION_SETTINGS, { TS6133: 'none' }), 'src/a.ts', DEFAULT_SUGGESTION_SETTINGS).filter((l) => l.kind === 'fix-all')).toEqual([]);
  });

  it('on-demand diagnostics replace the report\'s for their file (syntactic mode)', () => {
    const extra = new Map([['src/a.ts', [diag('src/a.ts', 7, 6133), diag('src/a.ts', 8, 2304)]]]);
    const f = findingsOf(report(), DEFAULT_SUGGESTION_SETTINGS, fixable, extra);
    const a = f.diagnostics.flatMap((g) => g.entries).filter((d) => d.file === 'src/a.ts').map((d) => [d.code, d.line]);
    expect(a.sort()).toEqual([[2304, 8], [6133, 7]]);
  });

  it('makes the lenses of one file: fix-all per fixable code at the top, hot spots and unused exports at their lines', () => {
    const f = findingsOf(report(), DEFAULT_SUGGESTION_SETTINGS, fixable);
    const lenses = lensesForFile(f, 'src/a.ts', DEFAULT_SUGGESTION_SETTINGS);
    expect(lenses.map((l) => [l.line, l.title])).toEqual([
      [0, '2 × TS6133 · Fix all'],
      [11, 'complexity 23 · Extract function…'],
      [19, 'unused export · Remove'],
      [49, 'complexity 16 · 90 lines · Extract function…'],
    ]);
    expect(lenses[0]!.args).toEqual({ file: 'src/a.ts', code: 6133, scope: 'file' });
    expect(lenses[1]!.args).toEqual({ file: 'src/a.ts', hotSpot: { line: 12, lines: 30, name: 'tangled' } });
    expect(lenses[2]!.args).toEqual({ file: 'src/a.ts', name: 'helper' });
    expect(lensesForFile(f, 'src/b.ts', DEFAULT_SUGGESTION_SETTINGS).map((l) => l.title)).toEqual(['1 × TS6133 · Fix all', '120 lines · Extract function…']);
    expect(lensesForFile(f, 'src/none.ts', DEFAULT_SUGGESTION_SETTINGS)).toEqual([]);
  });

  it('summarises in one line', () => {
    const r = report();
    const s = summaryOf(r, findingsOf(r, DEFAULT_SUGGESTION_SETTINGS, fixable));
    expect(s).toMatchObject({ files: 3, hotSpots: 3, unusedExports: 2, unusedFiles: 1, errors: 5, fixable: 3, fixableCodes: 1 });
    expect(describeSummary(s)).toBe('3 files analysed in 1.2 s: 3 hot spots, 2 unused exports, 3 fixable diagnostics (1 code), 5 errors, 1 unused file.');
    expect(describeSummary({ ...s, mode: 'syntactic', durationMs: 80, files: 1, hotSpots: 1, fixable: 0, fixableCodes: 0, errors: 1, unusedFiles: 0 }))
      .toBe('1 file analysed in 80 ms (large workspace: syntactic pass; type errors are checked per file as you open it): 1 hot spot, 2 unused exports, 0 fixable diagnostics, 1 error.');
    // The compiler the diagnostics come from is named (the native one when the project's engine is native).
    const native = summaryOf({ ...r, compiler: { engine: 'native', version: '7.0.2', source: 'workspace' } }, findingsOf(r, DEFAULT_SUGGESTION_SETTINGS, fixable));
    expect(native.compiler).toBe("TypeScript 7.0.2 (native, the workspace's)");
    expect(describeSummary(native)).toBe("3 files analysed in 1.2 s: 3 hot spots, 2 unused exports, 3 fixable diagnostics (1 code), 5 errors, 1 unused file. Type-checked by TypeScript 7.0.2 (native, the workspace's).");
  });
});
