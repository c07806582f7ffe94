// A model that plays a fixed list of turns: text streamed as several deltas, tool calls, usage,
// an optional delay, or a thrown AiError. It honours the AbortSignal like a real provider, so the
// agent loop, the router and the CLI can be exercised (and demonstrated) offline.
import {
  AI_ERROR_KINDS, AiError, type AiErrorKind, type ChatRequest, type ChatResult, type ModelInfo, type ModelProvider,
  type ModelSession, type StopReason, type StreamEvent, type TokenUsage, type ToolCall,
} from '../../types';

/** One scripted answer (also the JSON shape of `rusty ask --provider scripted --script FILE`). */
export interface ScriptedTurn {
  /** Streamed in `chunks` deltas (default 4). */
  text?: string;
  toolCalls?: { id?: string; name: string; arguments?: Record<string, unknown> }[];
  /** Reported usage; default: a character-based estimate of the request and the answer. */
  usage?: TokenUsage;
  /** Milliseconds before the first delta and between deltas (default 0). */
  delayMs?: number;
  chunks?: number;
  stopReason?: StopReason;
  /** Thrown instead of answering (after `delayMs`). */
  error?: { kind: AiErrorKind; message?: string; retryAfterMs?: number; status?: number };
}

/** A turn, or a function of the request that makes one (tests craft answers from what was sent). */
export type ScriptStep = ScriptedTurn | ((req: ChatRequest, index: number) => ScriptedTurn);

export interface ScriptedProviderOptions {
  model?: string;
  label?: string;
}

const estimate = (chars: number) => Math.ceil(chars / 4);

function requestChars(req: ChatRequest): number {
  let n = (req.system ?? '').length;
  for (const m of req.messages) n += m.content.length + (m.role === 'assistant' && m.toolCalls ? JSON.stringify(m.toolCalls).length : 0);
  return n;
}

function cancelledError(): AiError {
  return new AiError('cancelled', 'The request was cancelled.', 'scripted');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelledError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function splitText(text: string, chunks: number): string[] {
  if (!text) return [];
  const n = Math.max(1, Math.min(chunks, text.length));
  const size = Math.ceil(text.length / n);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Checks a script read from JSON; throws one message naming the first bad turn. */
export function parseScript(value: unknown): ScriptedTurn[] {
  const turns = Array.isArray(value) ? value : (value as { turns?: unknown } | null)?.turns;
  if (!Array.isArray(turns)) throw new Error('A script is a JSON array of turns (or {"turns": [...]}).');
  turns.forEach((t: unknown, i) => {
    const at = `turns[${i}]`;
    if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new Error(`${at} must be an object like {"text": "...", "toolCalls": [...]}.`);
    const turn = t as Record<string, unknown>;
    if (turn['text'] !== undefined && typeof turn['text'] !== 'string') throw new Error(`${at}.text must be a string.`);
    if (turn['toolCalls'] !== undefined) {
      if (!Array.isArray(turn['toolCalls'])) throw new Error(`${at}.toolCalls must be an array.`);
      (turn['toolCalls'] as unknown[]).forEach((c, j) => {
        const call = c as Record<string, unknown> | null;
        if (!call || typeof call['name'] !== 'string') throw new Error(`${at}.toolCalls[${j}].name must be a string.`);
        if (call['arguments'] !== undefined && (typeof call['arguments'] !== 'object' || call['arguments'] === null || Array.isArray(call['arguments']))) {
          throw new Error(`${at}.toolCalls[${j}].arguments must be an object.`);
        }
      });
    }
    const err = turn['error'] as Record<string, unknown> | undefined;
    if (err !== undefined && (typeof err !== 'object' || err === null || !(AI_ERROR_KINDS as readonly string[]).includes(err['kind'] as string))) {
      throw new Error(`${at}.error.kind must be one of ${AI_ERROR_KINDS.join(', ')}.`);
    }
    for (const k of ['delayMs', 'chunks'] as const) {
      if (turn[k] !== undefined && (typeof turn[k] !== 'number' || (turn[k]) < 0)) throw new Error(`${at}.${k} must be a number ≥ 0.`);
    }
  });
  return turns as ScriptedTurn[];
}

export class ScriptedProvider implements ModelProvider {
  readonly id = 'scripted' as const;
  readonly label: string;
  readonly model: string;
  /** Every request received, in order (tests read what the loop sent back to the model). */
  readonly requests: ChatRequest[] = [];
  private next = 0;

  constructor(private readonly steps: readonly ScriptStep[], opts: ScriptedProviderOptions = {}) {
    this.model = opts.model ?? 'scripted';
    this.label = opts.label ?? 'Scripted model';
  }

  /** Turns not played yet. */
  get remaining(): number {
    return this.steps.length - this.next;
  }

  async listModels(): Promise<ModelInfo[]> {
    return [{ id: this.model, label: this.label, supportsTools: true }];
  }

  async chat(req: ChatRequest, onEvent?: (e: StreamEvent) => void): Promise<ChatResult> {
    const started = performance.now();
    const { signal } = req;
    if (signal?.aborted) throw cancelledError();
    this.requests.push({ ...req, messages: [...req.messages] });
    const index = this.next++;
    const step = this.steps[index];
    if (!step) throw new AiError('malformed-response', `The script has no turn ${index + 1} (it has ${this.steps.length}).`, 'scripted', { action: 'Add turns to the script, or lower --max-rounds.' });
    const turn = typeof step === 'function' ? step(req, index) : step;
    const delay = turn.delayMs ?? 0;
    await sleep(delay, signal);
    if (turn.error) {
      const e = turn.error;
      throw new AiError(e.kind, e.message ?? `Scripted ${e.kind} error.`, 'scripted', {
        ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
        ...(e.status !== undefined ? { status: e.status } : {}),
      });
    }
    let firstTokenMs: number | undefined;
    const text = turn.text ?? '';
    for (const [i, delta] of splitText(text, turn.chunks ?? 4).entries()) {
      if (i > 0) await sleep(delay, signal);
      else if (signal?.aborted) throw cancelledError();
      firstTokenMs ??= performance.now() - started;
      onEvent?.({ type: 'text', text: delta });
    }
    const toolCalls: ToolCall[] = (turn.toolCalls ?? []).map((c, i) => ({ id: c.id ?? `call_${index + 1}_${i + 1}`, name: c.name, arguments: c.arguments ?? {} }));
    for (const call of toolCalls) {
      if (signal?.aborted) throw cancelledError();
      firstTokenMs ??= performance.now() - started;
      onEvent?.({ type: 'tool-call', call });
    }
    const usage = turn.usage ?? { inputTokens: estimate(requestChars(req)), outputTokens: estimate(text.length + JSON.stringify(toolCalls).length) };
    onEvent?.({ type: 'usage', usage });
    if (signal?.aborted) throw cancelledError();
    return {
      provider: 'scripted',
      model: req.model || this.model,
      text,
      toolCalls,
      usage,
      stopReason: turn.stopReason ?? (toolCalls.length ? 'tool-use' : 'end'),
      latencyMs: performance.now() - started,
      ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
    };
  }
}

/** A ModelSession over a ScriptedProvider (no router, no budgets): for tests and offline demos. */
export function scriptedSession(steps: readonly ScriptStep[] | ScriptedProvider, opts: ScriptedProviderOptions = {}): ModelSession & { provider: ScriptedProvider } {
  const provider = steps instanceof ScriptedProvider ? steps : new ScriptedProvider(steps, opts);
  return {
    provider,
    choice: { provider: 'scripted', model: provider.model, rationale: 'Scripted model: replays a fixed script offline (no provider is contacted).' },
    chat: (req, onEvent) => provider.chat({ ...req, model: provider.model }, onEvent),
  };
}
