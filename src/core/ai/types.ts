// The one interface every model provider implements (src/core/ai/providers/<name>/), and the
// shapes the router, budgets and the agent loop share. Vendor SDK types never leave a provider
// folder: a provider translates its SDK's stream into these events and its errors into AiError.

/** Providers Rusty knows. `vscode-lm` is served by the extension through the LanguageModels port. */
export const PROVIDER_IDS = ['vscode-lm', 'anthropic', 'openai', 'gemini', 'scripted'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** A tool the model may call: JSON-schema input, as every vendor accepts. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** A tool call the model made; `arguments` is the parsed JSON object (a provider assembles chunks). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /** Opaque vendor token that must go back with this call in the next request (Gemini thought signature). */
  signature?: string;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the vendor's prompt cache, when it says. */
  cachedInputTokens?: number;
  /** Input tokens written to the vendor's prompt cache (Anthropic `cache_creation_input_tokens`). */
  cacheWriteInputTokens?: number;
  /** Not reported by the vendor: counted by Rusty (see router/tokens.ts `estimateTokens`). */
  estimated?: boolean;
}

export type StopReason = 'end' | 'tool-use' | 'max-tokens' | 'refused' | 'other';

export interface ChatRequest {
  model: string;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens?: number;
  temperature?: number;
  /** Cancels the request and the stream at any moment; the provider then throws AiError 'cancelled'. */
  signal?: AbortSignal;
}

/** What a provider reports while the answer streams in. */
export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; call: ToolCall }
  /** The usage so far (cumulative; a provider may report it more than once, the last one counts). */
  | { type: 'usage'; usage: TokenUsage };

export interface ChatResult {
  provider: ProviderId;
  model: string;
  text: string;
  toolCalls: ToolCall[];
  usage: TokenUsage;
  stopReason: StopReason;
  /** Wall time from sending to the last byte, and to the first token. */
  latencyMs: number;
  firstTokenMs?: number;
}

export interface ModelInfo {
  id: string;
  label?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  supportsTools: boolean;
}

export interface ModelProvider {
  readonly id: ProviderId;
  readonly label: string;
  /** Models the server offers (where it has a list), else the known defaults. */
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  /** Streams one answer; `onEvent` sees every delta. Throws AiError on every failure. */
  chat(req: ChatRequest, onEvent?: (e: StreamEvent) => void): Promise<ChatResult>;
}

/** Failure classes, each with one resolution. */
export const AI_ERROR_KINDS = [
  'auth', 'rate-limit', 'overloaded', 'context-too-long', 'network', 'bad-request', 'server',
  'cancelled', 'budget', 'unavailable', 'malformed-response',
] as const;
export type AiErrorKind = (typeof AI_ERROR_KINDS)[number];

/**
 * retry: the same provider again after a backoff (only where nothing was streamed yet);
 * fallback: the next provider the router has; user: nothing automatic, `action` says what to do.
 */
export type AiResolution = 'retry' | 'fallback' | 'user';

export class AiError extends Error {
  constructor(
    readonly kind: AiErrorKind,
    message: string,
    readonly provider: ProviderId | undefined,
    readonly opts: { status?: number; retryAfterMs?: number; action?: string; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'AiError';
  }

  get resolution(): AiResolution {
    return resolutionOf(this.kind);
  }

  get retryAfterMs(): number | undefined {
    return this.opts.retryAfterMs;
  }

  /** One sentence the user can act on. */
  get action(): string {
    return this.opts.action ?? defaultAction(this.kind, this.provider);
  }
}

export function isAiError(err: unknown): err is AiError {
  return err instanceof AiError;
}

export function resolutionOf(kind: AiErrorKind): AiResolution {
  switch (kind) {
    case 'rate-limit': case 'overloaded': case 'network': case 'server': case 'malformed-response': return 'retry';
    case 'context-too-long': case 'unavailable': return 'fallback';
    case 'auth': case 'bad-request': case 'cancelled': case 'budget': return 'user';
  }
}

function defaultAction(kind: AiErrorKind, provider: ProviderId | undefined): string {
  const p = provider ?? 'the provider';
  switch (kind) {
    case 'auth': return `Set a valid API key for ${p} (VS Code: "Rusty: Set API Key…"; CLI: the provider's environment variable).`;
    case 'rate-limit': return `${p} is rate-limiting this key: wait and try again, or choose another provider.`;
    case 'overloaded': return `${p} is overloaded: try again in a moment or choose another provider.`;
    case 'context-too-long': return 'The request is larger than the model accepts: name fewer files or choose a model with a larger context.';
    case 'network': return `${p} could not be reached: check the network or the base URL.`;
    case 'bad-request': return `${p} refused the request as malformed: this is a bug in Rusty or an unsupported model option.`;
    case 'server': return `${p} failed on its side: try again later.`;
    case 'cancelled': return 'Cancelled; nothing was proposed.';
    case 'budget': return 'Raise the budget in the settings (rusty.ai.budget.*) or wait for the daily budget to reset.';
    case 'unavailable': return 'Set an API key (VS Code: "Rusty: Set API Key…"; CLI: ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY) or start a local server (Ollama, LM Studio).';
    case 'malformed-response': return `${p} sent a response Rusty could not read: try again or choose another model.`;
  }
}

/** What the router classifies a request into before choosing a provider and model. */
export const TASK_KINDS = ['explain', 'fix', 'refactor', 'generate-tests', 'debug'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface TaskProfile {
  kind: TaskKind;
  /** Estimated input tokens of the context the request will carry. */
  contextTokens: number;
  needsTools: boolean;
  urgency: 'interactive' | 'background';
}

export interface RouteChoice {
  provider: ProviderId;
  model: string;
  /** One sentence: why this provider and model (shown to the user). */
  rationale: string;
}

/**
 * A routed model: what the agent loop talks to. Each `chat` is checked against the budgets before
 * anything is sent (AiError 'budget'), recorded in the per-provider metrics, and falls back to the
 * next choice on a 'fallback' error before any text streamed.
 */
export interface ModelSession {
  readonly choice: RouteChoice;
  chat(req: Omit<ChatRequest, 'model'>, onEvent?: (e: StreamEvent) => void): Promise<ChatResult>;
}
