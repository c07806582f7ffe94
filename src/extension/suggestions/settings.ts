// `rusty.suggestions.*` as the suggestions read them. Pure (the caller passes VS Code's getter), so
// the defaults are unit-tested against package.json.

export interface SuggestionSettings {
  /** CodeLenses for hot spots, unused exports and fixable diagnostics after an analysis. */
  enabled: boolean;
  /** A function at or over this cyclomatic complexity is a hot spot. */
  complexityThreshold: number;
  /** A function spanning at least this many lines is a hot spot too. */
  linesThreshold: number;
}

export const DEFAULT_SUGGESTION_SETTINGS: SuggestionSettings = { enabled: true, complexityThreshold: 10, linesThreshold: 80 };

/** Every key, for onDidChangeConfiguration. */
export const SUGGESTION_SETTINGS_SECTION = 'rusty.suggestions';

/** `get` reads keys relative to the `rusty.suggestions` section (e.g. 'complexityThreshold'). */
export function readSuggestionSettings(get: (key: string) => unknown): SuggestionSettings {
  const int = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback);
  const enabled = get('enabled');
  return {
    enabled: typeof enabled === 'boolean' ? enabled : DEFAULT_SUGGESTION_SETTINGS.enabled,
    complexityThreshold: int(get('complexityThreshold'), DEFAULT_SUGGESTION_SETTINGS.complexityThreshold),
    linesThreshold: int(get('linesThreshold'), DEFAULT_SUGGESTION_SETTINGS.linesThreshold),
  };
}
