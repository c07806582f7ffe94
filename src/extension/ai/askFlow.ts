// "Rusty: Ask…" in one function: classify and route the task over the configured providers (those
// the front end adds first), then run the agent loop; every change becomes a pending proposal.
// No vscode here (it runs in dist/ai.js and in Node tests): VS Code's language models come in as
// `extra`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RustyCore } from '../../core/rustyCore';
import type { Secrets } from '../../core/ports/secrets';
import { ask, type AskResult } from '../../core/ai/agent';
import type { AgentEvent } from '../../core/ai/agent/loop';
import { AiRuntime } from '../../core/ai/runtime';
import { AiError } from '../../core/ai/types';
import type { ConfiguredLike } from '../../core/ai/router/catalog';
import type { RouteOverride } from '../../core/ai/router/route';
import type { SessionEvent } from '../../core/ai/router/session';
import type { McpToolBridge } from '../../core/ai/agent/tools';

export interface RunAskOptions {
  core: RustyCore;
  secrets?: Secrets;
  /** The flat `rusty.*` settings of the workspace folder. */
  settings: Readonly<Record<string, unknown>>;
  /** Providers added in front of the configured ones (VS Code's language models). */
  extra: readonly ConfiguredLike[];
  /** Look for Ollama / LM Studio (`rusty.ai.local.baseUrls`). */
  probeLocal?: boolean;
  task: string;
  /** Workspace-relative files sent with the task. */
  files: string[];
  selection?: { path: string; startLine: number; endLine: number; text: string };
  override?: RouteOverride;
  candidates?: number;
  maxRounds?: number;
  /** The conversation: earlier questions, answers and proposals of the thread go with the task. */
  thread?: string;
  /** MCP tools (the running service: calls go through its permission gate). */
  mcp?: McpToolBridge;
  signal: AbortSignal;
  onRoute?: (rationale: string, models: string[]) => void;
  onAgentEvent?: (candidate: number, e: AgentEvent) => void;
  onSessionEvent?: (candidate: number, e: SessionEvent) => void;
  onWarning?: (message: string) => void;
}

export interface RunAskResult extends AskResult {
  route: string;
}

/** The task as the model gets it: with the selected lines when the scope is a selection. */
export function taskText(task: string, selection: RunAskOptions['selection']): string {
  if (!selection) return task;
  const lines = selection.startLine === selection.endLine ? `line ${selection.startLine}` : `lines ${selection.startLine}-${selection.endLine}`;
  return `${task}\n\nThe selection this is about (${selection.path}, ${lines}):\n${selection.text}`;
}

/** The settings with `provider` as the default when the user set none. */
export function preferFirst(settings: Readonly<Record<string, unknown>>, provider: string | undefined): Record<string, unknown> {
  return { ...settings, ...(settings['rusty.ai.provider'] || !provider ? {} : { 'rusty.ai.provider': provider }) };
}

/** Where a command that offers a model routes its task (Generate Tests, Debug Stack Trace…). */
export interface ModelRouteOptions {
  core: RustyCore;
  secrets?: Secrets;
  settings: Readonly<Record<string, unknown>>;
  extra: readonly ConfiguredLike[];
  onWarning?: (message: string) => void;
}

/**
 * Routes `task` as "Rusty: Ask…" does (VS Code's language models first when the user set no
 * default). `none`: no provider is configured at all (the command's answer without a model stands,
 * no error); `unavailable`: providers exist but none can take the task (the router's reason).
 */
export async function routeTask(o: ModelRouteOptions, task: string, files: { path: string; text: string }[], signal?: AbortSignal): Promise<{ runtime: AiRuntime; plan: Awaited<ReturnType<AiRuntime['plan']>> } | { none: true } | { unavailable: string }> {
  const runtime = new AiRuntime({
    aiDir: o.core.paths.ai, ...(o.secrets ? { secrets: o.secrets } : {}), settings: preferFirst(o.settings, o.extra[0]?.id),
    extra: o.extra, probeLocal: true, ...(o.onWarning ? { onWarning: o.onWarning } : {}),
  });
  try {
    return { runtime, plan: await runtime.plan({ task, files, urgency: 'interactive', ...(signal ? { signal } : {}) }) };
  } catch (err) {
    if (err instanceof AiError && err.kind === 'unavailable') {
      // The router's "nothing configured" (src/core/ai/router/route.ts).
      return /^No model provider is configured\b/.test(err.message) ? { none: true } : { unavailable: err.message };
    }
    throw err;
  }
}

/** Classify, route, then run the agent loop; every change becomes a pending proposal. */
export async function runAsk(o: RunAskOptions): Promise<RunAskResult> {
  const warn = o.onWarning ?? (() => undefined);
  // Without a configured default, the first extra provider (VS Code's language models) comes first
  // when it can take the task.
  const settings = preferFirst(o.settings, o.extra[0]?.id);
  const runtime = new AiRuntime({
    aiDir: o.core.paths.ai, ...(o.secrets ? { secrets: o.secrets } : {}), settings,
    extra: o.extra, probeLocal: o.probeLocal ?? true, onWarning: warn,
  });
  const files = o.files.map((rel) => ({ path: rel, text: readText(o.core.wfs.root, rel) }));
  const task = taskText(o.task, o.selection);
  const plan = await runtime.plan({
    task, files, signal: o.signal, urgency: 'interactive',
    ...(o.selection ? { selection: o.selection.text } : {}),
    ...(o.override && (o.override.provider || o.override.model) ? { override: o.override } : {}),
  });
  const count = Math.max(1, Math.min(o.candidates ?? 1, 5));
  const sessions = runtime.sessions(plan, count, o.onSessionEvent);
  o.onRoute?.(plan.plan.choice.rationale, sessions.map((s) => `${s.choice.provider}/${s.choice.model}`));
  const result = await ask(o.core, {
    task, files: o.files, sessions, signal: o.signal,
    ...(o.maxRounds !== undefined ? { maxRounds: o.maxRounds } : {}),
    ...(o.thread ? { thread: o.thread } : {}),
    ...(o.mcp ? { mcp: o.mcp } : {}),
    ...(o.onAgentEvent ? { onEvent: o.onAgentEvent } : {}),
    onPolicyError: warn,
  });
  return { ...result, route: plan.plan.choice.rationale };
}

function readText(root: string, rel: string): string {
  try {
    return fs.readFileSync(path.join(root, rel), 'utf8');
  } catch {
    return '';
  }
}
