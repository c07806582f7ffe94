// `rusty ask "TASK"` — the AI agent from the command line: the model reads the workspace with
// read-only tools and answers with edits; each validated change is queued as a proposal (nothing
// is written until it is approved). With --candidates N, N answers compete, ranked by a printed
// formula over measured facts. The model's text streams to stderr on a terminal (escaped); the
// first Ctrl-C stops it and nothing is queued.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import type { AskCandidate, AskResult } from '../core/ai/agent';
import type { AgentEvent } from '../core/ai/agent/loop';
import { AiError, PROVIDER_IDS, type ModelSession, type ProviderId } from '../core/ai/types';
import { isRustyError, RustyError } from '../core/util/errors';
import { isImpactFailure } from '../core/impact/types';
import { EXIT_REFUSED, Output, type Io } from './output';
import type { McpService } from '../core/mcp/service';
import { terminalLine, terminalSafe } from './terminalText';
import { relPathProblem } from '../core/proposals/paths';
import { isBinary, readText } from '../core/util/text';

export interface AskCliDeps {
  io: Io;
  setExit: (code: number) => void;
  signal?: AbortSignal;
  callerCwd: string;
  /** Opens the workspace's core (recovering an interrupted apply first). */
  openCore: (workspace: string, out: Output) => Promise<RustyCore>;
  toWorkspacePath: (root: string, file: string) => string;
  /** How a provider/model becomes a session; default: createSession below. */
  sessionFactory?: SessionFactory;
}

export interface SessionRequest {
  provider?: string;
  model?: string;
  /** Competing candidates wanted. */
  count: number;
  task: string;
  /** --script FILE, already parsed (scripted provider). */
  script?: unknown;
  /** The workspace root and its Rusty state folder (metrics, spend under `<state>/ai`). */
  workspace: string;
  stateDir: string;
  /** --file, workspace-relative, with their texts (they size the task for the router). */
  files?: readonly { path: string; text: string }[];
  /** A progress line for stderr (already escaped). */
  notice: (line: string) => void;
  signal?: AbortSignal;
}

/** One session per candidate. */
export type SessionFactory = (req: SessionRequest) => Promise<ModelSession[]>;

/**
 * The sessions for `rusty ask`. `scripted` replays a JSON script offline; anything else goes
 * through the AI runtime: the configured providers (keys from the environment, base URLs and
 * prices from .vscode/settings.json, Ollama / LM Studio found on this machine), the router's
 * choice and its fallbacks, budgets checked before sending, metrics recorded after.
 */
export const createSession: SessionFactory = async (req) => {
  if (req.provider === 'scripted') {
    const { parseScript, scriptedSession } = await import('../core/ai/providers/scripted');
    const raw = req.script as { candidates?: unknown[] } | unknown[] | undefined;
    if (raw === undefined) throw new RustyError('usage', '--provider scripted needs --script FILE (a JSON array of turns, or {"candidates": [[…], […]]}).');
    const out: ModelSession[] = [];
    for (let index = 1; index <= req.count; index++) {
      let turns: unknown = raw;
      if (!Array.isArray(raw) && Array.isArray(raw.candidates)) turns = raw.candidates[(index - 1) % raw.candidates.length];
      try {
        out.push(scriptedSession(parseScript(turns), req.model ? { model: req.model } : {}));
      } catch (err) {
        throw new RustyError('usage', `--script: ${(err as Error).message}`);
      }
    }
    return out;
  }
  if (req.provider === 'vscode-lm') throw new RustyError('usage', '--provider vscode-lm is only available inside VS Code ("Rusty: Ask…"); the CLI can use anthropic, openai, gemini or scripted.');
  if (req.script !== undefined) throw new RustyError('usage', '--script is only for --provider scripted.');
  const [{ AiRuntime }, { readSettingsFile }, { StatePaths }] = await Promise.all([
    import('../core/ai/runtime'), import('../core/state/settings'), import('../core/state/statePaths'),
  ]);
  const runtime = new AiRuntime({
    aiDir: new StatePaths(req.stateDir).ai,
    env: process.env,
    settings: readSettingsFile(req.workspace).values,
    probeLocal: true,
    onWarning: (m) => req.notice(`rusty: warning: ${terminalLine(m, 300)}`),
  });
  const plan = await runtime.plan({
    task: req.task,
    ...(req.files ? { files: req.files } : {}),
    ...(req.provider || req.model ? { override: { ...(req.provider ? { provider: req.provider as ProviderId } : {}), ...(req.model ? { model: req.model } : {}) } } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
  });
  const label = (i: number) => (req.count > 1 ? `[${i}/${req.count}] ` : '');
  return runtime.sessions(plan, req.count, (i, e) => req.notice(`rusty: ${label(i)}${terminalLine(e.message, 400)}`));
};

/** The --file texts that size the task for the router (missing, binary or refused paths are left to the agent to report). */
async function fileTexts(core: RustyCore, files: readonly string[]): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const rel of files) {
    if (relPathProblem(rel)) continue;
    const bytes = await core.wfs.read(rel).catch(() => undefined);
    if (bytes && !isBinary(bytes)) out.push({ path: rel, text: readText(bytes).text });
  }
  return out;
}

function positiveInt(name: string, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}, got ${v}`);
    return n;
  };
}

interface AskOpts {
  file?: string[];
  provider?: string;
  model?: string;
  candidates?: number;
  maxRounds?: number;
  thread?: string;
  script?: string;
  mcp?: boolean;
  code?: boolean;
}

function typeCheckText(c: AskCandidate): string {
  const impact = c.proposal?.impact;
  if (!impact) return 'type check: not run';
  if (isImpactFailure(impact)) return `type check: not run (${impact.error})`;
  const tc = impact.typeCheck;
  if (tc.status === 'skipped') return `type check: skipped (${tc.reason ?? ''})`;
  return `type check: ${tc.introduced.length} new error${tc.introduced.length === 1 ? '' : 's'}, ${tc.removed.length} fixed (${tc.checkedFiles} file${tc.checkedFiles === 1 ? '' : 's'}${tc.status === 'partial' ? ', partial' : ''})`;
}

function candidateJson(c: AskCandidate) {
  const p = c.proposal;
  const impact = p?.impact && !isImpactFailure(p.impact) ? p.impact : undefined;
  return {
    candidate: c.index, provider: c.provider, model: c.model,
    ...(p ? {
      id: p.id, title: p.title, source: p.source, existing: !!c.existing,
      files: p.files.map((f) => ({ path: f.path, ...(f.to ? { to: f.to } : {}), kind: f.kind, added: f.added, removed: f.removed })),
      ...(impact ? { typeCheck: { status: impact.typeCheck.status, introduced: impact.typeCheck.introduced.length, removed: impact.typeCheck.removed.length }, risk: impact.risk.score } : {}),
    } : {}),
    ...(c.score !== undefined ? { score: c.score, rank: c.rank, facts: c.facts } : {}),
    ...(c.run ? { rounds: c.run.turns, repairs: c.run.repairs.map((r) => ({ round: r.round, kind: r.kind })), usage: c.run.usage, ...(c.run.costUsd !== undefined ? { costUsd: c.run.costUsd } : {}) } : {}),
    ...(c.error ? { error: c.error } : {}),
  };
}

function resultText(r: AskResult): string {
  const lines: string[] = [];
  const proposed = r.candidates.filter((c) => c.proposal).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  if (r.answer !== undefined) lines.push(terminalSafe(r.answer || '(the model gave an empty answer)'), '', 'No change proposed.');
  for (const c of proposed) {
    const p = c.proposal!;
    const t = p.files.reduce((s, f) => ({ a: s.a + f.added, r: s.r + f.removed }), { a: 0, r: 0 });
    const head = r.group ? `#${c.rank} score ${c.score}  ` : '';
    lines.push(`${head}${c.existing ? 'Already queued' : 'Queued'} ${p.id}  ${terminalLine(p.title, 100)}  +${t.a} −${t.r}  ${terminalLine(p.source, 60)}`);
    for (const f of p.files) lines.push(`    ${terminalLine(f.to ? `${f.path} → ${f.to}` : f.path, 120)}${f.kind === 'modify' ? '' : ` (${f.kind})`}  +${f.added} −${f.removed}`);
    const repairs = c.run?.repairs.length ? `, ${new Set(c.run.repairs.map((x) => x.round)).size} refused attempt(s) repaired` : '';
    lines.push(`    ${typeCheckText(c)}; ${c.run?.turns ?? 0} model turn${c.run?.turns === 1 ? '' : 's'}${repairs}; tokens ${c.run?.usage.inputTokens ?? 0} in / ${c.run?.usage.outputTokens ?? 0} out${c.run?.costUsd !== undefined ? `, $${c.run.costUsd.toFixed(4)}` : ''}`);
  }
  for (const c of r.candidates.filter((x) => x.error)) lines.push(`Candidate ${c.index} (${c.provider}/${terminalLine(c.model, 60)}): no proposal — ${terminalLine(c.error!, 300)}`);
  if (r.group) lines.push('', `Ranked by ${r.group.formula}`, 'Approving one rejects the others ("superseded by <id>").');
  if (proposed.length) {
    const id = proposed[0]!.proposal!.id;
    lines.push('', `Next: rusty show ${id} --diff · rusty approve ${id} · rusty reject ${id} --reason "…"`);
  }
  return lines.join('\n');
}

function describeEvent(e: AgentEvent): string | undefined {
  switch (e.type) {
    case 'turn': return `turn ${e.turn}: asking the model…`;
    case 'tool': return `  tool ${terminalLine(e.summary, 100)}${e.ok ? '' : ' (refused/failed)'}`;
    case 'validating': return `  validating ${e.files} file${e.files === 1 ? '' : 's'} (paths, base, type check)…`;
    case 'refused': return `  refused: ${e.problems.map((p) => `${p.kind} — ${terminalLine(p.message, 120)}`).join('; ')} (sent back to the model)`;
    case 'accepted': return '  accepted';
    case 'text': return undefined;
  }
}

export function registerAskCommand(program: Command, deps: AskCliDeps): void {
  const { io, setExit } = deps;
  program.command('ask')
    .description('ask an AI model for a change: it reads the workspace (read-only tools) and its edits are validated and queued as proposals')
    .argument('<task>', 'what to do, in words')
    .option('--file <paths...>', 'files to send with the task (the model can read others with its tools)')
    .addOption(new Option('--provider <id>', 'model provider').choices([...PROVIDER_IDS]))
    .option('--model <id>', 'model id (default: the provider\'s or the router\'s choice)')
    .addOption(new Option('--candidates <n>', 'competing answers, each validated and scored; approving one rejects the others').argParser(positiveInt('--candidates', 8)))
    .addOption(new Option('--max-rounds <k>', 'refused attempts sent back to the model for repair (default 3)').argParser(positiveInt('--max-rounds', 10)))
    .option('--thread <id>', 'conversation id: earlier proposals of the thread (and why they were rejected) go with the request')
    .option('--script <file>', 'JSON turns for --provider scripted (offline replay)')
    .option('--mcp', 'offer the workspace\'s MCP tools to the model (through the permission gate)')
    .option('--code', 'offer run_code: the model may write a sandboxed TypeScript script whose writes join its proposal')
    .action(async (task: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals() as AskOpts & { workspace?: string; json?: boolean };
      const out = new Output(io, !!g.json);
      let mcp: McpService | undefined;
      try {
        if (!task.trim()) throw new RustyError('usage', 'Say what to do: rusty ask "TASK".');
        if (g.thread !== undefined && !/^[\w.-]{1,80}$/.test(g.thread)) throw new RustyError('usage', `--thread must be 1–80 letters, digits, '.', '_' or '-', got ${JSON.stringify(g.thread)}.`);
        const core = await deps.openCore(g.workspace ?? deps.callerCwd, out);
        const files = g.file?.map((f) => deps.toWorkspacePath(core.wfs.root, f));
        let script: unknown;
        if (g.script !== undefined) {
          try {
            script = JSON.parse(fs.readFileSync(path.resolve(deps.callerCwd, g.script), 'utf8'));
          } catch (err) {
            throw new RustyError('usage', `--script ${g.script}: ${(err as Error).message}`);
          }
        }
        const count = g.candidates ?? 1;
        const factory = deps.sessionFactory ?? createSession;
        const sessions = await factory({
          ...(g.provider ? { provider: g.provider } : {}), ...(g.model ? { model: g.model } : {}), count, task,
          ...(script !== undefined ? { script } : {}),
          workspace: core.wfs.root, stateDir: core.stateDir,
          ...(files ? { files: await fileTexts(core, files) } : {}),
          notice: (line) => out.notice(line),
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        if (g.mcp) {
          const { openService } = await import('./mcp');
          mcp = await openService({ workspace: core.wfs.root, ...(g.json ? { json: true } : {}) }, out, { io, setExit, callerCwd: deps.callerCwd, ...(deps.signal ? { signal: deps.signal } : {}) });
          await mcp.start();
        }
        const stream = io.isTty && !out.json && count === 1;
        let midLine = false;
        const label = (i: number) => (count > 1 ? `[${i}/${count}] ` : '');
        out.notice(`rusty: ${sessions.map((s, i) => `${label(i + 1)}${s.choice.provider}/${terminalLine(s.choice.model, 60)} — ${terminalLine(s.choice.rationale, 200)}`).join('\n       ')}`);
        const { ask } = await import('../core/ai/agent');
        const result = await ask(core, {
          task, sessions,
          ...(files ? { files } : {}),
          ...(g.maxRounds !== undefined ? { maxRounds: g.maxRounds } : {}),
          ...(g.thread ? { thread: g.thread } : {}),
          ...(mcp ? { mcp } : {}),
          ...(g.code ? { codeMode: {} } : {}),
          ...(deps.signal ? { signal: deps.signal } : {}),
          onPolicyError: (m) => out.notice(`rusty: warning: ${m}`),
          onEvent: (i, e) => {
            if (e.type === 'text') {
              if (stream) {
                process.stderr.write(terminalSafe(e.text));
                midLine = !e.text.endsWith('\n');
              }
              return;
            }
            const line = describeEvent(e);
            if (!line) return;
            if (midLine) {
              process.stderr.write('\n');
              midLine = false;
            }
            out.notice(`rusty: ${label(i)}${line}`);
          },
        });
        if (midLine) process.stderr.write('\n');
        out.result({
          ...(result.answer !== undefined ? { answer: result.answer } : {}),
          proposals: result.candidates.filter((c) => c.proposal).map(candidateJson),
          failed: result.candidates.filter((c) => !c.proposal && c.error).map(candidateJson),
          ...(result.group ? { group: result.group.id, formula: result.group.formula } : {}),
        }, () => resultText(result));
        if (!result.candidates.some((c) => c.proposal) && result.answer === undefined) {
          out.notice('rusty: no change was proposed (see above).');
          setExit(EXIT_REFUSED);
        }
      } catch (err) {
        if (isRustyError(err) || !(err instanceof AiError)) setExit(out.error(err));
        else setExit(out.error(new RustyError('refused', `${err.message} ${err.action}`, { ai: err.kind, ...(err.provider ? { provider: err.provider } : {}) })));
      } finally {
        await mcp?.dispose();
      }
    });
}
