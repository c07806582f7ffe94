// The agent loop: the model reads the workspace through read-only tools, answers with edit
// blocks, and every attempt is applied in memory, turned into a change set and validated (path
// rules, base hashes, type-check delta). A refused attempt is fed back with the reasons for a
// bounded number of repair rounds. The loop writes nothing: its result is a change set that the
// caller submits as one proposal (propose.ts).
import type { ChangeSet, FileEdit } from '../../proposals/changeSet';
import type { EngineContext } from '../../engine/context';
import type { ImpactReport } from '../../impact/types';
import type { AiRepair } from '../../proposals/model';
import { relPathProblem } from '../../proposals/paths';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { sha256 } from '../../util/hash';
import { isBinary, readText } from '../../util/text';
import { AiError, isAiError, type ChatMessage, type ChatResult, type ModelSession, type TokenUsage, type ToolCall } from '../types';
import { applyBlocks, parseEdits, type EditBlock } from './edits';
import { feedbackMessage, firstMessage, systemPrompt } from './prompt';
import type { ThreadNote, ThreadTurn } from './thread';
import { BUILTIN_TOOLS, callMcpTool, capOutput, mcpToolTable, ToolError, type AgentTool, type McpToolBridge, type ToolEnv } from './tools';
import { DEFAULT_AI_COMMAND_TIMEOUT_MS } from '../../mcp/policy/load';
import type { SandboxLimits } from '../../codemode/sandbox/protocol';
import { RUN_CODE, runCodeSpec, runScript } from './tools/runCode';

export type RepairKind = AiRepair['kind'];

/** What validation says about one attempt: refusals the model must fix, and the impact when computed. */
export interface AttemptVerdict {
  refused: { kind: RepairKind; message: string }[];
  impact?: ImpactReport;
}

/**
 * `typeCheck: false`: only the cheap checks (schema, paths, base hashes), for an attempt already
 * refused. `project`: the run's TypeScript project (loaded for the tools), for a quick first check.
 */
export type ChangeValidator = (cs: ChangeSet, signal: AbortSignal | undefined, opts?: { typeCheck?: boolean; project?: () => Promise<WorkspaceProject> }) => Promise<AttemptVerdict>;

export type AgentEvent =
  | { type: 'turn'; turn: number }
  | { type: 'text'; text: string }
  | { type: 'tool'; name: string; ok: boolean; summary: string }
  | { type: 'validating'; turn: number; files: number }
  | { type: 'refused'; turn: number; problems: { kind: RepairKind; message: string }[] }
  | { type: 'accepted'; turn: number };

export interface AgentOptions {
  ctx: EngineContext;
  session: ModelSession;
  task: string;
  /** Workspace-relative files whose text goes with the first message. */
  files?: string[];
  validate: ChangeValidator;
  /** Refused attempts sent back to the model before giving up (default 3). */
  maxRounds?: number;
  /** Model requests in all, tool turns included (default 24). */
  maxTurns?: number;
  thread?: ThreadNote[];
  /** Earlier questions of the thread with their answers. */
  history?: ThreadTurn[];
  mcp?: McpToolBridge;
  /** Allowlisted command lines for run_command (from `.rusty/policy.json`). */
  commands?: readonly string[];
  commandTimeoutMs?: number;
  tools?: readonly AgentTool[];
  /** Offer run_code: a sandboxed script (with the MCP tools when `mcp` is given) whose writes join the proposal. */
  codeMode?: { limits?: Partial<SandboxLimits> };
  temperature?: number;
  maxTokens?: number;
  onEvent?: (e: AgentEvent) => void;
}

export interface AgentRun {
  /** change: a validated change set; answer: prose only; gave-up: every attempt was refused. */
  outcome: 'change' | 'answer' | 'gave-up';
  title: string;
  /** The model's explanation (its final answer without the edit blocks). */
  rationale: string;
  changeSet?: ChangeSet;
  impact?: ImpactReport;
  provider: string;
  model: string;
  route: string;
  turns: number;
  repairs: AiRepair[];
  usage: TokenUsage;
  costUsd?: number;
  system: string;
  messages: ChatMessage[];
  /** Wall time of the run, and the part spent waiting for the model. */
  durationMs: number;
  modelMs: number;
}

const MAX_FILE_CONTEXT = 60_000;
const MAX_TITLE = 120;

function titleOf(prose: string, task: string): { title: string; rest: string } {
  const m = /^\s*(?:\*\*)?TITLE:?(?:\*\*)?\s*(.+)$/im.exec(prose);
  const clip = (s: string) => (s.length > MAX_TITLE ? `${s.slice(0, MAX_TITLE - 1)}…` : s);
  if (m) return { title: clip(m[1]!.trim()), rest: prose.replace(m[0], '').trim() };
  return { title: clip(task.split('\n')[0]!.trim() || 'AI change'), rest: prose.trim() };
}

/** Turn parsed edit blocks into a change set against the current bytes; problems for the model. */
export async function editsToChangeSet(ctx: EngineContext, edits: EditBlock[]): Promise<{ edits: FileEdit[]; problems: { kind: RepairKind; message: string }[] }> {
  const out: FileEdit[] = [];
  const problems: { kind: RepairKind; message: string }[] = [];
  for (const e of edits) {
    const pathProblem = relPathProblem(e.path);
    if (pathProblem) {
      problems.push({ kind: 'path-refused', message: `Refused: path ${JSON.stringify(e.path)} ${pathProblem}. Edit only files inside the workspace.` });
      continue;
    }
    const bytes = await ctx.fs.read(e.path).catch((err: unknown) => {
      if (err instanceof RustyError && err.code === 'path-refused') return undefined;
      throw err;
    });
    if (e.kind === 'delete') {
      if (!bytes) problems.push({ kind: 'no-match', message: `${e.path}: cannot be deleted, it does not exist.` });
      else out.push({ kind: 'delete', path: e.path, baseHash: sha256(bytes) });
      continue;
    }
    if (!bytes) {
      if (e.blocks.length === 1 && !e.blocks[0]!.search.trim()) out.push({ kind: 'create', path: e.path, content: e.blocks[0]!.replace });
      else problems.push({ kind: 'no-match', message: `${e.path}: does not exist. To create it, send one block with an empty SEARCH section and the whole file as the replacement.` });
      continue;
    }
    if (isBinary(bytes)) {
      problems.push({ kind: 'invalid', message: `${e.path}: is a binary file; only text files can be edited.` });
      continue;
    }
    const current = readText(bytes).text;
    const applied = applyBlocks(e.path, current, e.blocks);
    if (applied.text === undefined) {
      problems.push(...applied.problems.map((p) => ({ kind: p.kind, message: p.message })));
      continue;
    }
    if (applied.text === current) {
      problems.push({ kind: 'invalid', message: `${e.path}: the blocks change nothing (each REPLACE equals its SEARCH).` });
      continue;
    }
    out.push({ kind: 'modify', path: e.path, baseHash: sha256(bytes), content: applied.text });
  }
  return { edits: out, problems };
}

async function fileContext(ctx: EngineContext, files: readonly string[]): Promise<{ path: string; text?: string; problem?: string }[]> {
  const out: { path: string; text?: string; problem?: string }[] = [];
  let budget = MAX_FILE_CONTEXT;
  for (const rel of files) {
    const problem = relPathProblem(rel);
    if (problem) {
      out.push({ path: rel, problem: `refused: ${problem}` });
      continue;
    }
    const bytes = await ctx.fs.read(rel);
    if (!bytes) out.push({ path: rel, problem: 'does not exist' });
    else if (isBinary(bytes)) out.push({ path: rel, problem: 'binary file (not shown)' });
    else {
      const text = readText(bytes).text;
      if (text.length > budget) out.push({ path: rel, problem: `${text.length} characters, too long to include; read it with read_file` });
      else {
        budget -= text.length;
        out.push({ path: rel, text });
      }
    }
  }
  return out;
}

function cancelledRun(): RustyError {
  return new RustyError('cancelled', 'Cancelled: the model was stopped; nothing was proposed.');
}

function toolSummary(call: ToolCall): string {
  const a = call.arguments;
  const main = ['path', 'file', 'pattern', 'query', 'command', 'name'].map((k) => a[k]).find((v) => typeof v === 'string');
  return `${call.name}${main ? ` ${String(main).slice(0, 80)}` : ''}`;
}

export async function runAgent(opts: AgentOptions): Promise<AgentRun> {
  const started = performance.now();
  const { ctx, session } = opts;
  const maxRounds = opts.maxRounds ?? 3;
  const maxTurns = opts.maxTurns ?? 24;
  const builtin = opts.tools ?? BUILTIN_TOOLS;
  const mcp = opts.mcp ? mcpToolTable(opts.mcp) : undefined;
  const byName = new Map(builtin.map((t) => [t.spec.name, t] as const));
  const specs = [...builtin.map((t) => t.spec), ...(opts.codeMode ? [runCodeSpec] : []), ...(mcp?.specs ?? [])];
  /** The last successful run_code's writes: they join the edits of the final answer. */
  let scriptEdits: FileEdit[] = [];
  const commands = opts.commands ?? [];
  let project: Promise<WorkspaceProject> | undefined;
  const env: ToolEnv = {
    ctx, commands, commandTimeoutMs: opts.commandTimeoutMs ?? DEFAULT_AI_COMMAND_TIMEOUT_MS,
    project: () => (project ??= WorkspaceProject.load({ fs: ctx.fs, ...(ctx.signal ? { signal: ctx.signal } : {}) })),
  };
  const system = systemPrompt({ tools: specs.map((s) => s.name), commands, root: ctx.fs.root });
  const messages: ChatMessage[] = [{ role: 'user', content: firstMessage({ task: opts.task, files: await fileContext(ctx, opts.files ?? []), thread: opts.thread ?? [], ...(opts.history?.length ? { history: opts.history } : {}) }) }];
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let costUsd: number | undefined;
  let modelMs = 0;
  const repairs: AiRepair[] = [];
  const route = session.choice;
  // The model that actually answered (a router may fall back to another one).
  const actual = { provider: route.provider as string, model: route.model };
  const base = { route: route.rationale, system, messages, usage, repairs };
  // A routed session (src/core/ai/router) reports what it spent; this run's cost is the difference.
  const spentUsd = () => {
    const usd = (session as { spent?: { usd?: unknown } }).spent?.usd;
    return typeof usd === 'number' ? usd : undefined;
  };
  const spentAtStart = spentUsd();
  const finish = (run: Omit<AgentRun, keyof typeof base | 'provider' | 'model' | 'durationMs' | 'modelMs' | 'costUsd'>): AgentRun => {
    const end = spentUsd();
    const cost = end !== undefined && spentAtStart !== undefined ? end - spentAtStart : costUsd;
    return { ...base, ...actual, ...run, ...(cost !== undefined ? { costUsd: cost } : {}), durationMs: performance.now() - started, modelMs };
  };

  let attempts = 0;
  for (let turn = 1; turn <= maxTurns; turn++) {
    await ctx.tick();
    opts.onEvent?.({ type: 'turn', turn });
    let result: ChatResult;
    const t0 = performance.now();
    try {
      result = await session.chat({
        system, messages: [...messages], tools: specs,
        ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
        ...(opts.maxTokens !== undefined ? { maxTokens: opts.maxTokens } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }, (e) => { if (e.type === 'text') opts.onEvent?.({ type: 'text', text: e.text }); });
    } catch (err) {
      if (ctx.signal?.aborted || (isAiError(err) && err.kind === 'cancelled')) throw cancelledRun();
      throw err;
    } finally {
      modelMs += performance.now() - t0;
    }
    if (ctx.signal?.aborted) throw cancelledRun();
    actual.provider = result.provider;
    actual.model = result.model;
    usage.inputTokens += result.usage.inputTokens;
    usage.outputTokens += result.usage.outputTokens;
    if (result.usage.cachedInputTokens) usage.cachedInputTokens = (usage.cachedInputTokens ?? 0) + result.usage.cachedInputTokens;
    const resultCost = (result as ChatResult & { costUsd?: number }).costUsd;
    if (typeof resultCost === 'number') costUsd = (costUsd ?? 0) + resultCost;
    messages.push({ role: 'assistant', content: result.text, ...(result.toolCalls.length ? { toolCalls: result.toolCalls } : {}) });

    if (result.toolCalls.length) {
      for (const call of result.toolCalls) {
        await ctx.tick();
        let content: string;
        let isError = false;
        try {
          const tool = byName.get(call.name);
          const target = tool ? undefined : mcp?.resolve(call.name);
          if (tool) content = capOutput(await tool.run(call.arguments ?? {}, env));
          else if (call.name === RUN_CODE && opts.codeMode) {
            const r = await runScript(call.arguments ?? {}, ctx, { ...(opts.mcp ? { mcp: opts.mcp } : {}), ...(opts.codeMode.limits ? { limits: opts.codeMode.limits } : {}) });
            content = r.content;
            isError = r.isError;
            if (!r.isError) scriptEdits = r.changeSet?.edits ?? [];
          } else if (target && opts.mcp) content = await callMcpTool(opts.mcp, target, call.arguments ?? {}, ctx.signal);
          else throw new ToolError(`There is no tool ${JSON.stringify(call.name)}; the tools are ${specs.map((s) => s.name).join(', ')}.`);
        } catch (err) {
          if (ctx.signal?.aborted || (err instanceof RustyError && err.code === 'cancelled')) throw cancelledRun();
          // Tools only read: a failure (a bad argument, or a bug) is the model's to work around, not the end of the run.
          content = err instanceof ToolError || err instanceof RustyError ? err.message : `The tool failed: ${err instanceof Error ? err.message : String(err)}`;
          isError = true;
        }
        opts.onEvent?.({ type: 'tool', name: call.name, ok: !isError, summary: toolSummary(call) });
        messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content, ...(isError ? { isError } : {}) });
      }
      if (parseEdits(result.text).edits.length) {
        const last = messages[messages.length - 1] as Extract<ChatMessage, { role: 'tool' }>;
        last.content += '\n\n(Note: the edit blocks of your answer were not applied because it also called tools; send them again in an answer without tool calls.)';
      }
      continue;
    }

    const parsed = parseEdits(result.text);
    const { title, rest } = titleOf(parsed.prose, opts.task);
    if (!parsed.edits.length && !parsed.problems.length && !scriptEdits.length) return finish({ outcome: 'answer', title, rationale: rest, turns: turn });

    attempts++;
    const built = await editsToChangeSet(ctx, parsed.edits);
    const problems = [...parsed.problems.map((message) => ({ kind: 'malformed' as const, message })), ...built.problems];
    // run_code's writes join the answer's edits; one file changed both ways is the model's to settle.
    const scripted = new Set(scriptEdits.flatMap((e) => (e.kind === 'rename' ? [e.path, e.to] : [e.path])));
    for (const e of built.edits) {
      if (scripted.has(e.path)) problems.push({ kind: 'invalid', message: `${e.path}: your run_code script already changes this file; make all its changes in one place (run the script again with them, or drop the edit blocks).` });
    }
    built.edits.unshift(...scriptEdits);
    let impact: ImpactReport | undefined;
    let changeSet: ChangeSet | undefined;
    if (built.edits.length) {
      changeSet = {
        title, source: `ai:${actual.provider}/${actual.model}`,
        ...(rest ? { rationale: rest.slice(0, 20_000) } : {}),
        edits: built.edits,
      };
      // An attempt already refused still gets the cheap checks, so the model hears every problem at once.
      const typeCheck = !problems.length;
      if (typeCheck) opts.onEvent?.({ type: 'validating', turn, files: built.edits.length });
      const verdict = await opts.validate(changeSet, ctx.signal, { typeCheck, project: env.project });
      problems.push(...verdict.refused);
      impact = verdict.impact;
    } else if (!problems.length) {
      problems.push({ kind: 'invalid', message: 'The answer has no edit that changes a file.' });
    }
    if (!problems.length && changeSet) {
      opts.onEvent?.({ type: 'accepted', turn });
      return finish({ outcome: 'change', title, rationale: rest, changeSet, ...(impact ? { impact } : {}), turns: turn });
    }
    for (const p of problems) repairs.push({ round: turn, kind: p.kind, message: p.message });
    opts.onEvent?.({ type: 'refused', turn, problems });
    const left = maxRounds - (attempts - 1);
    messages.push({ role: 'user', content: feedbackMessage(problems.map((p) => p.message), turn, left) });
    if (left <= 0) return finish({ outcome: 'gave-up', title, rationale: rest, turns: turn });
  }
  throw new AiError('malformed-response', `The model used all ${maxTurns} turns without proposing a change or answering.`, route.provider, { action: 'Ask a narrower task, or name the files (--file).' });
}
