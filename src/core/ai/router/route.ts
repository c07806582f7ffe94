// The router: from the configured models, their measured metrics, the task profile and the
// user's override, choose a provider and model, explain the choice in one sentence, and order the
// rest as fallbacks. Measured facts only — no quality numbers are invented.
//
// 1. Filters (each exclusion keeps its reason): the task's context plus the request's output
//    allowance must fit the model's context window (when the model states one); a task that
//    needs tools excludes tool-less models; the per-call override (provider and/or model) keeps
//    only what it names.
// 2. Outcomes: a model's last RECENT_OUTCOMES requests (cancellations excluded), restricted to
//    this task kind when there are at least MIN_SAMPLES of it. With fewer than MIN_SAMPLES
//    outcomes in all a model is "not measured yet".
// 3. Order: models of the default provider/model (rusty.ai.provider, rusty.ai.model) first, then
//    within each group three tiers:
//      A. measured, success rate ≥ MIN_RATE — by score, highest first:
//           score = successRate − wLatency · p50 / maxP50 − wCost · cost / maxCost
//         (maxima over tier A, so both penalties are in [0, 1]; interactive tasks weigh latency
//         0.3 and cost 0.2, background tasks 0.1 and 0.4);
//      B. not measured yet — by capability (supports tools first), then estimated cost
//         (cheapest first; unknown price last), then name;
//      C. measured, success rate < MIN_RATE — by success rate, highest first.
//    "cost" is the worst-case estimate of this task's first request, the number budgets check:
//    contextTokens × input price + max output tokens × output price.
// 4. The choice is the first; the others, in order, are the fallbacks for 'fallback'-class
//    errors (none when the override names a model: the user asked for that one).
import { AiError, type ProviderId, type RouteChoice, type TaskKind, type TaskProfile } from '../types';
import type { ModelStats } from '../metrics/store';
import { costUsd, maxOutputFor, type ModelCapabilities } from './catalog';

export const MIN_SAMPLES = 3;
export const MIN_RATE = 0.5;
export const WEIGHTS = {
  interactive: { latency: 0.3, cost: 0.2 },
  background: { latency: 0.1, cost: 0.4 },
} as const;

export interface RouteOverride { provider?: ProviderId; model?: string }

export interface RouteInput {
  profile: TaskProfile;
  models: readonly ModelCapabilities[];
  stats?: readonly ModelStats[];
  /** Per call (--provider / --model): only what it names is considered. */
  override?: RouteOverride;
  /** From the settings (rusty.ai.provider / rusty.ai.model): ranked first when eligible. */
  preferred?: RouteOverride;
}

export interface RankedModel {
  caps: ModelCapabilities;
  /** Named by the override but not in the model list: its limits are unknown, so not filtered on. */
  unlisted?: boolean;
  tier: 'A' | 'B' | 'C';
  preferred: boolean;
  /** Outcomes the rate is computed on, and whether they are of this task kind only. */
  outcomes: number;
  successes: number;
  ofTaskKind: boolean;
  successRate?: number;
  p50Ms?: number;
  /** Worst-case cost of the first request; undefined when the price is unknown. */
  estUsd?: number;
  score?: number;
}

export interface Excluded { provider: ProviderId; model: string; reason: string }

export interface RoutePlan {
  choice: RouteChoice;
  /** Next choices, in order, for 'fallback'-class errors. */
  fallbacks: RouteChoice[];
  ranked: RankedModel[];
  excluded: Excluded[];
  profile: TaskProfile;
}

export const key = (c: { provider: string; model: string }) => `${c.provider}/${c.model}`;

export function fmtTokens(n: number): string {
  if (n < 1000) return String(Math.round(n));
  return n < 10_000 ? `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k` : `${Math.round(n / 1000)}k`;
}

const fmtSeconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function outcomesFor(stats: ModelStats | undefined, kind: TaskKind): { n: number; ok: number; ofTaskKind: boolean } {
  if (!stats) return { n: 0, ok: 0, ofTaskKind: false };
  const same = stats.recent.filter((r) => r.task === kind);
  const pool = same.length >= MIN_SAMPLES ? same : stats.recent;
  return { n: pool.length, ok: pool.filter((r) => r.ok).length, ofTaskKind: pool === same && same.length > 0 };
}

function exclusion(caps: ModelCapabilities, profile: TaskProfile): string | undefined {
  if (profile.needsTools && !caps.supportsTools) return 'the task needs tools and this model has no tool support';
  if (caps.contextWindow !== undefined) {
    const need = profile.contextTokens + maxOutputFor(caps);
    if (need > caps.contextWindow) {
      return `${fmtTokens(profile.contextTokens)} tokens of context plus ${fmtTokens(maxOutputFor(caps))} of output exceed its ${fmtTokens(caps.contextWindow)} window`;
    }
  }
  return undefined;
}

const matches = (c: ModelCapabilities, o: RouteOverride | undefined) =>
  !!o && (o.provider !== undefined || o.model !== undefined) && (o.provider === undefined || c.provider === o.provider) && (o.model === undefined || c.model === o.model);

export function route(input: RouteInput): RoutePlan {
  const { profile, override, preferred } = input;
  const stats = new Map((input.stats ?? []).map((s) => [key(s), s]));
  let models: (ModelCapabilities & { unlisted?: boolean })[] = [...input.models];
  if (override?.provider || override?.model) {
    const named: typeof models = models.filter((c) => matches(c, override));
    // A model the list does not have (newer than the list): honoured when the provider is named;
    // its limits are unknown, so it is not filtered on them.
    if (!named.length && override.provider && override.model && models.some((c) => c.provider === override.provider)) {
      named.push({ provider: override.provider, model: override.model, supportsTools: true, unlisted: true });
    }
    if (!named.length) {
      const what = [override.provider, override.model].filter(Boolean).join('/');
      throw new AiError('unavailable', `No configured model matches ${what}; configured: ${models.map(key).join(', ') || 'none'}.`, override.provider,
        { action: 'Choose a configured provider/model (see `rusty ai providers`), or configure that provider.' });
    }
    models = named;
  }

  const excluded: Excluded[] = [];
  const eligible: RankedModel[] = [];
  for (const caps of models) {
    const { unlisted, ...plain } = caps;
    const reason = unlisted ? undefined : exclusion(plain, profile);
    if (reason) {
      excluded.push({ provider: caps.provider, model: caps.model, reason });
      continue;
    }
    const s = stats.get(key(plain));
    const o = outcomesFor(s, profile.kind);
    const measured = o.n >= MIN_SAMPLES;
    const rate = measured ? o.ok / o.n : undefined;
    eligible.push({
      caps: plain, ...(unlisted ? { unlisted } : {}), preferred: matches(caps, preferred), outcomes: o.n, successes: o.ok, ofTaskKind: o.ofTaskKind,
      tier: !measured ? 'B' : rate! >= MIN_RATE ? 'A' : 'C',
      ...(rate !== undefined ? { successRate: rate } : {}),
      ...(s?.p50Ms !== undefined ? { p50Ms: s.p50Ms } : {}),
      ...(caps.price ? { estUsd: costUsd(caps.price, profile.contextTokens, maxOutputFor(caps))! } : {}),
    });
  }
  if (!eligible.length) {
    if (!models.length) throw new AiError('unavailable', 'No model provider is configured.', undefined);
    throw new AiError('unavailable', `No configured model can take this task: ${excluded.map((e) => `${key(e)} (${e.reason})`).join('; ')}.`, override?.provider,
      { action: 'Give less context (a selection or fewer files), or configure a model with a larger window or tool support.' });
  }

  const w = WEIGHTS[profile.urgency];
  const tierA = eligible.filter((r) => r.tier === 'A');
  const maxP50 = Math.max(0, ...tierA.map((r) => r.p50Ms ?? 0));
  const maxCost = Math.max(0, ...tierA.map((r) => r.estUsd ?? 0));
  for (const r of tierA) {
    r.score = r.successRate! - (maxP50 > 0 ? w.latency * (r.p50Ms ?? maxP50) / maxP50 : 0) - (maxCost > 0 ? w.cost * (r.estUsd ?? maxCost) / maxCost : 0);
  }
  const tierRank = { A: 0, B: 1, C: 2 } as const;
  const ranked = [...eligible].sort((a, b) =>
    Number(b.preferred) - Number(a.preferred)
    || tierRank[a.tier] - tierRank[b.tier]
    || (a.tier === 'A' ? b.score! - a.score! : 0)
    || (a.tier === 'B' ? Number(b.caps.supportsTools) - Number(a.caps.supportsTools) || (a.estUsd ?? Infinity) - (b.estUsd ?? Infinity) : 0)
    || (a.tier === 'C' ? b.successRate! - a.successRate! : 0)
    || key(a.caps).localeCompare(key(b.caps)));

  const first = ranked[0]!;
  const pinned = !!override?.model;
  const toChoice = (r: RankedModel, rationale: string): RouteChoice => ({ provider: r.caps.provider, model: r.caps.model, rationale });
  return {
    choice: toChoice(first, rationale(first, ranked[1], profile, input)),
    fallbacks: pinned ? [] : ranked.slice(1).map((r) => toChoice(r, `Fallback after ${key(first.caps)}: ${reasons(r, profile, input).join(', ')}.`)),
    ranked, excluded, profile,
  };
}

function reasons(r: RankedModel, profile: TaskProfile, input: RouteInput): string[] {
  const out: string[] = [];
  if (input.override?.provider || input.override?.model) out.push(`you asked for ${[input.override.provider, input.override.model].filter(Boolean).join('/')}`);
  else if (r.preferred) out.push(`it is your default (${input.preferred?.model ? 'rusty.ai.model' : 'rusty.ai.provider'})`);
  if (r.unlisted) out.push('its limits are unknown (not in the model list)');
  else {
    if (profile.needsTools) out.push('it supports tools');
    if (r.caps.contextWindow !== undefined) out.push(`${profile.needsTools ? '' : 'it '}fits ${fmtTokens(profile.contextTokens)} tokens of context`);
    else out.push(`its context window is unknown (${fmtTokens(profile.contextTokens)} tokens of context)`);
  }
  if (r.tier === 'B') out.push('no measurements yet, so it is ranked by capability then cost');
  else {
    const what = r.ofTaskKind ? `${profile.kind} tasks` : 'requests';
    out.push(`${r.tier === 'C' ? 'only ' : ''}succeeded in ${r.successes} of ${r.outcomes} recent ${what}${r.p50Ms !== undefined ? ` at p50 ${fmtSeconds(r.p50Ms)}` : ''}`);
  }
  return out;
}

function join(parts: string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

function rationale(first: RankedModel, next: RankedModel | undefined, profile: TaskProfile, input: RouteInput): string {
  let s = `Chose ${key(first.caps)}: ${join(reasons(first, profile, input))}`;
  if (next) {
    const n = key(next.caps);
    if (first.estUsd !== undefined && next.estUsd !== undefined && first.estUsd > 0 && next.estUsd > first.estUsd * 1.05) {
      s += `; ${n} would cost ${(next.estUsd / first.estUsd).toFixed(1)}× more`;
    } else if (first.estUsd !== undefined && next.estUsd !== undefined && next.estUsd < first.estUsd * 0.95) {
      s += next.tier === 'B' ? `; ${n} is cheaper but has no measurements yet`
        : next.successRate !== undefined ? `; ${n} is cheaper but succeeded in ${next.successes} of ${next.outcomes}` : `; ${n} is cheaper`;
    } else if (first.tier === 'A' && next.tier === 'A' && next.p50Ms !== undefined && first.p50Ms !== undefined && next.p50Ms > first.p50Ms * 1.05) {
      s += `; ${n} is slower (p50 ${fmtSeconds(next.p50Ms)})`;
    } else {
      s += `; next is ${n}`;
    }
  }
  return `${s}.`;
}
