// Token counts before a request is sent (budgets, context-window checks) and for usage a vendor did
// not report (a cut stream). Each vendor tokenizes differently, so the method is chosen per vendor:
// - OpenAI models: the model's own BPE encoding from gpt-tokenizer (o200k_base for GPT-4o, 4.1, 5
//   and the o-series; cl100k_base for GPT-4 and GPT-3.5), loaded on first use. Other models served
//   over the OpenAI protocol (Ollama, LM Studio, OpenRouter) use o200k_base as an estimate.
// - Anthropic: no public tokenizer; its documentation puts a Claude token at about 3.5 English
//   characters — an estimate.
// - Gemini: Google's token guide puts a Gemini token at about 4 characters — an estimate.
// Usage a vendor reports always wins over any of these (TokenUsage.estimated marks the others).
import type * as GptTokenizer from 'gpt-tokenizer';
import type { ChatRequest, ProviderId } from '../types';

type Encoder = Pick<typeof GptTokenizer, 'countTokens'>;

export type TokenMethod = 'o200k_base' | 'cl100k_base' | 'chars/3.5' | 'chars/4';

export interface TokenMethodInfo {
  method: TokenMethod;
  /** False only for a vendor's own tokenizer (OpenAI models with their encoding). */
  estimate: boolean;
  /** One line for the user: how the count was made. */
  label: string;
}

/** OpenAI models that use cl100k_base (everything newer is o200k_base). */
const CL100K = /^(?:gpt-4(?:-|$)|gpt-3\.5)/;
/** OpenAI's own model families: their encoding is exact. */
const OPENAI_FAMILY = /^(?:gpt-|o\d|chatgpt-|text-embedding-)/;

export function tokenMethodFor(provider: ProviderId | undefined, model = ''): TokenMethodInfo {
  const id = model.replace(/^models\//, '').replace(/^openai\//, '');
  switch (provider) {
    case 'anthropic':
      return { method: 'chars/3.5', estimate: true, label: 'estimate: about 3.5 characters per token (Anthropic\'s documented approximation)' };
    case 'gemini':
      return { method: 'chars/4', estimate: true, label: 'estimate: about 4 characters per token (Google\'s documented approximation for Gemini)' };
    case 'openai': {
      const method: TokenMethod = CL100K.test(id) ? 'cl100k_base' : 'o200k_base';
      const exact = OPENAI_FAMILY.test(id);
      return { method, estimate: !exact, label: exact ? `${method} (the model's own encoding)` : `estimate: ${method} (the model's own tokenizer is not available)` };
    }
    default:
      return { method: 'o200k_base', estimate: true, label: 'estimate: o200k_base' };
  }
}

let o200k: Promise<Encoder> | undefined;
let cl100k: Promise<Encoder> | undefined;
let loadedO200k: Encoder | undefined;

export async function loadTokenizer(method: 'o200k_base' | 'cl100k_base' = 'o200k_base'): Promise<Encoder> {
  if (method === 'cl100k_base') {
    cl100k ??= import('gpt-tokenizer/encoding/cl100k_base').then((m) => m as Encoder);
    return cl100k;
  }
  o200k ??= import('gpt-tokenizer').then((m) => (loadedO200k = m));
  return o200k;
}

/** o200k_base tokens (the default encoding). */
export async function countTokens(text: string): Promise<number> {
  if (!text) return 0;
  return (loadedO200k ?? (await loadTokenizer())).countTokens(text);
}

/** Tokens of `text` for this vendor and model, with the method that counted them. */
export async function estimateTokens(text: string, provider?: ProviderId, model?: string): Promise<number> {
  if (!text) return 0;
  const { method } = tokenMethodFor(provider, model);
  switch (method) {
    case 'chars/3.5': return Math.ceil(text.length / 3.5);
    case 'chars/4': return Math.ceil(text.length / 4);
    case 'cl100k_base': return (await loadTokenizer('cl100k_base')).countTokens(text);
    case 'o200k_base': return countTokens(text);
  }
}

/** Per-message framing the chat formats add (role markers, separators). */
const MESSAGE_OVERHEAD = 4;

/** Input tokens a request will carry (system, messages, tool results, tool schemas), counted for its vendor. */
export async function countRequestTokens(req: Pick<ChatRequest, 'system' | 'messages' | 'tools'>, provider?: ProviderId, model?: string): Promise<number> {
  const count = (text: string) => estimateTokens(text, provider, model);
  let total = await count(req.system ?? '');
  for (const m of req.messages) {
    total += MESSAGE_OVERHEAD + (await count(m.content));
    if (m.role === 'assistant' && m.toolCalls?.length) total += await count(JSON.stringify(m.toolCalls));
  }
  if (req.tools?.length) total += await count(JSON.stringify(req.tools));
  return total;
}
