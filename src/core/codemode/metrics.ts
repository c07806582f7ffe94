// Token metrics per run, with a real tokenizer (gpt-tokenizer, o200k_base): what the model sees in
// code mode (the script it wrote + what the script printed) against what a direct tool-calling
// loop would carry (every tool schema offered + every call and its full result, each counted
// once — a lower bound: a real loop re-sends earlier results on every turn).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countTokens } from '../ai/router/tokens';
import type { McpToolInfo } from '../mcp/types';
import type { CodeRunResult } from './sandbox/runner';

export interface RunMetrics {
  at: string;
  script: string;
  ok: boolean;
  errorKind?: string;
  durationMs: number;
  toolCalls: number;
  cacheHits: number;
  codeModeTokens: number;
  directTokens: number;
  /** 1 − codeMode / direct (0 when nothing was called). */
  saved: number;
  proposal?: string;
}

/** The tool list as a direct loop offers it to the model: name, description, input schema. */
export function toolSchemasText(tools: McpToolInfo[]): string {
  return JSON.stringify(tools.map((t) => ({ name: `${t.server}__${t.name}`, description: t.description ?? '', input_schema: t.inputSchema })));
}

export async function runMetrics(name: string, script: string, run: CodeRunResult, tools: McpToolInfo[], now = new Date()): Promise<RunMetrics> {
  const codeModeTokens = (await countTokens(script)) + (await countTokens(run.output));
  let directTokens = tools.length ? await countTokens(toolSchemasText(tools)) : 0;
  for (const r of run.toolResults) directTokens += await countTokens(r);
  return {
    at: now.toISOString(), script: name, ok: run.ok,
    ...(run.error ? { errorKind: run.error.kind } : {}),
    durationMs: Math.round(run.durationMs), toolCalls: run.toolCalls.length, cacheHits: run.cache.hits,
    codeModeTokens, directTokens, saved: directTokens > 0 ? 1 - codeModeTokens / directTokens : 0,
    ...(run.proposal ? { proposal: run.proposal.id } : {}),
  };
}

export const runsFile = (stateDir: string): string => path.join(stateDir, 'codemode', 'runs.jsonl');

export function appendRunMetrics(stateDir: string, m: RunMetrics): void {
  const file = runsFile(stateDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, JSON.stringify(m) + '\n');
}

export interface MetricsSummary {
  runs: number;
  succeeded: number;
  toolCalls: number;
  cacheHits: number;
  codeModeTokens: number;
  directTokens: number;
  saved: number;
  last: RunMetrics[];
}

/** Totals over the stored runs (bad lines are skipped). */
export function readRunMetrics(stateDir: string, last = 10): MetricsSummary {
  let lines: string[] = [];
  try {
    lines = fs.readFileSync(runsFile(stateDir), 'utf8').split('\n').filter(Boolean);
  } catch {
    // No runs yet.
  }
  const runs: RunMetrics[] = [];
  for (const l of lines) {
    try {
      const m = JSON.parse(l) as RunMetrics;
      if (typeof m.codeModeTokens === 'number' && typeof m.directTokens === 'number') runs.push(m);
    } catch {
      // A torn last line from a crash: skip it.
    }
  }
  const sum = (f: (m: RunMetrics) => number) => runs.reduce((a, m) => a + f(m), 0);
  const codeModeTokens = sum((m) => m.codeModeTokens);
  const directTokens = sum((m) => m.directTokens);
  return {
    runs: runs.length, succeeded: runs.filter((m) => m.ok).length, toolCalls: sum((m) => m.toolCalls), cacheHits: sum((m) => m.cacheHits),
    codeModeTokens, directTokens, saved: directTokens > 0 ? 1 - codeModeTokens / directTokens : 0, last: runs.slice(-last),
  };
}
