// What the vendor providers share: options, HTTP status → AiError, retry-after parsing, and the
// assembler that turns deltas into one ChatResult while reporting StreamEvents.
import { redactString } from '../../audit/redact';
import {
  AiError, isAiError, type ChatResult, type ProviderId, type StopReason, type StreamEvent, type TokenUsage,
  type ToolCall,
} from '../types';

export interface VendorProviderOptions {
  /** Absent for local OpenAI-compatible servers (Ollama, LM Studio), which need none. */
  apiKey?: string;
  /** Server root as the SDK expects it (OpenAI-compatible: ends in `/v1`). */
  baseUrl?: string;
  /**
   * Retries the SDK itself makes (honouring retry-after) for a request that failed before any byte
   * of the answer streamed. A stream that already delivered text is never retried.
   */
  maxRetries?: number;
  /** Per request, until the last byte (default 10 minutes, the SDKs' own default). */
  timeoutMs?: number;
  /** Models to offer when the server has no list (or as the whole list for a proxy). */
  models?: string[];
  /** Shown in pickers and messages ("OpenAI", "Ollama", …). */
  label?: string;
}

export const DEFAULT_MAX_RETRIES = 2;

/** Seconds (`retry-after: 20`), an HTTP date, or `retry-after-ms` → milliseconds from now. */
export function parseRetryAfter(get: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const ms = get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Math.round(Number(ms));
  const value = get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const CONTEXT_TOO_LONG =
  /prompt is too long|context[_ ]length|maximum context|context window|exceeds the maximum number of tokens|too many tokens|input is too long/i;

export function looksLikeContextTooLong(message: string): boolean {
  return CONTEXT_TOO_LONG.test(message);
}

/**
 * Vendor text goes into messages a terminal may print and logs keep: control characters out,
 * anything key-shaped redacted (a server may echo the key it refused), length capped.
 */
export function cleanVendorText(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = redactString(text).replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface StatusFacts {
  status: number;
  message: string;
  /** Vendor error type/code (`overloaded_error`, `context_length_exceeded`, `RESOURCE_EXHAUSTED`). */
  code?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/** An HTTP error status (or an error event carrying one) → the AiError kind and its action. */
export function classifyStatus(provider: ProviderId, label: string, f: StatusFacts): AiError {
  const msg = cleanVendorText(f.message);
  const code = f.code ?? '';
  const base = { status: f.status || undefined, cause: f.cause };
  const text = `${label}: ${msg || `HTTP ${f.status}`}`;
  if (f.status === 401 || f.status === 403 || /authentication|permission_error|PERMISSION_DENIED|UNAUTHENTICATED/.test(code)) {
    return new AiError('auth', text, provider, {
      ...base,
      action: `${label} refused the API key (HTTP ${f.status || code}): set a valid key (VS Code: "Rusty: Set API Key…"; CLI: ${envVarFor(provider)}).`,
    });
  }
  if (code === 'context_length_exceeded' || looksLikeContextTooLong(msg) || f.status === 413) {
    return new AiError('context-too-long', text, provider, base);
  }
  if (f.status === 429 || /rate_limit|RESOURCE_EXHAUSTED/.test(code)) {
    return new AiError('rate-limit', text, provider, { ...base, retryAfterMs: f.retryAfterMs });
  }
  if (f.status === 529 || f.status === 503 || /overloaded|UNAVAILABLE/.test(code)) {
    return new AiError('overloaded', text, provider, { ...base, retryAfterMs: f.retryAfterMs });
  }
  if (f.status >= 500 || /api_error|INTERNAL/.test(code)) return new AiError('server', text, provider, base);
  if (f.status >= 400) return new AiError('bad-request', text, provider, base);
  return new AiError('server', text, provider, base);
}

export function envVarFor(provider: ProviderId): string {
  switch (provider) {
    case 'anthropic': return 'ANTHROPIC_API_KEY';
    case 'openai': return 'OPENAI_API_KEY';
    case 'gemini': return 'GEMINI_API_KEY';
    default: return 'the provider\'s environment variable';
  }
}

export function cancelledError(provider: ProviderId, cause?: unknown): AiError {
  return new AiError('cancelled', 'Cancelled.', provider, { cause });
}

export function networkError(provider: ProviderId, label: string, err: unknown, baseUrl: string | undefined): AiError {
  const detail = cleanVendorText(describeCause(err));
  return new AiError('network', `${label}: connection failed${baseUrl ? ` (${baseUrl})` : ''}: ${detail}`, provider, { cause: err });
}

export function malformedError(provider: ProviderId, label: string, detail: string, cause?: unknown): AiError {
  return new AiError('malformed-response', `${label}: ${cleanVendorText(detail)}`, provider, { cause });
}

/** The innermost useful message of an error chain (undici hides the reason in `cause`). */
export function describeCause(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code;
      parts.push(typeof code === 'string' && !e.message.includes(code) ? `${e.message} (${code})` : e.message);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return [...new Set(parts)].join(': ') || 'unknown error';
}

/** Undici's signs of a body cut off or a socket closed under the reader. */
export function isTransportFailure(err: unknown): boolean {
  const text = describeCause(err);
  return /terminated|socket|ECONNRESET|ECONNREFUSED|EPIPE|other side closed|fetch failed|premature close|aborted|network/i.test(text);
}

/** Turns anything after an abort into 'cancelled' and re-throws AiErrors unchanged. */
export function passThrough(provider: ProviderId, err: unknown, signal: AbortSignal | undefined): AiError | undefined {
  // Whatever broke after the caller aborted (a cut body, a half event) is the cancellation.
  if (signal?.aborted) return isAiError(err) && err.kind === 'cancelled' ? err : cancelledError(provider, err);
  if (isAiError(err)) return err;
  return undefined;
}

/** Parses assembled tool-call arguments; anything but a JSON object is a malformed response. */
export function parseToolArguments(provider: ProviderId, label: string, name: string, json: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw malformedError(provider, label, `the arguments of tool call "${name}" are not valid JSON`, err);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw malformedError(provider, label, `the arguments of tool call "${name}" are not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Collects one streamed answer: text, tool calls, usage, timing; forwards deltas to `onEvent`. */
export class TurnAssembler {
  text = '';
  readonly toolCalls: ToolCall[] = [];
  usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  stopReason: StopReason = 'other';
  firstTokenMs: number | undefined;
  private readonly start = performance.now();

  constructor(
    private readonly provider: ProviderId,
    private readonly model: string,
    private readonly onEvent: ((e: StreamEvent) => void) | undefined,
  ) {}

  addText(text: string): void {
    if (!text) return;
    this.markFirstToken();
    this.text += text;
    this.onEvent?.({ type: 'text', text });
  }

  addToolCall(call: ToolCall): void {
    this.markFirstToken();
    this.toolCalls.push(call);
    this.onEvent?.({ type: 'tool-call', call });
  }

  setUsage(usage: TokenUsage): void {
    this.usage = usage;
    this.onEvent?.({ type: 'usage', usage });
  }

  result(): ChatResult {
    return {
      provider: this.provider,
      model: this.model,
      text: this.text,
      toolCalls: this.toolCalls,
      usage: this.usage,
      stopReason: this.stopReason,
      latencyMs: Math.round(performance.now() - this.start),
      ...(this.firstTokenMs !== undefined ? { firstTokenMs: this.firstTokenMs } : {}),
    };
  }

  private markFirstToken(): void {
    this.firstTokenMs ??= Math.round(performance.now() - this.start);
  }
}

/** The vendor SDK could not be loaded (a broken install): the router falls back to another provider. */
export function sdkUnavailable(provider: ProviderId, label: string, err: unknown): AiError {
  return new AiError('unavailable', `${label}: its SDK could not be loaded (${cleanVendorText(describeCause(err))})`, provider, {
    cause: err,
    action: 'Reinstall Rusty, or choose another provider.',
  });
}

/** Loads an SDK on first use; through the CLI's split ESM bundle a CommonJS module arrives as `default`. */
export function interopDefault<T extends object>(mod: T, probe: string): T {
  const withDefault = mod as T & { default?: T };
  return withDefault.default && typeof withDefault.default === 'object' && probe in withDefault.default
    ? withDefault.default
    : mod;
}
