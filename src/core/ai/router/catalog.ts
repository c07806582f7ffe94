// What the router chooses from: the configured providers' models with their capabilities and
// prices. Until the provider registry (src/core/ai/providers/index.ts) and the price table
// (src/core/ai/prices.ts) exist, callers pass these in through a ProviderCatalog.
import type { ModelInfo, ModelProvider, ProviderId } from '../types';

/** Dollars per million tokens. */
export interface ModelPrice {
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
}

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

/** Undefined when the price is unknown. */
export function costUsd(price: ModelPrice | undefined, inputTokens: number, outputTokens: number): number | undefined {
  if (!price) return undefined;
  return (inputTokens * price.inputUsdPerMTok + outputTokens * price.outputUsdPerMTok) / 1_000_000;
}

/** Output tokens a request may produce when it does not say: the model's cap, at most this. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export function maxOutputFor(caps: Pick<ModelCapabilities, 'maxOutputTokens'> | undefined, requested?: number): number {
  return requested ?? Math.min(caps?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_MAX_OUTPUT_TOKENS);
}
