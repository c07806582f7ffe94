// Anthropic Messages API through @anthropic-ai/sdk, streamed (`stream: true`): text deltas,
// tool_use blocks assembled from their input_json_delta pieces, usage from message_start and
// message_delta (reported as it arrives, so a cut stream's spend is known; cache writes and reads
// apart, as Anthropic prices them). The SDK is imported on the first request only.
import type AnthropicSdk from '@anthropic-ai/sdk';
import type * as AnthropicModule from '@anthropic-ai/sdk';
import {
  AiError, type ChatMessage, type ChatRequest, type ChatResult, type ModelInfo, type ModelProvider,
  type StopReason, type StreamEvent,
} from '../../types';
import {
  DEFAULT_MAX_RETRIES, TurnAssembler, cancelledError, classifyStatus, describeCause, interopDefault,
  isTransportFailure, malformedError, sdkUnavailable, networkError, parseRetryAfter, parseToolArguments, passThrough,
  type VendorProviderOptions,
} from '../common';

type Sdk = typeof AnthropicModule;
type Client = AnthropicSdk;
type MessageParam = AnthropicSdk.MessageParam;
type ContentBlockParam = AnthropicSdk.ContentBlockParam;
type StreamEventWire = AnthropicSdk.RawMessageStreamEvent;

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
const DEFAULT_MAX_TOKENS = 8192;

/** Offered when the models endpoint cannot be read. */
export const ANTHROPIC_DEFAULT_MODELS = ['claude-sonnet-4-5', 'claude-opus-4-5', 'claude-haiku-4-5'];

let sdk: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdk ??= import('@anthropic-ai/sdk').then((m) => interopDefault(m, 'Anthropic'));
  return sdk;
}

export class AnthropicProvider implements ModelProvider {
  readonly id = 'anthropic' as const;
  readonly label: string;
  // Private fields: neither JSON nor util.inspect shows them, so the key never lands in a log.
  readonly #opts: VendorProviderOptions;
  #client: Promise<Client> | undefined;

  constructor(opts: VendorProviderOptions) {
    this.#opts = { ...opts };
    this.label = opts.label ?? 'Anthropic';
  }

  private getClient(): Promise<Client> {
    this.#client ??= loadSdk().then((m) => new m.Anthropic({
      apiKey: this.#opts.apiKey ?? null,
      authToken: null,
      baseURL: this.#opts.baseUrl ?? ANTHROPIC_BASE_URL,
      maxRetries: this.#opts.maxRetries ?? DEFAULT_MAX_RETRIES,
      ...(this.#opts.timeoutMs ? { timeout: this.#opts.timeoutMs } : {}),
    }), (err: unknown) => {
      this.#client = undefined;
      throw sdkUnavailable(this.id, this.label, err);
    });
    return this.#client;
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const fallback = (this.#opts.models?.length ? this.#opts.models : ANTHROPIC_DEFAULT_MODELS)
      .map((id) => ({ id, supportsTools: true }));
    if (!this.#opts.apiKey) return fallback;
    try {
      const client = await this.getClient();
      const page = await client.models.list({ limit: 100 }, { signal, maxRetries: 0 });
      // A proxy may omit the limits and lifecycle: read them when present.
      const models = page.data
        .filter((m) => m.lifecycle !== 'retired')
        .map((m) => ({
          id: m.id, label: m.display_name,
          ...(m.max_input_tokens ? { contextWindow: m.max_input_tokens } : {}),
          ...(m.max_tokens ? { maxOutputTokens: m.max_tokens } : {}),
          supportsTools: true,
        }));
      return models.length ? models : fallback;
    } catch (err) {
      if (signal?.aborted) throw cancelledError(this.id, err);
      return fallback;
    }
  }

  async chat(req: ChatRequest, onEvent?: (e: StreamEvent) => void): Promise<ChatResult> {
    if (!this.#opts.apiKey) {
      throw new AiError('auth', `${this.label}: no API key`, this.id);
    }
    if (req.signal?.aborted) throw cancelledError(this.id);
    const turn = new TurnAssembler(this.id, req.model, onEvent);
    try {
      const client = await this.getClient();
      // The SDK retries (maxRetries, honouring retry-after) only until the response headers
      // arrive; once the answer streams nothing is retried — text already reached the caller.
      const stream = await client.messages.create(toRequestBody(req), { signal: req.signal });
      await this.consume(stream, turn);
      // The SDK ends its iterator quietly when the signal aborts mid-stream.
      if (req.signal?.aborted) throw cancelledError(this.id);
      return turn.result();
    } catch (err) {
      throw this.classify(err, req.signal);
    }
  }

  private async consume(stream: AsyncIterable<StreamEventWire>, turn: TurnAssembler): Promise<void> {
    const tools = new Map<number, { id: string; name: string; json: string }>();
    let input = 0, output = 0, cacheRead = 0, cacheWrite = 0;
    let stopped = false;
    const usage = () => ({
      // Anthropic counts cache reads and writes apart from `input_tokens`; all of it was sent.
      inputTokens: input + cacheRead + cacheWrite,
      outputTokens: output,
      ...(cacheRead ? { cachedInputTokens: cacheRead } : {}),
      ...(cacheWrite ? { cacheWriteInputTokens: cacheWrite } : {}),
    });
    for await (const ev of stream) {
      switch (ev.type) {
        case 'message_start': {
          const u = ev.message.usage;
          input = u.input_tokens ?? 0;
          output = u.output_tokens ?? 0;
          cacheRead = u.cache_read_input_tokens ?? 0;
          cacheWrite = u.cache_creation_input_tokens ?? 0;
          // Reported now: a stream cut later was still charged for its input.
          turn.setUsage(usage());
          break;
        }
        case 'content_block_start':
          if (ev.content_block.type === 'tool_use') {
            tools.set(ev.index, { id: ev.content_block.id, name: ev.content_block.name, json: '' });
          } else if (ev.content_block.type === 'text') {
            turn.addText(ev.content_block.text);
          }
          break;
        case 'content_block_delta':
          if (ev.delta.type === 'text_delta') turn.addText(ev.delta.text);
          else if (ev.delta.type === 'input_json_delta') {
            const tool = tools.get(ev.index);
            if (!tool) throw malformedError(this.id, this.label, `input_json_delta for block ${ev.index}, which is not a tool_use block`);
            tool.json += ev.delta.partial_json;
          }
          break;
        case 'content_block_stop': {
          const tool = tools.get(ev.index);
          if (tool) {
            tools.delete(ev.index);
            turn.addToolCall({ id: tool.id, name: tool.name, arguments: parseToolArguments(this.id, this.label, tool.name, tool.json) });
          }
          break;
        }
        case 'message_delta': {
          const u = ev.usage;
          // Cumulative counts; input figures appear here only when they changed.
          output = u.output_tokens ?? output;
          input = u.input_tokens ?? input;
          cacheRead = u.cache_read_input_tokens ?? cacheRead;
          cacheWrite = u.cache_creation_input_tokens ?? cacheWrite;
          turn.stopReason = stopReasonOf(ev.delta.stop_reason);
          turn.setUsage(usage());
          break;
        }
        case 'message_stop':
          stopped = true;
          break;
      }
    }
    if (!stopped) {
      throw malformedError(this.id, this.label, 'the stream ended before message_stop (cut off)');
    }
  }

  private classify(err: unknown, signal: AbortSignal | undefined): AiError {
    const known = passThrough(this.id, err, signal);
    if (known) return known;
    const e = err as { name?: string; status?: number; headers?: Headers; type?: string | null; error?: unknown; message?: string };
    if (e?.name === 'APIUserAbortError') return cancelledError(this.id, err);
    if (e?.name === 'APIConnectionTimeoutError') {
      return new AiError('network', `${this.label}: the request timed out`, this.id, { cause: err });
    }
    if (e?.name === 'APIConnectionError') return networkError(this.id, this.label, err, this.#opts.baseUrl);
    if (err instanceof SyntaxError) return malformedError(this.id, this.label, `unreadable stream event (${err.message})`, err);
    if (typeof e?.type === 'string' || typeof e?.status === 'number') {
      // An HTTP error, or an `event: error` inside a stream (no status; its type says what happened).
      const body = e.error as { error?: { message?: string } } | undefined;
      const status = e.status ?? statusOfErrorType(e.type ?? '');
      return classifyStatus(this.id, this.label, {
        status,
        code: e.type ?? undefined,
        message: body?.error?.message ?? e.message ?? '',
        retryAfterMs: e.headers && typeof e.headers.get === 'function' && e.status ? parseRetryAfter((n) => e.headers!.get(n)) : undefined,
        cause: err,
      });
    }
    if (isTransportFailure(err)) return networkError(this.id, this.label, err, this.#opts.baseUrl);
    return malformedError(this.id, this.label, describeCause(err), err);
  }
}

/** The HTTP status Anthropic documents for each error type (used for `event: error` in a stream). */
function statusOfErrorType(type: string): number {
  switch (type) {
    case 'invalid_request_error': return 400;
    case 'authentication_error': return 401;
    case 'permission_error': return 403;
    case 'not_found_error': return 404;
    case 'request_too_large': return 413;
    case 'rate_limit_error': return 429;
    case 'overloaded_error': return 529;
    case 'timeout_error': return 504;
    default: return 500;
  }
}

function stopReasonOf(reason: string | null | undefined): StopReason {
  switch (reason) {
    case 'end_turn': case 'stop_sequence': return 'end';
    case 'tool_use': return 'tool-use';
    case 'max_tokens': case 'model_context_window_exceeded': return 'max-tokens';
    case 'refusal': return 'refused';
    default: return 'other';
  }
}

export function toRequestBody(req: ChatRequest): AnthropicSdk.MessageCreateParamsStreaming {
  return {
    model: req.model,
    max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS,
    stream: true,
    messages: toMessages(req.messages),
    ...(req.system ? { system: req.system } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.tools?.length
      ? { tools: req.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema as AnthropicSdk.Tool.InputSchema })) }
      : {}),
  };
}

/** Tool results travel as tool_result blocks in a user turn; consecutive same-role turns merge. */
export function toMessages(messages: ChatMessage[]): MessageParam[] {
  const out: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    switch (m.role) {
      case 'user':
        push('user', [{ type: 'text', text: m.content }]);
        break;
      case 'assistant':
        push('assistant', [
          ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
          ...(m.toolCalls ?? []).map((c) => ({ type: 'tool_use' as const, id: c.id, name: c.name, input: c.arguments })),
        ]);
        break;
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, ...(m.isError ? { is_error: true } : {}) }]);
        break;
    }
  }
  // A lone text block is sent as a plain string, the common form.
  return out.map((m) => {
    const only = m.content.length === 1 ? m.content[0] : undefined;
    return only?.type === 'text' ? { role: m.role, content: only.text } : m;
  });
}
