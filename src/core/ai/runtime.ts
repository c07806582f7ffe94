// The AI runtime: the one composition of providers, prices, router, budgets and metrics that every
// front end uses (`rusty ask`, `rusty ai providers`, VS Code's "Rusty: Ask…", and later MCP
// sampling and the agent gateway). It turns "this task, these files, maybe this provider" into
// routed ModelSessions; the agent loop (src/core/ai/agent) does the rest.
import type { Secrets } from '../ports/secrets';
import { configuredProviders } from './providers';
import { parsePriceOverrides, priceOf } from './prices';
import { catalogFromProviders, providerResolver, type CatalogEntry, type ConfiguredLike, type ProviderCatalog } from './router/catalog';
import { classifyTaskDetailed, type Classification, type TaskContext } from './router/classify';
import { route, type RouteOverride, type RoutePlan } from './router/route';
import { createModelSession, type RoutedSession, type SessionEvent } from './router/session';
import { readAiSettings, type AiSettings } from './router/settings';
import { SpendLedger } from './budget/ledger';
import { MetricsStore } from './metrics/store';
import type { RouteChoice } from './types';

export interface AiRuntimeOptions {
  /** `<state>/ai`: metrics, daily spend and their lock. */
  aiDir: string;
  /** The CLI passes process.env (keys, OPENAI_BASE_URL); the extension passes nothing. */
  env?: Readonly<Record<string, string | undefined>>;
  /** VS Code SecretStorage ("Rusty: Set API Key…"). */
  secrets?: Secrets;
  /** The flat `rusty.*` settings (VS Code configuration or .vscode/settings.json). */
  settings?: Readonly<Record<string, unknown>>;
  /** Providers the front end adds: VS Code's language models, the scripted provider. First = preferred. */
  extra?: readonly ConfiguredLike[];
  /** Look for Ollama / LM Studio on this machine. */
  probeLocal?: boolean;
  onWarning?: (message: string) => void;
}

export interface PlanRequest extends TaskContext {
  task: string;
  override?: RouteOverride;
  signal?: AbortSignal;
}

export interface AiPlan {
  classification: Classification;
  plan: RoutePlan;
  entries: CatalogEntry[];
}

export class AiRuntime {
  readonly settings: AiSettings;
  readonly metrics: MetricsStore;
  readonly ledger: SpendLedger;
  private readonly warn: (message: string) => void;

  constructor(private readonly opts: AiRuntimeOptions) {
    this.warn = opts.onWarning ?? (() => undefined);
    const { settings, warnings } = readAiSettings(opts.settings ?? {});
    warnings.forEach(this.warn);
    this.settings = settings;
    this.metrics = new MetricsStore(opts.aiDir, { onWarning: this.warn });
    this.ledger = new SpendLedger(opts.aiDir, { onWarning: this.warn });
  }

  /** Every provider Rusty can use now, with its models and prices. */
  catalog(): ProviderCatalog {
    const { prices, errors } = parsePriceOverrides(this.opts.settings?.['rusty.ai.prices']);
    errors.forEach(this.warn);
    return catalogFromProviders(async () => {
      const { providers, warnings } = await configuredProviders({
        ...(this.opts.env ? { env: this.opts.env } : {}),
        ...(this.opts.secrets ? { secrets: this.opts.secrets } : {}),
        ...(this.opts.settings ? { settings: this.opts.settings } : {}),
        probeLocal: this.opts.probeLocal ?? false,
      });
      warnings.forEach(this.warn);
      return [...(this.opts.extra ?? []), ...providers];
    }, (provider, model, local) => priceOf(provider, model, { local, overrides: prices }));
  }

  /** Classifies the task and routes it over the configured models. Throws AiError when nothing can take it. */
  async plan(req: PlanRequest): Promise<AiPlan> {
    const { task, override, signal, ...context } = req;
    const classification = await classifyTaskDetailed(task, context);
    const entries = await this.catalog().entries(signal);
    const models = entries.filter((e) => e.configured).flatMap((e) => e.models);
    const preferred = this.settings.provider || this.settings.model
      ? { ...(this.settings.provider ? { provider: this.settings.provider } : {}), ...(this.settings.model ? { model: this.settings.model } : {}) }
      : undefined;
    const plan = route({
      profile: classification.profile, models, stats: this.metrics.stats(),
      ...(override && (override.provider || override.model) ? { override } : {}),
      ...(preferred ? { preferred } : {}),
    });
    return { classification, plan, entries };
  }

  /**
   * `count` sessions for competing candidates: candidate i starts at the i-th choice of the plan
   * (several providers), wrapping round to further samples of the same models; the others are its
   * fallbacks. Each session checks the budgets before sending and records metrics.
   */
  sessions(p: AiPlan, count = 1, onEvent?: (candidate: number, e: SessionEvent) => void): RoutedSession[] {
    const order: RouteChoice[] = [p.plan.choice, ...p.plan.fallbacks];
    const resolver = providerResolver(p.entries);
    const models = p.entries.flatMap((e) => e.models);
    const out: RoutedSession[] = [];
    for (let i = 0; i < count; i++) {
      const start = i % order.length;
      const rotated = [...order.slice(start), ...order.slice(0, start)];
      const first = rotated[0]!;
      const choice: RouteChoice = i === 0 ? first : { ...first, rationale: `Candidate ${i + 1}: ${first.provider}/${first.model}${i >= order.length ? ' (another sample)' : ''}; ${p.plan.choice.rationale}` };
      out.push(createModelSession({ ...p.plan, choice, fallbacks: rotated.slice(1) }, resolver, { caps: this.settings.budget, ledger: this.ledger }, this.metrics, {
        task: p.classification.profile.kind, models,
        ...(onEvent ? { onEvent: (e: SessionEvent) => onEvent(i + 1, e) } : {}),
        onWarning: this.warn,
      }));
    }
    return out;
  }
}
