// What the router chooses from: the configured providers' models with their capabilities and
// prices. Until the provider registry (src/core/ai/providers/index.ts) and the price table
// (src/core/ai/prices.ts) exist, callers pass these in through a ProviderCatalog.
import type { ModelInfo, ModelProvider, ProviderId, TokenUsage } from '../types';
import { usageCost, type ModelPrice } from '../prices';

export type { ModelPrice };

export interface ModelCapabilities {
  provider: ProviderId;
  model: string;
  label?: string;
  /** Input + output tokens the model accepts; undefined when the vendor does not say. */
  contextWindow?: number;
  maxOutputTokens?: number;
  supportsTools: boolean;
  /** Undefined when unknown. A local model (Ollama, LM Studio) is free: price 0. */
  price?: ModelPrice;
}

export interface CatalogEntry {
  id: ProviderId;
  /** Distinguishes two servers of one protocol ("openai", "ollama"); default: the id. */
  name?: string;
  label: string;
  /** Usable now (a key is set, a server answered, VS Code offers a model). */
  configured: boolean;
  /** Why it is (not) configured, in words: "ANTHROPIC_API_KEY is set" / "set ANTHROPIC_API_KEY". Never a key. */
  detail: string;
  models: ModelCapabilities[];
  /** The provider itself, when configured. */
  provider?: ModelProvider;
}

export interface ProviderCatalog {
  entries(signal?: AbortSignal): Promise<CatalogEntry[]>;
}

export function capabilitiesOf(provider: ProviderId, info: ModelInfo, price?: ModelPrice): ModelCapabilities {
  return {
    provider, model: info.id, supportsTools: info.supportsTools,
    ...(info.label ? { label: info.label } : {}),
    ...(info.contextWindow !== undefined ? { contextWindow: info.contextWindow } : {}),
    ...(info.maxOutputTokens !== undefined ? { maxOutputTokens: info.maxOutputTokens } : {}),
    ...(price ? { price } : {}),
  };
}

/**
 * Undefined when the price is unknown. Cache reads and writes are part of `inputTokens`, charged at
 * `cachedInput` and `cacheWriteInput` (prices.ts usageCost).
 */
export function costUsd(price: ModelPrice | undefined, inputTokens: number, outputTokens: number, cachedInputTokens = 0, cacheWriteInputTokens = 0): number | undefined {
  if (!price) return undefined;
  return usageCost(price, { inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens });
}

/** The same for a usage record. */
export function usageUsd(price: ModelPrice | undefined, usage: TokenUsage): number | undefined {
  return price ? usageCost(price, usage) : undefined;
}

/**
 * Output tokens a request may produce when it does not say: the model's cap, at most this (room
 * for a whole ~600-line file). The session sends it as the request's maxTokens, so the worst
 * case the budget checked is a real bound. Callers that need more pass maxTokens.
 */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;

export function maxOutputFor(caps: Pick<ModelCapabilities, 'maxOutputTokens'> | undefined, requested?: number): number {
  return requested ?? Math.min(caps?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_MAX_OUTPUT_TOKENS);
}

/** A configured provider as the registry reports it (src/core/ai/providers/index.ts ConfiguredProvider fits). */
export interface ConfiguredLike {
  id: ProviderId;
  name?: string;
  provider: ModelProvider;
  /** Runs on this machine: it costs nothing. */
  local?: boolean;
}

/**
 * A catalog over configured providers: each one's model list (asked once per `entries` call;
 * a provider whose list fails is shown unconfigured with the reason) and each model's price.
 */
export function catalogFromProviders(list: () => Promise<readonly ConfiguredLike[]>, priceFor: (provider: ProviderId, model: string, local: boolean) => ModelPrice | undefined): ProviderCatalog {
  return {
    async entries(signal?: AbortSignal): Promise<CatalogEntry[]> {
      const configured = await list();
      return Promise.all(configured.map(async (c): Promise<CatalogEntry> => {
        const base = { id: c.id, ...(c.name ? { name: c.name } : {}), label: c.provider.label };
        try {
          const infos = await c.provider.listModels(signal);
          const models = infos.map((info) => capabilitiesOf(c.id, info, c.local ? { input: 0, output: 0 } : priceFor(c.id, info.id, !!c.local)));
          return { ...base, configured: true, detail: `${models.length} model${models.length === 1 ? '' : 's'}${c.local ? ' (local)' : ''}`, models, provider: c.provider };
        } catch (err) {
          return { ...base, configured: false, detail: `its model list failed: ${(err as Error).message}`, models: [] };
        }
      }));
    },
  };
}

/** The provider instance that serves a routed choice (two servers of one protocol told apart by their models). */
export function providerResolver(entries: readonly CatalogEntry[]): (choice: { provider: ProviderId; model: string }) => ModelProvider | undefined {
  return (choice) => entries.find((e) => e.provider && e.id === choice.provider && e.models.some((m) => m.model === choice.model))?.provider
    ?? entries.find((e) => e.provider && e.id === choice.provider)?.provider;
}
