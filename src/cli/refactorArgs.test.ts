import { describe, expect, it } from 'vitest';
import { parseDiagnosticCode, parseFilePosition, parsePosition } from './refactorArgs';

describe('refactor arguments', () => {
  it('parses FILE:LINE:COL from the right, so paths may contain colons', () => {
    expect(parseFilePosition('src/a.ts:3:14')).toEqual({ file: 'src/a.ts', at: { line: 3, column: 14 } });
    expect(parseFilePosition('C:/w/a.ts:1:1')).toEqual({ file: 'C:/w/a.ts', at: { line: 1, column: 1 } });
    expect(() => parseFilePosition('src/a.ts:3')).toThrow(/FILE:LINE:COL/);
    expect(() => parseFilePosition('src/a.ts:0:1')).toThrow(/count from 1/);
  });

  it('parses LINE:COL and diagnostic codes', () => {
    expect(parsePosition('10:2')).toEqual({ line: 10, column: 2 });
    expect(() => parsePosition('10')).toThrow(/LINE:COL/);
    expect(parseDiagnosticCode('TS6133')).toBe(6133);
    expect(parseDiagnosticCode('2304')).toBe(2304);
    expect(() => parseDiagnosticCode('unused')).toThrow(/6133/);
  });
});
