// A hand-written impact report for tests of the places that show one (CLI text, view mapper).
import type { ImpactReport } from './types';

export function sampleImpactReport(overrides: Partial<ImpactReport> = {}): ImpactReport {
  return {
    version: 1,
    computedAt: '2026-01-01T12:00:00.000Z',
    durationMs: 1234,
    files: [{ path: 'src/math.ts', kind: 'modify', role: 'code' }],
    symbols: [
      { file: 'src/math.ts', name: 'add', kind: 'function', change: 'modified', exported: true, line: 1 },
      { file: 'src/math.ts', name: 'helper', kind: 'function', change: 'added', exported: false, line: 9 },
    ],
    references: { total: 3, truncated: false, symbols: [{ file: 'src/math.ts', name: 'add', count: 3, locations: [{ file: 'src/calc.ts', line: 1, column: 10 }, { file: 'src/calc.ts', line: 3, column: 22 }, { file: 'src/index.ts', line: 1, column: 10 }] }] },
    dependents: { total: 3, direct: 2, files: ['src/calc.ts', 'src/index.ts', 'src/deep.ts'], truncated: false },
    tests: ['src/math.test.ts'],
    publicApi: { entryPoints: ['src/index.ts'], changes: [{ entry: 'src/index.ts', name: 'add', change: 'changed', before: 'function (a: number, b: number) => number', after: 'function (a: string, b: string) => string' }] },
    typeCheck: {
      status: 'checked', checkedFiles: 4,
      introduced: [{ file: 'src/calc.ts', line: 3, code: 2345, message: "Argument of type 'number' is not assignable to parameter of type 'string'." }],
      removed: [{ file: 'src/deep.ts', line: 2, code: 2322, message: "Type 'number' is not assignable to type 'string'." }],
    },
    risk: { score: 75, level: 'high', reasons: [{ id: 'type-errors', points: 40, text: 'introduces 1 type error (first: src/calc.ts:3 TS2345)' }, { id: 'public-api', points: 30, text: 'changes the public API: add changed' }, { id: 'references', points: 5, text: '3 references to changed exported symbols' }] },
    notes: ['1 test file outside the TypeScript project (tsconfig include) was searched for imports too.'],
    ...overrides,
  };
}
