// `rusty ai …` — what the AI router knows: measured per-model metrics and today's spend against
// the budgets (`ai stats`), and the configured providers with the model the router would choose
// for a sample task, and why (`ai providers`). Same state folder and settings as the extension.
// Everything read from state files or provider catalogs is escaped before it reaches a terminal.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Command } from 'commander';
import { readSettingsFile, readWorkspaceSettings } from '../core/state/settings';
import { workspaceStateDir } from '../core/state/location';
import { StatePaths } from '../core/state/statePaths';
import { RustyError } from '../core/util/errors';
import { isAiError, PROVIDER_IDS, type ProviderId } from '../core/ai/types';
import { MetricsStore, type ModelStats } from '../core/ai/metrics/store';
import { SpendLedger } from '../core/ai/budget/ledger';
import type { CatalogEntry } from '../core/ai/router/catalog';
import { readAiSettings, type AiSettings } from '../core/ai/router/settings';
import { EXIT_REFUSED, Output, type Io } from './output';
import { table } from './mcp';
import { terminalText as t } from './terminalText';

export interface AiCliDeps {
  io: Io;
  setExit: (code: number) => void;
  callerCwd: string;
  env?: NodeJS.ProcessEnv;
}

interface AiOpts { workspace?: string; json?: boolean }

interface Ctx { out: Output; paths: StatePaths; ai: AiSettings; values: Record<string, unknown>; cmd: Command }

export const DEFAULT_SAMPLE_TASK = 'Fix the failing test in src/parser.ts';

export function registerAiCommands(program: Command, deps: AiCliDeps): void {
  const env = deps.env ?? process.env;
  const ai = program.command('ai').description('AI router: measured metrics, spend and budgets, configured providers and the choice it would make');

  const action = <A extends unknown[]>(fn: (ctx: Ctx, ...args: A) => Promise<void>) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const o = cmd.optsWithGlobals() as AiOpts;
    const out = new Output(deps.io, !!o.json);
    try {
      const workspace = path.resolve(deps.callerCwd, o.workspace ?? deps.callerCwd);
      if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) throw new RustyError('usage', `Workspace folder ${workspace} does not exist.`);
      const { settings, warning } = readWorkspaceSettings(workspace);
      if (warning) out.notice(`rusty: ${warning}`);
      const { values } = readSettingsFile(workspace);
      const { settings: aiSettings, warnings } = readAiSettings(values);
      for (const w of warnings) out.notice(`rusty: warning: ${t(w)}`);
      const paths = new StatePaths(workspaceStateDir(workspace, env, settings.stateDir));
      await fn({ out, paths, ai: aiSettings, values, cmd }, ...(args.slice(0, -1) as A));
    } catch (err) {
      if (isAiError(err)) {
        if (out.json) out.io.out(JSON.stringify({ error: { code: `ai-${err.kind}`, message: err.message, action: err.action } }, null, 2));
        out.notice(`rusty: ${t(err.message)} ${t(err.action)}`);
        deps.setExit(EXIT_REFUSED);
      } else deps.setExit(out.error(err));
    }
  };

  ai.command('stats')
    .description('per provider/model: requests, successes, failures, p50/p95 latency, tokens, cost; today\'s spend against the budgets')
    .action(action(async ({ out, paths, ai: settings }) => {
      const warn = (m: string) => out.notice(`rusty: warning: ${m}`);
      const models = new MetricsStore(paths.ai, { onWarning: warn }).stats();
      const today = new SpendLedger(paths.ai, { onWarning: warn }).day();
      out.result({ models: models.map(statsJson), today, budget: settings.budget }, () => {
        const lines: string[] = [];
        if (!models.length) lines.push('No AI requests measured yet in this workspace.');
        else {
          lines.push(table(['PROVIDER/MODEL', 'REQUESTS', 'OK', 'FAILED', 'P50', 'P95', 'TOKENS IN', 'TOKENS OUT', 'COST'],
            models.map((m) => [t(`${m.provider}/${m.model}`), String(m.requests), String(m.successes), failures(m),
              seconds(m.p50Ms), seconds(m.p95Ms), m.tokensIn.toLocaleString('en-US'), m.tokensOut.toLocaleString('en-US'), dollars(m.costUsd)])));
        }
        lines.push('', `Today (${today.day}): ${today.tokens.toLocaleString('en-US')} tokens, ${dollars(today.usd)}, ${today.requests} request${today.requests === 1 ? '' : 's'}.`);
        lines.push(`Budgets: ${budgetLine(settings)}`);
        return lines.join('\n');
      });
    }));

  ai.command('providers')
    .description('configured providers and models, and which one the router would choose for a sample task, and why')
    .option('--task <text>', 'the sample task to route', DEFAULT_SAMPLE_TASK)
    .option('--provider <id>', `override the provider (${PROVIDER_IDS.join(', ')})`)
    .option('--model <id>', 'override the model')
    .action(action(async ({ out, paths, ai: settings, values, cmd }) => {
      const o = cmd.opts() as { task: string; provider?: string; model?: string };
      if (o.provider !== undefined && !(PROVIDER_IDS as readonly string[]).includes(o.provider)) {
        throw new RustyError('usage', `--provider must be one of ${PROVIDER_IDS.join(', ')}, got ${o.provider}.`);
      }
      // The real registry: keys from the environment (tested for presence only), base URLs and
      // prices from the settings, Ollama / LM Studio found on this machine.
      const { AiRuntime } = await import('../core/ai/runtime');
      const shown = new Set(readAiSettings(values).warnings);
      const registryWarnings = new Set<string>();
      const runtime = new AiRuntime({ aiDir: paths.ai, env, settings: values, probeLocal: true, onWarning: (m) => { if (!shown.has(m)) registryWarnings.add(m); } });
      const found = await runtime.catalog().entries();
      for (const w of registryWarnings) out.notice(`rusty: warning: ${t(w)}`);
      const entries = withMissing(found);
      const models = entries.filter((e) => e.configured).flatMap((e) => e.models);
      const stats = runtime.metrics.stats();
      // The tokenizer and router load only for this command.
      const { classifyTaskDetailed, route } = await import('../core/ai/router');
      const c = await classifyTaskDetailed(o.task);
      let sample: Record<string, unknown>;
      try {
        const plan = route({
          profile: c.profile, models, stats,
          ...(o.provider || o.model ? { override: { ...(o.provider ? { provider: o.provider as ProviderId } : {}), ...(o.model ? { model: o.model } : {}) } } : {}),
          ...(settings.provider || settings.model ? { preferred: { ...(settings.provider ? { provider: settings.provider } : {}), ...(settings.model ? { model: settings.model } : {}) } } : {}),
        });
        sample = { task: o.task, profile: c.profile, reasons: c.reasons, choice: plan.choice, fallbacks: plan.fallbacks, excluded: plan.excluded };
      } catch (err) {
        if (!isAiError(err)) throw err;
        sample = { task: o.task, profile: c.profile, reasons: c.reasons, error: { code: `ai-${err.kind}`, message: err.message, action: err.action } };
      }
      out.result({ providers: entries.map(entryJson), sample }, () => {
        const lines = [table(['PROVIDER', 'STATUS', 'MODELS', 'DETAIL'], entries.map((e) => [e.id, e.configured ? 'configured' : 'not configured', String(e.models.length), t(e.detail)]))];
        if (models.length) {
          lines.push('', table(['MODEL', 'CONTEXT', 'TOOLS', 'PRICE IN/OUT per 1M'], models.map((m) => [t(`${m.provider}/${m.model}`),
            m.contextWindow?.toLocaleString('en-US') ?? '?', m.supportsTools ? 'yes' : 'no', m.price ? `${dollars(m.price.input)} / ${dollars(m.price.output)}` : '?'])));
        }
        lines.push('', `Sample task: "${t(o.task)}" → ${c.profile.kind}, ${c.profile.contextTokens} tokens, ${c.profile.needsTools ? 'needs tools' : 'no tools'}, ${c.profile.urgency}.`);
        const choice = sample.choice as { rationale: string } | undefined;
        if (choice) {
          lines.push(t(choice.rationale));
          const fb = sample.fallbacks as { provider: string; model: string }[];
          if (fb.length) lines.push(`Fallbacks: ${fb.map((f) => t(`${f.provider}/${f.model}`)).join(' → ')}`);
        } else {
          const e = sample.error as { message: string; action: string };
          lines.push(`No choice: ${t(e.message)} ${t(e.action)}`);
        }
        for (const x of sample.excluded as { provider: string; model: string; reason: string }[] | undefined ?? []) lines.push(`  excluded ${t(`${x.provider}/${x.model}`)}: ${t(x.reason)}`);
        return lines.join('\n');
      });
    }));

  ai.allowExcessArguments(true).action((_opts: unknown, cmd: Command) => {
    if (cmd.args.length) cmd.error(`error: unknown command 'ai ${cmd.args[0]}'; use one of: ${ai.commands.map((x) => x.name()).join(', ')}`, { code: 'commander.unknownCommand' });
    ai.outputHelp({ error: true });
    deps.setExit(2);
  });
}

// ─── discovery ───────────────────────────────────────────────────────────────────────────────

const KEY_VARS: readonly [ProviderId, string, string][] = [
  ['anthropic', 'Anthropic', 'ANTHROPIC_API_KEY'],
  ['openai', 'OpenAI-compatible', 'OPENAI_API_KEY or OPENAI_BASE_URL'],
  ['gemini', 'Gemini', 'GEMINI_API_KEY'],
];

/** The registry's entries, plus one "not configured" row per vendor it did not find (and VS Code's models). */
function withMissing(entries: CatalogEntry[]): CatalogEntry[] {
  const missing: CatalogEntry[] = KEY_VARS.filter(([id]) => !entries.some((e) => e.id === id))
    .map(([id, label, how]) => ({ id, label, configured: false, detail: `set ${how}`, models: [] }));
  return [...entries, ...missing, { id: 'vscode-lm', label: 'VS Code language models', configured: false, detail: 'only inside VS Code', models: [] }];
}

// ─── formatting ──────────────────────────────────────────────────────────────────────────────

function statsJson(m: ModelStats): Record<string, unknown> {
  const outcomes = m.recent.length;
  return {
    provider: m.provider, model: m.model, requests: m.requests, successes: m.successes, failures: m.failures,
    recentSuccessRate: outcomes ? m.recent.filter((r) => r.ok).length / outcomes : null,
    p50Ms: m.p50Ms ?? null, p95Ms: m.p95Ms ?? null, latencySamples: m.latencySamples,
    tokensIn: m.tokensIn, tokensOut: m.tokensOut, costUsd: m.costUsd, updatedAt: m.updatedAt,
  };
}

function entryJson(e: CatalogEntry): Record<string, unknown> {
  return { id: e.id, label: e.label, configured: e.configured, detail: e.detail, models: e.models };
}

function failures(m: ModelStats): string {
  const parts = Object.entries(m.failures).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`);
  return parts.length ? parts.join(', ') : '0';
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

function dollars(n: number): string {
  return n > 0 && n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

function budgetLine(s: AiSettings): string {
  const b = s.budget;
  const parts = [
    b.perTaskTokens !== undefined ? `${b.perTaskTokens.toLocaleString('en-US')} tokens per task` : '',
    b.perTaskUsd !== undefined ? `${dollars(b.perTaskUsd)} per task` : '',
    b.perDayTokens !== undefined ? `${b.perDayTokens.toLocaleString('en-US')} tokens per day` : '',
    b.perDayUsd !== undefined ? `${dollars(b.perDayUsd)} per day` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none set (rusty.ai.budget.perTaskTokens, perTaskUsd, perDayTokens, perDayUsd)';
}
