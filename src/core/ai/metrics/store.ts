// Per-provider/model metrics, measured on every request the router sends: requests, successes,
// failures by kind, latency (a bounded reservoir of the most recent successful requests, for
// p50/p95), tokens in/out, cost, and the recent outcomes by task kind the router ranks with.
//
// Persisted in <state>/ai/metrics.json. Each update re-reads the file and writes it back
// atomically under <state>/ai/ai.lock, so two processes (the extension and a CLI run) never lose
// each other's counts. The write is not fsynced: after a power cut the file may be one update
// behind — acceptable for statistics (daily spend, which budgets rely on, is fsynced; see SpendLedger).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { withLock } from '../../state/lock';
import { writeJsonDurable } from '../../util/fsx';
import { AI_ERROR_KINDS, TASK_KINDS, type AiErrorKind, type ProviderId, type TaskKind } from '../types';
import { readValidated } from './jsonState';

/** Latencies kept per model (most recent successful requests). */
export const LATENCY_RESERVOIR = 200;
/** Outcomes kept per model for success rates (most recent first-class attempts). */
export const RECENT_OUTCOMES = 100;

const count = z.number().int().nonnegative();
const ModelMetricsSchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  requests: count,
  successes: count,
  failures: z.partialRecord(z.enum(AI_ERROR_KINDS), count),
  tokensIn: count,
  tokensOut: count,
  /** Of tokensIn + tokensOut, those Rusty counted because the vendor reported none (a cut stream, VS Code's models). */
  tokensEstimated: count.optional(),
  costUsd: z.number().nonnegative(),
  latenciesMs: z.array(z.number().nonnegative()),
  recent: z.array(z.object({ task: z.enum(TASK_KINDS).optional(), ok: z.boolean() })),
  updatedAt: z.string(),
});
const MetricsFileSchema = z.object({ version: z.literal(1), models: z.record(z.string(), ModelMetricsSchema) });

export type ModelMetrics = z.infer<typeof ModelMetricsSchema>;
export type MetricsFile = z.infer<typeof MetricsFileSchema>;

/** One request as it ended. `costUsd` is 0 when the model's price is unknown (a local model). */
export interface UsageSample {
  provider: ProviderId;
  model: string;
  task?: TaskKind;
  ok: boolean;
  errorKind?: AiErrorKind;
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  /** The token figures are Rusty's count, not the vendor's. */
  estimated?: boolean;
}

/** What the router and `rusty ai stats` read. Latencies are over the reservoir; undefined when empty. */
export interface ModelStats {
  provider: string;
  model: string;
  requests: number;
  successes: number;
  failures: Partial<Record<AiErrorKind, number>>;
  p50Ms?: number;
  p95Ms?: number;
  latencySamples: number;
  tokensIn: number;
  tokensOut: number;
  /** Of tokensIn + tokensOut, those counted by Rusty (estimates); absent when none. */
  tokensEstimated?: number;
  costUsd: number;
  recent: { task?: TaskKind; ok: boolean }[];
  updatedAt: string;
}

export function modelKey(provider: string, model: string): string {
  return `${provider}/${model}`;
}

/** Nearest-rank percentile: the smallest sample with at least q of the samples at or below it. */
export function percentile(samples: readonly number[], q: number): number | undefined {
  if (!samples.length) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function toStats(m: ModelMetrics): ModelStats {
  const p50 = percentile(m.latenciesMs, 0.5);
  const p95 = percentile(m.latenciesMs, 0.95);
  return {
    provider: m.provider, model: m.model, requests: m.requests, successes: m.successes, failures: m.failures,
    ...(p50 !== undefined ? { p50Ms: p50 } : {}), ...(p95 !== undefined ? { p95Ms: p95 } : {}),
    latencySamples: m.latenciesMs.length, tokensIn: m.tokensIn, tokensOut: m.tokensOut, ...(m.tokensEstimated ? { tokensEstimated: m.tokensEstimated } : {}), costUsd: m.costUsd,
    recent: m.recent, updatedAt: m.updatedAt,
  };
}

export interface AiStoreOptions {
  /** Told once per problem (a corrupt file moved aside); never thrown. */
  onWarning?: (message: string) => void;
  now?: () => Date;
}

export class MetricsStore {
  private readonly file: string;
  private readonly lockFile: string;
  private readonly warn: (m: string) => void;
  private readonly now: () => Date;

  /** `aiDir` is StatePaths.ai (<state>/ai). */
  constructor(readonly aiDir: string, opts: AiStoreOptions = {}) {
    this.file = path.join(aiDir, 'metrics.json');
    this.lockFile = path.join(aiDir, 'ai.lock');
    this.warn = opts.onWarning ?? (() => undefined);
    this.now = opts.now ?? (() => new Date());
  }

  read(): MetricsFile {
    return readValidated(this.file, MetricsFileSchema, () => ({ version: 1 as const, models: {} }), this.warn);
  }

  stats(): ModelStats[] {
    return Object.values(this.read().models).map(toStats).sort((a, b) => modelKey(a.provider, a.model).localeCompare(modelKey(b.provider, b.model)));
  }

  /** Record one finished request (read, add, write under the lock). */
  async record(sample: UsageSample): Promise<void> {
    fs.mkdirSync(this.aiDir, { recursive: true });
    await withLock(this.lockFile, 'ai metrics', async () => {
      const file = this.read();
      const key = modelKey(sample.provider, sample.model);
      const m = file.models[key] ?? {
        provider: sample.provider, model: sample.model, requests: 0, successes: 0, failures: {}, tokensIn: 0, tokensOut: 0,
        costUsd: 0, latenciesMs: [], recent: [], updatedAt: '',
      };
      m.requests++;
      if (sample.ok) {
        m.successes++;
        m.latenciesMs = [...m.latenciesMs, Math.round(sample.latencyMs)].slice(-LATENCY_RESERVOIR);
      } else if (sample.errorKind) {
        m.failures[sample.errorKind] = (m.failures[sample.errorKind] ?? 0) + 1;
      }
      // A cancellation says nothing about the model: counted as a failure kind, not as an outcome.
      if (sample.errorKind !== 'cancelled') {
        m.recent = [...m.recent, { ...(sample.task ? { task: sample.task } : {}), ok: sample.ok }].slice(-RECENT_OUTCOMES);
      }
      m.tokensIn += Math.max(0, Math.round(sample.tokensIn));
      m.tokensOut += Math.max(0, Math.round(sample.tokensOut));
      if (sample.estimated) m.tokensEstimated = (m.tokensEstimated ?? 0) + Math.max(0, Math.round(sample.tokensIn)) + Math.max(0, Math.round(sample.tokensOut));
      m.costUsd += Math.max(0, sample.costUsd);
      m.updatedAt = this.now().toISOString();
      file.models[key] = m;
      writeJsonDurable(this.file, file, false);
    });
  }
}
