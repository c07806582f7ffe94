// The AI settings shared by the CLI and the extension (`rusty.ai.*` in VS Code's settings or the
// workspace's .vscode/settings.json). A bad value is ignored with a warning naming the key.
import { PROVIDER_IDS, type ProviderId } from '../types';
import type { BudgetCaps } from '../budget/caps';

export interface AiSettings {
  budget: BudgetCaps;
  /** Default provider / model (ranked first when eligible); a per-call override still wins. */
  provider?: ProviderId;
  model?: string;
}

const CAP_KEYS: [keyof BudgetCaps, string][] = [
  ['perTaskTokens', 'rusty.ai.budget.perTaskTokens'],
  ['perTaskUsd', 'rusty.ai.budget.perTaskUsd'],
  ['perDayTokens', 'rusty.ai.budget.perDayTokens'],
  ['perDayUsd', 'rusty.ai.budget.perDayUsd'],
];

/** `values` is the flat settings object (key → value); 0 or absent means no cap. */
export function readAiSettings(values: Record<string, unknown>): { settings: AiSettings; warnings: string[] } {
  const warnings: string[] = [];
  const budget: BudgetCaps = {};
  for (const [cap, name] of CAP_KEYS) {
    const v = values[name];
    if (v === undefined || v === null || v === 0) continue;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) budget[cap] = v;
    else warnings.push(`${name} must be a number > 0 (0 = no cap), got ${JSON.stringify(v)}; no cap is applied.`);
  }
  const settings: AiSettings = { budget };
  const p = values['rusty.ai.provider'];
  if (typeof p === 'string' && p) {
    if ((PROVIDER_IDS as readonly string[]).includes(p)) settings.provider = p as ProviderId;
    else warnings.push(`rusty.ai.provider ${JSON.stringify(p)} is not a provider; use one of ${PROVIDER_IDS.join(', ')}.`);
  }
  const m = values['rusty.ai.model'];
  if (typeof m === 'string' && m) settings.model = m;
  return { settings, warnings };
}
