// OpenAI Chat Completions through the `openai` SDK with a `baseURL`: OpenAI itself and the servers
// that speak its protocol (Ollama, LM Studio, vLLM, OpenRouter). Streamed with
// `stream_options.include_usage`; tool calls arrive in pieces keyed by `index` and are assembled
// here. The SDK is imported on the first request only.
import type OpenAISdk from 'openai';
import type * as OpenAiModule from 'openai';
import {
  AiError, type ChatMessage, type ChatRequest, type ChatResult, type ModelInfo, type ModelProvider,
  type StopReason, type StreamEvent,
} from '../../types';
import {
  DEFAULT_MAX_RETRIES, TurnAssembler, cancelledError, classifyStatus, describeCause, interopDefault,
  isTransportFailure, malformedError, sdkUnavailable, networkError, parseRetryAfter, parseToolArguments, passThrough,
  type VendorProviderOptions,
} from '../common';

type Sdk = typeof OpenAiModule;
type Client = OpenAISdk;
type Chunk = OpenAISdk.Chat.Completions.ChatCompletionChunk;
type MessageParam = OpenAISdk.Chat.Completions.ChatCompletionMessageParam;

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1';

/** Offered by OpenAI itself when its model list cannot be read. */
export const OPENAI_DEFAULT_MODELS = ['gpt-5', 'gpt-5-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4o-mini'];

let sdk: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdk ??= import('openai').then((m) => interopDefault(m, 'OpenAI'));
  return sdk;
}

/** A server on this machine (Ollama, LM Studio, vLLM on localhost): no key needed, no cost. */
export function isLocalBaseUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '0.0.0.0';
  } catch {
    return false;
  }
}

export class OpenAiProvider implements ModelProvider {
  readonly id = 'openai' as const;
  readonly label: string;
  readonly baseUrl: string;
  // Private fields: neither JSON nor util.inspect shows them, so the key never lands in a log.
  readonly #opts: VendorProviderOptions;
  #client: Promise<Client> | undefined;

  constructor(opts: VendorProviderOptions) {
    this.#opts = { ...opts };
    this.baseUrl = opts.baseUrl ?? OPENAI_BASE_URL;
    this.label = opts.label ?? labelFor(this.baseUrl);
  }

  /** True for a server on this machine (costs nothing, needs no key). */
  get local(): boolean {
    return isLocalBaseUrl(this.baseUrl);
  }

  private getClient(): Promise<Client> {
    this.#client ??= loadSdk().then((m) => new m.OpenAI({
      // Local servers ignore the key, but the SDK insists on one.
      apiKey: this.#opts.apiKey ?? 'no-key',
      baseURL: this.baseUrl,
      organization: null,
      project: null,
      maxRetries: this.#opts.maxRetries ?? DEFAULT_MAX_RETRIES,
      ...(this.#opts.timeoutMs ? { timeout: this.#opts.timeoutMs } : {}),
    }), (err: unknown) => {
      this.#client = undefined;
      throw sdkUnavailable(this.id, this.label, err);
    });
    return this.#client;
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const configured = this.#opts.models?.length ? this.#opts.models : this.local ? [] : OPENAI_DEFAULT_MODELS;
    const fallback = configured.map((id) => ({ id, supportsTools: true }));
    try {
      const client = await this.getClient();
      const page = await client.models.list({ signal, maxRetries: 0 });
      let ids = page.data.map((m) => m.id);
      // OpenAI itself also lists embedding, image and audio models.
      if (this.baseUrl === OPENAI_BASE_URL) ids = ids.filter((id) => /^(gpt-|o\d|chatgpt-)/.test(id) && !/audio|realtime|image|transcribe|tts|search/.test(id));
      return ids.length ? ids.sort().map((id) => ({ id, supportsTools: true })) : fallback;
    } catch (err) {
      if (signal?.aborted) throw cancelledError(this.id, err);
      return fallback;
    }
  }

  /** Whether the server answers `GET /models` within `timeoutMs` (finds a running Ollama or LM Studio). */
  async probe(timeoutMs = 500): Promise<boolean> {
    try {
      const client = await this.getClient();
      await client.models.list({ timeout: timeoutMs, maxRetries: 0 });
      return true;
    } catch {
      return false;
    }
  }

  async chat(req: ChatRequest, onEvent?: (e: StreamEvent) => void): Promise<ChatResult> {
    if (!this.#opts.apiKey && !this.local) {
      throw new AiError('auth', `${this.label}: no API key`, this.id);
    }
    if (req.signal?.aborted) throw cancelledError(this.id);
    const turn = new TurnAssembler(this.id, req.model, onEvent);
    try {
      const client = await this.getClient();
      // The SDK retries (maxRetries, honouring retry-after) only until the response headers
      // arrive; once the answer streams nothing is retried — text already reached the caller.
      const stream = await client.chat.completions.create(toRequestBody(req, this.baseUrl === OPENAI_BASE_URL), { signal: req.signal });
      await this.consume(stream, turn);
      if (req.signal?.aborted) throw cancelledError(this.id);
      return turn.result();
    } catch (err) {
      throw this.classify(err, req.signal);
    }
  }

  private async consume(stream: AsyncIterable<Chunk>, turn: TurnAssembler): Promise<void> {
    const calls = new Map<number, { id: string; name: string; json: string }>();
    let finished = false;
    for await (const chunk of stream) {
      for (const choice of chunk.choices ?? []) {
        if (choice.index !== 0) continue;
        const delta = choice.delta ?? {};
        if (typeof delta.content === 'string') turn.addText(delta.content);
        for (const piece of delta.tool_calls ?? []) {
          const call = calls.get(piece.index) ?? { id: '', name: '', json: '' };
          if (piece.id) call.id = piece.id;
          if (piece.function?.name) call.name += piece.function.name;
          if (piece.function?.arguments) call.json += piece.function.arguments;
          calls.set(piece.index, call);
        }
        if (choice.finish_reason) {
          finished = true;
          turn.stopReason = stopReasonOf(choice.finish_reason);
        }
      }
      if (chunk.usage) {
        const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
        turn.setUsage({
          inputTokens: chunk.usage.prompt_tokens ?? 0,
          outputTokens: chunk.usage.completion_tokens ?? 0,
          ...(cached ? { cachedInputTokens: cached } : {}),
        });
      }
    }
    if (!finished) throw malformedError(this.id, this.label, 'the stream ended without a finish_reason (cut off)');
    for (const [index, call] of [...calls.entries()].sort((a, b) => a[0] - b[0])) {
      if (!call.name) throw malformedError(this.id, this.label, `tool call ${index} has no function name`);
      turn.addToolCall({
        id: call.id || `call_${index}`,
        name: call.name,
        arguments: parseToolArguments(this.id, this.label, call.name, call.json),
      });
    }
  }

  private classify(err: unknown, signal: AbortSignal | undefined): AiError {
    const known = passThrough(this.id, err, signal);
    if (known) return known;
    const e = err as { name?: string; status?: number; headers?: Headers; code?: unknown; type?: unknown; error?: unknown; message?: string };
    if (e?.name === 'APIUserAbortError') return cancelledError(this.id, err);
    if (e?.name === 'APIConnectionTimeoutError') {
      return new AiError('network', `${this.label}: the request timed out`, this.id, { cause: err });
    }
    if (e?.name === 'APIConnectionError') return networkError(this.id, this.label, err, this.baseUrl);
    if (err instanceof SyntaxError) return malformedError(this.id, this.label, `unreadable stream chunk (${err.message})`, err);
    // An HTTP error, or an error payload inside the stream (status undefined, body in `error`).
    if (typeof e?.status === 'number' || e?.error !== undefined) {
      const body = e.error as { message?: string; code?: unknown; type?: unknown } | undefined;
      // A mid-stream `{"error": …}` chunk (OpenRouter, vLLM) has no HTTP status; some carry it as `code`.
      const status = e.status ?? (typeof body?.code === 'number' ? body.code : 500);
      const code = [e.code, e.type, body?.code, body?.type].find((c): c is string => typeof c === 'string');
      return classifyStatus(this.id, this.label, {
        status,
        code,
        message: body?.message ?? e.message ?? '',
        retryAfterMs: e.headers && typeof e.headers.get === 'function' && e.status ? parseRetryAfter((n) => e.headers!.get(n)) : undefined,
        cause: err,
      });
    }
    if (isTransportFailure(err)) return networkError(this.id, this.label, err, this.baseUrl);
    return malformedError(this.id, this.label, describeCause(err), err);
  }
}

function labelFor(baseUrl: string): string {
  if (baseUrl === OPENAI_BASE_URL) return 'OpenAI';
  if (/:11434\b/.test(baseUrl)) return 'Ollama';
  if (/:1234\b/.test(baseUrl)) return 'LM Studio';
  if (/openrouter\.ai/.test(baseUrl)) return 'OpenRouter';
  return `OpenAI-compatible (${baseUrl})`;
}

function stopReasonOf(reason: string): StopReason {
  switch (reason) {
    case 'stop': return 'end';
    case 'tool_calls': case 'function_call': return 'tool-use';
    case 'length': return 'max-tokens';
    case 'content_filter': return 'refused';
    default: return 'other';
  }
}

/**
 * `official`: OpenAI itself wants `max_completion_tokens` (its reasoning models refuse `max_tokens`);
 * Ollama, LM Studio and older vLLM know only `max_tokens`.
 */
export function toRequestBody(req: ChatRequest, official = true): OpenAISdk.Chat.Completions.ChatCompletionCreateParamsStreaming {
  return {
    model: req.model,
    stream: true,
    stream_options: { include_usage: true },
    messages: toMessages(req.system, req.messages),
    ...(req.maxTokens !== undefined ? (official ? { max_completion_tokens: req.maxTokens } : { max_tokens: req.maxTokens }) : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.tools?.length
      ? { tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.inputSchema } })) }
      : {}),
  };
}

export function toMessages(system: string | undefined, messages: ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const m of messages) {
    switch (m.role) {
      case 'user':
        out.push({ role: 'user', content: m.content });
        break;
      case 'assistant':
        out.push({
          role: 'assistant',
          content: m.content || null,
          ...(m.toolCalls?.length
            ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) }
            : {}),
        });
        break;
      case 'tool':
        // The protocol has no error flag for a tool result; say it in the text.
        out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.isError ? `Error: ${m.content}` : m.content });
        break;
    }
  }
  return out;
}
