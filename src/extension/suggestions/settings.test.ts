import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUGGESTION_SETTINGS, readSuggestionSettings } from './settings';

const props = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).contributes.configuration.properties as Record<string, { default: unknown; minimum?: number; markdownDescription?: string }>;

describe('rusty.suggestions settings', () => {
  it('package.json contributes exactly the settings read, with the same defaults', () => {
    expect(Object.keys(props).filter((k) => k.startsWith('rusty.suggestions.')).sort()).toEqual([
      'rusty.suggestions.complexityThreshold', 'rusty.suggestions.enabled', 'rusty.suggestions.linesThreshold',
    ]);
    const defaults = readSuggestionSettings(() => undefined);
    expect(defaults).toEqual(DEFAULT_SUGGESTION_SETTINGS);
    expect(props['rusty.suggestions.enabled']!.default).toBe(defaults.enabled);
    expect(props['rusty.suggestions.complexityThreshold']!.default).toBe(defaults.complexityThreshold);
    expect(props['rusty.suggestions.linesThreshold']!.default).toBe(defaults.linesThreshold);
    for (const key of ['rusty.suggestions.complexityThreshold', 'rusty.suggestions.linesThreshold']) expect(props[key]!.minimum).toBe(1);
  });

  it('reads valid values and falls back on invalid ones', () => {
    const values: Record<string, unknown> = { enabled: false, complexityThreshold: 7.9, linesThreshold: 40 };
    expect(readSuggestionSettings((k) => values[k])).toEqual({ enabled: false, complexityThreshold: 7, linesThreshold: 40 });
    const bad: Record<string, unknown> = { enabled: 'yes', complexityThreshold: 0, linesThreshold: Number.NaN };
    expect(readSuggestionSettings((k) => bad[k])).toEqual(DEFAULT_SUGGESTION_SETTINGS);
  });
});
