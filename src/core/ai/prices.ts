// The one price table: USD per million tokens, per vendor and model family, overridable by the
// `rusty.ai.prices` setting. A model id matches its family exactly or with a version tag
// ("claude-sonnet-4-5-20250929" → "claude-sonnet-4-5", never "gpt-4o-mini" → "gpt-4o").
// Local models cost nothing.
import type { ProviderId, TokenUsage } from './types';

export interface ModelPrice {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
  /** USD per million input tokens served from the prompt cache (default: `input`). */
  cachedInput?: number;
  /** USD per million input tokens written to the prompt cache (Anthropic: 5-minute writes; default: `input`). */
  cacheWriteInput?: number;
}

/**
 * Anthropic's published prompt-caching multipliers of the base input price: a 5-minute cache write
 * costs 1.25×, a cache read 0.1×. (1-hour writes cost 2×; Rusty does not ask for them.)
 */
export const ANTHROPIC_CACHE_WRITE_MULTIPLIER = 1.25;
export const ANTHROPIC_CACHE_READ_MULTIPLIER = 0.1;

function anthropic(input: number, output: number): ModelPrice {
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  return { input, output, cachedInput: round(input * ANTHROPIC_CACHE_READ_MULTIPLIER), cacheWriteInput: round(input * ANTHROPIC_CACHE_WRITE_MULTIPLIER) };
}

/** List prices as published by the vendors when this table was written; override in settings. */
export const PRICES_AS_OF = '2026-12';

export const DEFAULT_PRICES: Readonly<Partial<Record<ProviderId, Readonly<Record<string, ModelPrice>>>>> = {
  anthropic: {
    'claude-opus-4-5': anthropic(5, 25),
    'claude-opus-4-1': anthropic(15, 75),
    'claude-opus-4': anthropic(15, 75),
    'claude-sonnet-4-5': anthropic(3, 15),
    'claude-sonnet-4': anthropic(3, 15),
    'claude-3-7-sonnet': anthropic(3, 15),
    'claude-haiku-4-5': anthropic(1, 5),
    'claude-3-5-haiku': anthropic(0.8, 4),
  },
  openai: {
    'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
    'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
    'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
    'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
    'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
    'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
    'o3': { input: 2, output: 8, cachedInput: 0.5 },
    'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  },
  gemini: {
    'gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.125 },
    'gemini-2.5-flash': { input: 0.3, output: 2.5, cachedInput: 0.03 },
    'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cachedInput: 0.01 },
    'gemini-2.0-flash': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  },
  // Served by the user's own VS Code subscription or by a script: no per-token charge to Rusty's user.
  'vscode-lm': { '': { input: 0, output: 0 } },
  scripted: { '': { input: 0, output: 0 } },
};

/**
 * Overrides from the `rusty.ai.prices` setting: keys are `provider/modelPrefix` (or a bare
 * `modelPrefix`, for every provider), values `{ input, output, cachedInput? }` in USD per million.
 */
export type PriceOverrides = Record<string, ModelPrice>;

/** Validates the setting; bad entries are dropped, each with one line saying why. */
export function parsePriceOverrides(value: unknown): { prices: PriceOverrides; errors: string[] } {
  const prices: PriceOverrides = {};
  const errors: string[] = [];
  if (value === undefined || value === null) return { prices, errors };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { prices, errors: ['rusty.ai.prices must be an object such as { "openai/gpt-5": { "input": 1.25, "output": 10 } }.'] };
  }
  const isPrice = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const e = entry as Partial<Record<keyof ModelPrice, unknown>> | null;
    if (!e || typeof e !== 'object' || !isPrice(e.input) || !isPrice(e.output) || (e.cachedInput !== undefined && !isPrice(e.cachedInput)) || (e.cacheWriteInput !== undefined && !isPrice(e.cacheWriteInput))) {
      errors.push(`rusty.ai.prices["${key}"] ignored: give "input" and "output" (and optionally "cachedInput", "cacheWriteInput") as USD per million tokens, 0 or more.`);
      continue;
    }
    prices[key] = {
      input: e.input, output: e.output,
      ...(e.cachedInput !== undefined ? { cachedInput: e.cachedInput as number } : {}),
      ...(e.cacheWriteInput !== undefined ? { cacheWriteInput: e.cacheWriteInput as number } : {}),
    };
  }
  return { prices, errors };
}

export interface PriceContext {
  overrides?: PriceOverrides;
  /** The model runs on this machine (Ollama, LM Studio…): it costs nothing. */
  local?: boolean;
}

/** The price of a model, or undefined when neither the table nor the overrides know it. */
export function priceOf(provider: ProviderId, model: string, ctx: PriceContext = {}): ModelPrice | undefined {
  if (ctx.local) return { input: 0, output: 0 };
  const id = model.replace(/^models\//, '');
  const fromOverrides = longestPrefix(ctx.overrides ?? {}, id, provider);
  if (fromOverrides) return fromOverrides;
  return longestPrefix(DEFAULT_PRICES[provider] ?? {}, id);
}

/** `-20250929`, `-2025-08-07`, `-001`, `-latest`, `-preview-05-20`, `-exp`, `@2025…`, `:free`. */
const VERSION_TAG = /^(?:-\d{3,}|-\d{4}-\d{2}-\d{2}|-latest|-preview|-exp|@|:)/;

function longestPrefix(table: Readonly<Record<string, ModelPrice>>, model: string, provider?: ProviderId): ModelPrice | undefined {
  let best: { len: number; price: ModelPrice } | undefined;
  for (const [key, price] of Object.entries(table)) {
    let prefix = key;
    if (provider !== undefined && key.includes('/')) {
      const slash = key.indexOf('/');
      if (key.slice(0, slash) !== provider) continue;
      prefix = key.slice(slash + 1);
    }
    // A family matches itself and its dated or tagged ids only: "gpt-4o" must not price "gpt-4o-mini".
    const matches = prefix === '' || model === prefix || (model.startsWith(prefix) && VERSION_TAG.test(model.slice(prefix.length)));
    if (matches && (!best || prefix.length > best.len)) best = { len: prefix.length, price };
  }
  return best?.price;
}

/**
 * USD of some usage at a price. Cache reads and cache writes are part of `inputTokens`: reads are
 * charged at `cachedInput`, writes at `cacheWriteInput`, the rest at `input`.
 */
export function usageCost(price: ModelPrice, usage: TokenUsage): number {
  const input = Math.max(0, usage.inputTokens);
  const read = Math.min(Math.max(0, usage.cachedInputTokens ?? 0), input);
  const write = Math.min(Math.max(0, usage.cacheWriteInputTokens ?? 0), input - read);
  const fresh = input - read - write;
  return (fresh * price.input + read * (price.cachedInput ?? price.input) + write * (price.cacheWriteInput ?? price.input)
    + Math.max(0, usage.outputTokens) * price.output) / 1_000_000;
}

/**
 * USD for one request, or undefined when the model's price is unknown (the caller decides how a
 * budget treats that).
 */
export function costOf(provider: ProviderId, model: string, usage: TokenUsage, ctx: PriceContext = {}): number | undefined {
  const price = priceOf(provider, model, ctx);
  if (!price) return undefined;
  return Math.round(usageCost(price, usage) * 1e8) / 1e8;
}
