// Gemini through @google/genai: `models.generateContentStream` (SSE, `streamGenerateContent?alt=sse`),
// function calls (whole per part in the Gemini API; several calls may come in separate chunks),
// usageMetadata. The SDK is imported on the first request only.
import type * as GenAi from '@google/genai';
import {
  AiError, type ChatMessage, type ChatRequest, type ChatResult, type ModelInfo, type ModelProvider,
  type StopReason, type StreamEvent,
} from '../../types';
import {
  DEFAULT_MAX_RETRIES, TurnAssembler, cancelledError, classifyStatus, describeCause, interopDefault,
  isTransportFailure, malformedError, sdkUnavailable, networkError, passThrough, type VendorProviderOptions,
} from '../common';

type Sdk = typeof GenAi;
type Client = GenAi.GoogleGenAI;

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';
/** The Gemini API often gives function calls no id: Rusty numbers them and never sends these back. */
const SYNTHETIC_ID = 'gemini-call-';

export const GEMINI_DEFAULT_MODELS = ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite'];

let sdk: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdk ??= import('@google/genai').then((m) => interopDefault(m, 'GoogleGenAI'));
  return sdk;
}

export class GeminiProvider implements ModelProvider {
  readonly id = 'gemini' as const;
  readonly label: string;
  // Private fields: neither JSON nor util.inspect shows them, so the key never lands in a log.
  readonly #opts: VendorProviderOptions;
  #client: Promise<Client> | undefined;

  constructor(opts: VendorProviderOptions) {
    this.#opts = { ...opts };
    this.label = opts.label ?? 'Gemini';
  }

  private getClient(): Promise<Client> {
    this.#client ??= loadSdk().then((m) => new m.GoogleGenAI({
      apiKey: this.#opts.apiKey,
      vertexai: false,
      httpOptions: {
        baseUrl: this.#opts.baseUrl ?? GEMINI_BASE_URL,
        ...(this.#opts.timeoutMs ? { timeout: this.#opts.timeoutMs } : {}),
      },
    }), (err: unknown) => {
      this.#client = undefined;
      throw sdkUnavailable(this.id, this.label, err);
    });
    return this.#client;
  }

  /** @google/genai retries with its own backoff (it does not read retry-after); `attempts` counts the first call. */
  private retryOptions(): GenAi.HttpRetryOptions | undefined {
    const retries = this.#opts.maxRetries ?? DEFAULT_MAX_RETRIES;
    return retries > 0 ? { attempts: retries + 1 } : undefined;
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const fallback = (this.#opts.models?.length ? this.#opts.models : GEMINI_DEFAULT_MODELS).map((id) => ({ id, supportsTools: true }));
    if (!this.#opts.apiKey) return fallback;
    try {
      const client = await this.getClient();
      const out: ModelInfo[] = [];
      const pager = await client.models.list({ config: { pageSize: 100, abortSignal: signal } });
      for await (const m of pager) {
        if (!m.name || !(m.supportedActions ?? ['generateContent']).includes('generateContent')) continue;
        out.push({
          id: m.name.replace(/^models\//, ''),
          ...(m.displayName ? { label: m.displayName } : {}),
          ...(m.inputTokenLimit ? { contextWindow: m.inputTokenLimit } : {}),
          ...(m.outputTokenLimit ? { maxOutputTokens: m.outputTokenLimit } : {}),
          supportsTools: true,
        });
        if (out.length >= 200) break;
      }
      return out.length ? out : fallback;
    } catch (err) {
      if (signal?.aborted) throw cancelledError(this.id, err);
      return fallback;
    }
  }

  async chat(req: ChatRequest, onEvent?: (e: StreamEvent) => void): Promise<ChatResult> {
    if (!this.#opts.apiKey) throw new AiError('auth', `${this.label}: no API key`, this.id);
    if (req.signal?.aborted) throw cancelledError(this.id);
    const turn = new TurnAssembler(this.id, req.model, onEvent);
    try {
      const client = await this.getClient();
      // The SDK retries (retryOptions) only a request that failed before its response arrived;
      // once the answer streams nothing is retried — text already reached the caller.
      const stream = await client.models.generateContentStream(toRequest(req, this.retryOptions()));
      await this.consume(stream, turn);
      if (req.signal?.aborted) throw cancelledError(this.id);
      return turn.result();
    } catch (err) {
      throw this.classify(err, req.signal);
    }
  }

  private async consume(stream: AsyncIterable<GenAi.GenerateContentResponse>, turn: TurnAssembler): Promise<void> {
    let finish: string | undefined;
    let calls = 0;
    let usage: GenAi.GenerateContentResponseUsageMetadata | undefined;
    for await (const chunk of stream) {
      const candidate = chunk.candidates?.[0];
      for (const part of candidate?.content?.parts ?? []) {
        if (part.thought) continue;
        if (typeof part.text === 'string') turn.addText(part.text);
        if (part.functionCall) {
          const fc = part.functionCall;
          if (!fc.name) throw malformedError(this.id, this.label, 'a function call without a name');
          const args = fc.args ?? {};
          if (typeof args !== 'object' || Array.isArray(args)) {
            throw malformedError(this.id, this.label, `the arguments of function call "${fc.name}" are not a JSON object`);
          }
          turn.addToolCall({
            id: fc.id ?? `${SYNTHETIC_ID}${calls}`,
            name: fc.name,
            arguments: args,
            ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}),
          });
          calls++;
        }
      }
      if (candidate?.finishReason) finish = candidate.finishReason;
      if (chunk.usageMetadata) usage = chunk.usageMetadata;
      if (chunk.promptFeedback?.blockReason) {
        turn.stopReason = 'refused';
        finish = finish ?? 'BLOCKED';
      }
    }
    // The Gemini stream has no end marker: a stream without a finish reason was cut off.
    if (!finish) throw malformedError(this.id, this.label, 'the stream ended without a finish reason (cut off)');
    if (turn.stopReason !== 'refused') turn.stopReason = stopReasonOf(finish, calls > 0);
    if (usage) {
      const cached = usage.cachedContentTokenCount ?? 0;
      turn.setUsage({
        inputTokens: (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0),
        // Thinking tokens are billed as output.
        outputTokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
        ...(cached ? { cachedInputTokens: cached } : {}),
      });
    }
  }

  private classify(err: unknown, signal: AbortSignal | undefined): AiError {
    const known = passThrough(this.id, err, signal);
    if (known) return known;
    const e = err as { name?: string; status?: number; message?: string };
    if (e?.name === 'AbortError') return cancelledError(this.id, err);
    if (e?.name === 'ApiError' && typeof e.status === 'number') {
      // The SDK puts the JSON error body into the message (mid-stream: "got status: X. {…}").
      const body = parseErrorBody(e.message ?? '');
      // A wrong key is 400 INVALID_ARGUMENT with reason API_KEY_INVALID, not 401.
      const badKey = body?.reason === 'API_KEY_INVALID' || /API key not valid/i.test(body?.message ?? '');
      return classifyStatus(this.id, this.label, {
        status: e.status,
        code: badKey ? 'UNAUTHENTICATED' : body?.status,
        message: body?.message ?? e.message ?? '',
        retryAfterMs: body?.retryAfterMs,
        cause: err,
      });
    }
    if (err instanceof SyntaxError || /exception parsing stream chunk|Incomplete JSON segment/.test(e?.message ?? '')) {
      return malformedError(this.id, this.label, `unreadable stream chunk (${describeCause(err)})`, err);
    }
    if (isTransportFailure(err)) return networkError(this.id, this.label, err, this.#opts.baseUrl);
    return malformedError(this.id, this.label, describeCause(err), err);
  }
}

/** `{error:{code,message,status,details:[{@type: …RetryInfo, retryDelay: "30s"}]}}` out of an SDK message. */
export function parseErrorBody(message: string): { message?: string; status?: string; reason?: string; retryAfterMs?: number } | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  let json: unknown;
  try { json = JSON.parse(message.slice(start)); } catch { return undefined; }
  const error = (json as { error?: { message?: unknown; status?: unknown; details?: unknown } })?.error;
  if (!error || typeof error !== 'object') return undefined;
  let retryAfterMs: number | undefined;
  let reason: string | undefined;
  if (Array.isArray(error.details)) {
    for (const d of error.details as { '@type'?: unknown; retryDelay?: unknown; reason?: unknown }[]) {
      const type = String(d?.['@type']);
      const m = typeof d?.retryDelay === 'string' && /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay);
      if (m && type.endsWith('google.rpc.RetryInfo')) retryAfterMs = Math.round(Number(m[1]) * 1000);
      if (typeof d?.reason === 'string' && type.endsWith('google.rpc.ErrorInfo')) reason = d.reason;
    }
  }
  return {
    ...(typeof error.message === 'string' ? { message: error.message } : {}),
    ...(typeof error.status === 'string' ? { status: error.status } : {}),
    ...(reason ? { reason } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

function stopReasonOf(reason: string, calledTools: boolean): StopReason {
  switch (reason) {
    case 'STOP': return calledTools ? 'tool-use' : 'end';
    case 'MAX_TOKENS': return 'max-tokens';
    case 'SAFETY': case 'RECITATION': case 'BLOCKLIST': case 'PROHIBITED_CONTENT': case 'SPII': case 'IMAGE_SAFETY': case 'BLOCKED':
      return 'refused';
    default: return calledTools ? 'tool-use' : 'other';
  }
}

export function toRequest(req: ChatRequest, retryOptions?: GenAi.HttpRetryOptions): GenAi.GenerateContentParameters {
  return {
    model: req.model,
    contents: toContents(req.messages),
    config: {
      ...(req.system ? { systemInstruction: req.system } : {}),
      ...(req.maxTokens !== undefined ? { maxOutputTokens: req.maxTokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.tools?.length
        ? { tools: [{ functionDeclarations: req.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.inputSchema })) }] }
        : {}),
      // One request, one answer: no automatic function calling and no hidden continuation hops.
      automaticFunctionCalling: { disable: true },
      automaticContinuation: false,
      ...(req.signal ? { abortSignal: req.signal } : {}),
      ...(retryOptions ? { httpOptions: { retryOptions } } : {}),
    },
  };
}

/** Gemini's roles are user and model; function results go back as functionResponse parts. */
export function toContents(messages: ChatMessage[]): GenAi.Content[] {
  const out: GenAi.Content[] = [];
  const push = (role: 'user' | 'model', parts: GenAi.Part[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.parts!.push(...parts);
    else out.push({ role, parts });
  };
  for (const m of messages) {
    switch (m.role) {
      case 'user':
        push('user', [{ text: m.content }]);
        break;
      case 'assistant':
        push('model', [
          ...(m.content ? [{ text: m.content }] : []),
          ...(m.toolCalls ?? []).map((c) => ({
            functionCall: { name: c.name, args: c.arguments, ...(c.id.startsWith(SYNTHETIC_ID) ? {} : { id: c.id }) },
            ...(c.signature ? { thoughtSignature: c.signature } : {}),
          })),
        ]);
        break;
      case 'tool':
        push('user', [{
          functionResponse: {
            name: m.name,
            ...(m.toolCallId.startsWith(SYNTHETIC_ID) ? {} : { id: m.toolCallId }),
            response: m.isError ? { error: m.content } : { output: m.content },
          },
        }]);
        break;
    }
  }
  return out;
}
