// A routed model session: what the agent loop talks to. Each chat is checked against the budgets
// before anything is sent (per task = this session, per day = the ledger on disk, so other
// sessions and processes count), recorded in the metrics after, retried with backoff on
// 'retry'-class errors and moved to the next choice on 'fallback'-class errors — both only while
// nothing has streamed yet (the caller has seen no text, so nothing is shown twice).
import { AiError, isAiError, type ChatRequest, type ChatResult, type ModelProvider, type ModelSession, type RouteChoice, type StreamEvent, type TaskKind, type TokenUsage } from '../types';
import { checkBudget, type BudgetCaps, type Spent } from '../budget/caps';
import type { Reservation, SpendLedger } from '../budget/ledger';
import type { MetricsStore } from '../metrics/store';
import { costUsd, maxOutputFor, usageUsd, type ModelCapabilities } from './catalog';
import type { RoutePlan } from './route';
import { countRequestTokens, estimateTokens } from './tokens';

/** Which provider instance serves a choice; a plain list is searched by provider id. */
export type ProviderLookup = readonly ModelProvider[] | ((choice: RouteChoice) => ModelProvider | undefined);

export interface SessionBudgets {
  caps: BudgetCaps;
  ledger: SpendLedger;
}

/** What the session did on its own, for the log / progress line. */
export type SessionEvent =
  | { type: 'retry'; choice: RouteChoice; attempt: number; delayMs: number; error: AiError; message: string }
  | { type: 'fallback'; from: RouteChoice; to: RouteChoice; error: AiError; message: string }
  | { type: 'refused'; choice: RouteChoice; error: AiError; message: string };

export interface SessionOptions {
  /** Recorded with each outcome (the router ranks by success on this kind of task). Default: the plan's. */
  task?: TaskKind;
  /** Capabilities and prices (default: the plan's ranked models). */
  models?: readonly ModelCapabilities[];
  onEvent?: (e: SessionEvent) => void;
  /** A metrics or spend write that failed (the answer is still returned). */
  onWarning?: (message: string) => void;
  /** Attempts per choice for 'retry'-class errors (default 3). */
  maxAttempts?: number;
  /** Backoff: base × 2^(attempt−1), or the server's retry-after; above maxDelayMs no retry. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface RoutedSession extends ModelSession {
  /** Tokens and dollars this session (task) has used so far. */
  readonly spent: Spent;
}

function sleep(ms: number, signal: AbortSignal | undefined, provider: RouteChoice['provider']): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AiError('cancelled', 'The request was cancelled.', provider));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AiError('cancelled', 'The request was cancelled.', provider));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const k = (c: { provider: string; model: string }) => `${c.provider}/${c.model}`;

export function createModelSession(
  plan: RouteChoice | RoutePlan,
  providers: ProviderLookup,
  budgets: SessionBudgets,
  metrics: MetricsStore,
  opts: SessionOptions = {},
): RoutedSession {
  const chain: RouteChoice[] = 'fallbacks' in plan ? [plan.choice, ...plan.fallbacks] : [plan];
  const caps = new Map((opts.models ?? ('ranked' in plan ? plan.ranked.map((r) => r.caps) : [])).map((c) => [k(c), c]));
  const task = opts.task ?? ('profile' in plan ? plan.profile.kind : undefined);
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
  const baseDelay = opts.baseDelayMs ?? 500;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  const warn = opts.onWarning ?? (() => undefined);
  const spent: Spent = { tokens: 0, usd: 0 };
  // Worst cases of this session's requests still in flight (the agent may send two at once).
  const inFlight: Spent = { tokens: 0, usd: 0 };
  let at = 0;

  /** Metrics for one attempt; `usage` is what the vendor charged (answered, or cut mid-stream). */
  const record = async (choice: RouteChoice, ok: boolean, latencyMs: number, usage?: TokenUsage, error?: AiError) => {
    const c = caps.get(k(choice));
    const tokensIn = usage?.inputTokens ?? 0;
    const tokensOut = usage?.outputTokens ?? 0;
    const usd = (usage ? usageUsd(c?.price, usage) : 0) ?? 0;
    if (usage) {
      spent.tokens += tokensIn + tokensOut;
      spent.usd += usd;
    }
    try {
      await metrics.record({
        provider: choice.provider, model: choice.model, ...(task ? { task } : {}), ok, ...(error ? { errorKind: error.kind } : {}),
        latencyMs, tokensIn, tokensOut, costUsd: usd, ...(usage?.estimated ? { estimated: true } : {}),
      });
    } catch (err) {
      warn(`AI metrics could not be saved (${(err as Error).message}).`);
    }
    return usage ? { tokens: tokensIn + tokensOut, usd } : undefined;
  };

  /**
   * What a request that failed after the vendor started answering cost: the usage it reported so
   * far (Anthropic reports the input at message_start), else the counted input; the output is at
   * least the text and tool calls that streamed, counted for the vendor. Undefined when nothing
   * reached us (a refused request is not charged).
   */
  const partialUsage = async (choice: RouteChoice, inputTokens: number, reported: TokenUsage | undefined, streamedText: string): Promise<TokenUsage | undefined> => {
    if (!reported && !streamedText) return undefined;
    const counted = await estimateTokens(streamedText, choice.provider, choice.model);
    const outputTokens = Math.max(reported?.outputTokens ?? 0, counted);
    return {
      inputTokens: reported?.inputTokens ?? inputTokens, outputTokens,
      ...(reported?.cachedInputTokens ? { cachedInputTokens: reported.cachedInputTokens } : {}),
      ...(reported?.cacheWriteInputTokens ? { cacheWriteInputTokens: reported.cacheWriteInputTokens } : {}),
      ...(!reported || reported.estimated || outputTokens > reported.outputTokens ? { estimated: true } : {}),
    };
  };

  /** The day's spend: the reservation becomes the actual usage (or is dropped when nothing was answered). */
  const settle = async (r: Reservation, used: Spent | undefined) => {
    try {
      if (used) await r.settle(used.tokens, used.usd);
      else await r.release();
    } catch (err) {
      warn(`The daily AI spend could not be saved (${(err as Error).message}); today's budget may under-count ${used?.tokens ?? 0} tokens.`);
    }
  };

  const lookup = (x: RouteChoice) => (typeof providers === 'function' ? providers(x) : providers.find((p) => p.id === x.provider));

  const chat = async (req: Omit<ChatRequest, 'model'>, onEvent?: (e: StreamEvent) => void): Promise<ChatResult> => {
    // Counted per vendor (each tokenizes differently), once per model the request goes to.
    const counts = new Map<string, number>();
    for (;;) {
      const choice = chain[at]!;
      const inputTokens = counts.get(k(choice)) ?? await countRequestTokens(req, choice.provider, choice.model);
      counts.set(k(choice), inputTokens);
      const c = caps.get(k(choice));
      const provider = lookup(choice);
      let failure: AiError;
      let streamed = false;
      for (let attempt = 1; ; attempt++) {
        if (!provider) {
          failure = new AiError('unavailable', `Provider ${choice.provider} is not configured.`, choice.provider);
          break;
        }
        // The budget first: a refused request sends nothing. The per-task check is local; the
        // per-day check and the reservation of the worst case are one step in the ledger.
        const maxOut = maxOutputFor(c, req.maxTokens);
        const usd = costUsd(c?.price, inputTokens, maxOut);
        const est = { inputTokens, maxOutputTokens: maxOut, ...(usd !== undefined ? { usd } : {}) };
        let reservation: Reservation;
        // Counted in flight the moment the check passes (inside the ledger's lock), so a second
        // request of this task checked right after sees it.
        let counted = false;
        const landed = () => {
          if (!counted) return;
          counted = false;
          inFlight.tokens -= inputTokens + maxOut;
          inFlight.usd -= usd ?? 0;
        };
        try {
          reservation = await budgets.ledger.reserve({ tokens: inputTokens + maxOut, usd: usd ?? 0 }, (today) => {
            const refusal = checkBudget(budgets.caps, { tokens: spent.tokens + inFlight.tokens, usd: spent.usd + inFlight.usd }, today, est, choice);
            if (!refusal) {
              inFlight.tokens += inputTokens + maxOut;
              inFlight.usd += usd ?? 0;
              counted = true;
            }
            return refusal;
          });
        } catch (err) {
          landed();
          if (isAiError(err) && err.kind === 'budget') opts.onEvent?.({ type: 'refused', choice, error: err, message: err.message });
          throw err;
        }
        const started = Date.now();
        // What this attempt has received: the vendor's latest usage figures and the streamed text.
        let reported: TokenUsage | undefined;
        let streamedText = '';
        try {
          const result = await provider.chat({ ...req, model: choice.model, ...(req.maxTokens === undefined ? { maxTokens: maxOut } : {}) }, (e) => {
            if (e.type === 'usage') reported = e.usage;
            else {
              streamed = true;
              streamedText += e.type === 'text' ? e.text : JSON.stringify(e.call.arguments) + e.call.name;
            }
            onEvent?.(e);
          });
          landed();
          // A server that reports no usage (an OpenAI-compatible one ignoring include_usage): counted here.
          const reportedNone = !reported && result.usage.inputTokens + result.usage.outputTokens === 0;
          const usage = reportedNone ? (await partialUsage(choice, inputTokens, undefined, streamedText || ' ')) ?? result.usage : result.usage;
          await settle(reservation, await record(choice, true, result.latencyMs > 0 ? result.latencyMs : Date.now() - started, usage));
          return result;
        } catch (err) {
          landed();
          failure = isAiError(err) ? err : new AiError('server', (err as Error)?.message ?? String(err), choice.provider, { cause: err });
          // A stream cut mid-way was still charged: its usage counts in the day's spend and the metrics.
          const partial = await partialUsage(choice, inputTokens, reported, streamedText);
          await settle(reservation, await record(choice, false, Date.now() - started, partial, failure));
        }
        if (streamed || failure.resolution !== 'retry' || attempt >= maxAttempts) break;
        const delayMs = failure.retryAfterMs ?? baseDelay * 2 ** (attempt - 1);
        if (delayMs > maxDelay) break;
        opts.onEvent?.({ type: 'retry', choice, attempt, delayMs, error: failure,
          message: `${k(choice)}: ${failure.kind} (${failure.message}); retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${maxAttempts}).` });
        await sleep(delayMs, req.signal, choice.provider);
      }
      // 'fallback'-class errors move on; 'retry'-class ones (overloaded, rate limit, server,
      // network) too once their retries are spent, but only to a provider that is there.
      if (streamed || failure.resolution === 'user') throw failure;
      // A context that was too long for this model needs one with a larger (or unknown) window.
      let next = at + 1;
      const window = c?.contextWindow;
      if (failure.kind === 'context-too-long' && window !== undefined) {
        while (next < chain.length && (caps.get(k(chain[next]!))?.contextWindow ?? Infinity) <= window) next++;
      }
      if (failure.resolution !== 'fallback') while (next < chain.length && !lookup(chain[next]!)) next++;
      if (next >= chain.length) throw failure;
      const to = chain[next]!;
      opts.onEvent?.({ type: 'fallback', from: choice, to, error: failure,
        message: `${k(choice)} failed before answering (${failure.kind}: ${failure.message}); falling back to ${k(to)}.` });
      at = next;
    }
  };

  return {
    get choice() { return chain[at]!; },
    get spent() { return { ...spent }; },
    chat,
  };
}
