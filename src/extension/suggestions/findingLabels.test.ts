import { describe, expect, it } from 'vitest';
import { hotSpotDescription, hotSpotLabel, hotSpotTooltip } from './findingLabels';

describe('Findings labels', () => {
  const fn = { name: '<anonymous>', file: 'src/v4/core/util.ts', line: 123, complexity: 12, lines: 40 };

  it('names an unnamed hot spot by where it is, not `<anonymous>`', () => {
    expect(hotSpotLabel(fn)).toBe('function at util.ts:123');
    expect(hotSpotLabel({ ...fn, name: 'Box.method' })).toBe('Box.method');
    expect(hotSpotTooltip(fn)).toBe('An unnamed function in src/v4/core/util.ts:123: cyclomatic complexity 12, 40 lines.');
  });

  it('keeps the description short: numbers first, the file by its base name', () => {
    expect(hotSpotDescription(fn, false)).toBe('complexity 12 · 40 lines · util.ts:123');
    expect(hotSpotDescription(fn, true)).toBe('complexity 12 · 40 lines · util.ts:123 (edited)');
  });
});
