// The "AI Models" view's rows: today's spend against the daily budget, then per provider and
// model the requests, success rate, p50/p95 latency, tokens and cost (MetricsStore.stats(),
// SpendLedger.day()). Pure (no vscode), unit-tested; treeProvider turns rows into TreeItems.
import type { BudgetCaps } from '../../core/ai/budget/caps';
import type { ModelStats } from '../../core/ai/metrics/store';

export interface StatsRow {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  children?: StatsRow[];
}

export interface DaySpendLike { day: string; tokens: number; usd: number; requests: number }

export function formatUsd(n: number): string {
  return n === 0 ? '$0' : n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

export function formatTokens(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString('en-US');
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? '–' : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function pct(ok: number, all: number): string {
  return all ? `${Math.round((ok / all) * 100)}%` : '–';
}

export function todayRow(today: DaySpendLike, budget: BudgetCaps): StatsRow {
  const usd = budget.perDayUsd ? `${formatUsd(today.usd)} of ${formatUsd(budget.perDayUsd)}` : `${formatUsd(today.usd)} (no daily $ cap)`;
  const tokens = budget.perDayTokens ? `${formatTokens(today.tokens)} of ${formatTokens(budget.perDayTokens)} tokens` : `${formatTokens(today.tokens)} tokens`;
  const over = (budget.perDayUsd && today.usd >= budget.perDayUsd) || (budget.perDayTokens && today.tokens >= budget.perDayTokens);
  return {
    id: 'today', label: `Today: ${usd}`, description: `${tokens} · ${today.requests} request${today.requests === 1 ? '' : 's'}`,
    tooltip: `Spend on ${today.day} across VS Code and the CLI (rusty.ai.budget.perDayUsd / perDayTokens; 0 = no cap).${over ? ' The daily cap is reached: requests are refused until tomorrow.' : ''}`,
    icon: over ? 'warning' : 'credit-card',
  };
}

export function modelRow(m: ModelStats): StatsRow {
  const key = `${m.provider}/${m.model}`;
  const failures = Object.entries(m.failures).filter(([, n]) => (n ?? 0) > 0).map(([k, n]) => `${k} ${n}`).join(', ');
  const children: StatsRow[] = [
    { id: `${key}#requests`, label: 'Requests', description: `${m.requests} (${m.successes} succeeded · ${pct(m.successes, m.requests)})`, icon: 'pulse' },
    { id: `${key}#latency`, label: 'Latency', description: `p50 ${formatMs(m.p50Ms)} · p95 ${formatMs(m.p95Ms)} (${m.latencySamples} samples)`, icon: 'watch' },
    { id: `${key}#tokens`, label: 'Tokens', description: `${formatTokens(m.tokensIn)} in · ${formatTokens(m.tokensOut)} out`, icon: 'symbol-number' },
    { id: `${key}#cost`, label: 'Cost', description: formatUsd(m.costUsd), icon: 'credit-card' },
    ...(failures ? [{ id: `${key}#failures`, label: 'Failures', description: failures, icon: 'error' }] : []),
  ];
  return {
    id: key, label: key,
    description: `${m.requests} req · ${pct(m.successes, m.requests)} ok · p50 ${formatMs(m.p50Ms)} · ${formatUsd(m.costUsd)}`,
    tooltip: `${key}: ${m.requests} requests, ${m.successes} succeeded; p50 ${formatMs(m.p50Ms)}, p95 ${formatMs(m.p95Ms)}; ${m.tokensIn} tokens in, ${m.tokensOut} out; ${formatUsd(m.costUsd)}.`,
    icon: m.requests && m.successes / m.requests < 0.5 ? 'warning' : 'hubot',
    children,
  };
}

/** Today first, then one row per provider with its models. */
export function statsRows(models: readonly ModelStats[], today: DaySpendLike, budget: BudgetCaps): StatsRow[] {
  const byProvider = new Map<string, ModelStats[]>();
  for (const m of models) byProvider.set(m.provider, [...(byProvider.get(m.provider) ?? []), m]);
  const providers = [...byProvider.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([provider, list]): StatsRow => {
    const requests = list.reduce((n, m) => n + m.requests, 0);
    const ok = list.reduce((n, m) => n + m.successes, 0);
    const cost = list.reduce((n, m) => n + m.costUsd, 0);
    return { id: `provider:${provider}`, label: provider, description: `${requests} req · ${pct(ok, requests)} ok · ${formatUsd(cost)}`, icon: 'server', children: list.map(modelRow) };
  });
  if (!providers.length) return [todayRow(today, budget), { id: 'empty', label: 'No AI requests yet', description: 'Run "Rusty: Ask…"', icon: 'info' }];
  return [todayRow(today, budget), ...providers];
}
