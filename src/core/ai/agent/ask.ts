// `ask`: run the agent loop with one model session (or N competing ones), then queue each
// validated change as one proposal through RustyCore.submit, with its `ai` record and the
// redacted transcript in the state folder. Competing candidates are scored from measured facts,
// ranked and linked as a group (approving one rejects the others). Cancelled: nothing is queued.
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { RustyCore } from '../../rustyCore';
import type { Proposal, AiRecord } from '../../proposals/model';
import type { ChangeSet } from '../../proposals/changeSet';
import type { TestRunRecord } from '../../testgen/run';
import { createEngineContext } from '../../engine/context';
import { redactSecrets, redactString } from '../../audit/redact';
import { loadAiCommandPolicy } from '../../mcp/policy/load';
import { RustyError } from '../../util/errors';
import { sha256 } from '../../util/hash';
import { writeFileDurable } from '../../util/fsx';
import type { ModelSession } from '../types';
import { runAgent, type AgentEvent, type AgentOptions, type AgentRun } from './loop';
import { factsOf, rank, SCORE_FORMULA, scoreOf, type CandidateFacts } from './score';
import { appendThreadTurn, checkThreadId, readThreadTurns, threadNotes } from './thread';
import type { McpToolBridge } from './tools';
import { pipelineValidator } from './validate';

export interface AskOptions {
  task: string;
  /** Workspace-relative files sent with the task. */
  files?: string[];
  /** One session per candidate (several providers, or several samples of one). */
  sessions: ModelSession[];
  maxRounds?: number;
  maxTurns?: number;
  thread?: string;
  mcp?: McpToolBridge;
  /** Offer run_code (the code-mode sandbox) to the model. */
  codeMode?: AgentOptions['codeMode'];
  signal?: AbortSignal;
  temperature?: number;
  onEvent?: (candidate: number, e: AgentEvent) => void;
  /** Problems reading the `ai` section of .rusty/policy.json, or saving the thread. */
  onPolicyError?: (message: string) => void;
  /** Run before a change is queued; attached to its proposal (`rusty debug --ai`: the failing test without and with the change). */
  testRunFor?: (changeSet: ChangeSet) => Promise<TestRunRecord | undefined>;
  /** Put before the proposal's source (`debug:` → `debug:ai:<provider>/<model>`). */
  sourcePrefix?: string;
}

export interface AskCandidate {
  /** 1-based, in the order the sessions were given. */
  index: number;
  provider: string;
  model: string;
  run?: AgentRun;
  /** Why this candidate produced no proposal (an error, every attempt refused). */
  error?: string;
  proposal?: Proposal;
  existing?: boolean;
  facts?: CandidateFacts;
  score?: number;
  rank?: number;
}

export interface AskResult {
  candidates: AskCandidate[];
  /** Set with more than one candidate proposal. */
  group?: { id: string; formula: string };
  /** The model's answer when it proposed no change (an explanation task). */
  answer?: string;
}

export const TRANSCRIPT_DIR = path.join('ai', 'transcripts');

/** The conversation, redacted, as a file in the state folder; returns the reference the proposal keeps. */
export function saveTranscript(stateDir: string, run: AgentRun, task: string, thread: string | undefined): NonNullable<AiRecord['transcript']> {
  const rel = `${TRANSCRIPT_DIR.split(path.sep).join('/')}/${randomUUID()}.json`;
  // Usage is added after redaction: its keys (inputTokens…) look like secrets to the key rule.
  const doc = {
    ...(redactSecrets({
      version: 1, task, ...(thread ? { thread } : {}), provider: run.provider, model: run.model, route: run.route,
      repairs: run.repairs, system: run.system, messages: run.messages,
    }) as Record<string, unknown>),
    usage: run.usage,
  };
  const bytes = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileDurable(path.join(stateDir, ...rel.split('/')), bytes);
  return { path: rel, sha256: sha256(bytes), messages: run.messages.length };
}

function repairRounds(run: AgentRun): number {
  return new Set(run.repairs.map((r) => r.round)).size;
}

/** The proposal's AI record; model text in it (repair messages quote files) is redacted like the transcript. */
export function aiRecord(run: AgentRun, task: string, thread: string | undefined, transcript: AiRecord['transcript']): AiRecord {
  return {
    provider: run.provider, model: run.model, route: redactString(run.route), ...(thread ? { thread } : {}), task: redactString(task),
    rounds: run.turns, repairs: run.repairs.map((r) => ({ ...r, message: redactString(r.message) })), usage: { ...run.usage },
    ...(run.costUsd !== undefined ? { costUsd: run.costUsd } : {}),
    ...(transcript ? { transcript } : {}),
  };
}

export async function ask(core: RustyCore, opts: AskOptions): Promise<AskResult> {
  const result = await askOnce(core, opts);
  if (opts.thread) {
    // The question and its outcome join the thread, for the next follow-up.
    const proposals = [...new Set(result.candidates.flatMap((c) => (c.proposal ? [c.proposal.id] : [])))];
    try {
      appendThreadTurn(core.stateDir, opts.thread, { at: new Date().toISOString(), task: opts.task, ...(result.answer !== undefined ? { answer: result.answer } : {}), ...(proposals.length ? { proposals } : {}) });
    } catch (err) {
      opts.onPolicyError?.(`The thread ${opts.thread} could not be saved (${(err as Error).message}); a follow-up will not see this question.`);
    }
  }
  return result;
}

async function askOnce(core: RustyCore, opts: AskOptions): Promise<AskResult> {
  if (!opts.sessions.length) throw new RustyError('usage', 'No model session to ask.');
  const { signal } = opts;
  const policy = loadAiCommandPolicy(core.wfs.root);
  for (const e of policy.errors) opts.onPolicyError?.(e);
  if (opts.thread !== undefined) checkThreadId(opts.thread);
  const thread = opts.thread ? threadNotes({ list: () => core.list(), auditEntries: (f) => core.auditEntries(f) }, opts.thread) : [];
  const history = opts.thread ? readThreadTurns(core.stateDir, opts.thread) : [];
  const validate = pipelineValidator({ wfs: core.wfs, maxFileBytes: core.settings.maxFileSizeMB * 1024 * 1024 });

  const settled = await Promise.allSettled(opts.sessions.map((session, i) => runAgent({
    ctx: createEngineContext(core.wfs, signal ? { signal } : {}),
    session, task: opts.task, validate, thread, ...(history.length ? { history } : {}),
    ...(opts.files ? { files: opts.files } : {}),
    ...(opts.maxRounds !== undefined ? { maxRounds: opts.maxRounds } : {}),
    ...(opts.maxTurns !== undefined ? { maxTurns: opts.maxTurns } : {}),
    ...(opts.mcp ? { mcp: opts.mcp } : {}),
    ...(opts.codeMode ? { codeMode: opts.codeMode } : {}),
    ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
    commands: policy.commands, commandTimeoutMs: policy.timeoutMs,
    onEvent: (e) => opts.onEvent?.(i + 1, e),
  })));
  // Ctrl-C at any moment before queuing: nothing is queued.
  if (signal?.aborted) throw new RustyError('cancelled', 'Cancelled: the model was stopped; nothing was proposed.');
  const cancelled = settled.find((s) => s.status === 'rejected' && (s.reason as { code?: string })?.code === 'cancelled');
  if (cancelled) throw (cancelled as PromiseRejectedResult).reason;

  const candidates: AskCandidate[] = settled.map((s, i) => {
    const c: AskCandidate = { index: i + 1, provider: opts.sessions[i]!.choice.provider, model: opts.sessions[i]!.choice.model };
    if (s.status === 'rejected') {
      const err = s.reason as Error & { action?: string };
      return { ...c, error: `${err.message}${err.action ? ` ${err.action}` : ''}` };
    }
    const run = s.value;
    c.provider = run.provider;
    c.model = run.model;
    if (run.outcome === 'gave-up') return { ...c, run, error: `every attempt was refused (${repairRounds(run)} rounds); last: ${run.repairs[run.repairs.length - 1]?.message.split('\n')[0] ?? 'unknown'}` };
    if (run.outcome === 'answer' && opts.sessions.length > 1) return { ...c, run, error: 'answered without proposing a change' };
    return { ...c, run };
  });
  const changed = candidates.filter((c) => c.run?.outcome === 'change');
  if (!changed.length) {
    if (opts.sessions.length === 1 && candidates[0]!.run?.outcome === 'answer') return { candidates, answer: candidates[0]!.run.rationale };
    return { candidates };
  }

  // Queue each change (its impact was computed while validating), then score from measured facts.
  if (signal?.aborted) throw new RustyError('cancelled', 'Cancelled: the model was stopped; nothing was proposed.');
  for (const c of changed) {
    const run = c.run!;
    const transcript = saveTranscript(core.stateDir, run, opts.task, opts.thread);
    // The model's title and explanation are stored and audited: redacted (the code itself is not touched).
    const cs = run.changeSet!;
    const changeSet = { ...cs, title: redactString(cs.title), ...(cs.rationale ? { rationale: redactString(cs.rationale) } : {}), ...(opts.sourcePrefix ? { source: `${opts.sourcePrefix}${cs.source}` } : {}) };
    const testRun = opts.testRunFor ? await opts.testRunFor(changeSet) : undefined;
    const { proposal, existing } = await core.submit(changeSet, { ai: aiRecord(run, opts.task, opts.thread, transcript), ...(run.impact ? { impact: run.impact } : {}), ...(testRun ? { testRun } : {}) });
    c.proposal = proposal;
    c.existing = existing;
    c.facts = factsOf(run.impact, proposal.files.reduce((n, f) => n + f.added + f.removed, 0), repairRounds(run));
    c.score = scoreOf(c.facts);
  }
  const ranked = rank(changed.map((c) => ({ c, score: c.score! })));
  ranked.forEach(({ c }, i) => { c.rank = i + 1; });
  if (ranked.length < 2) return { candidates };

  const groupId = `g-${randomUUID().slice(0, 8)}`;
  const ids = [...new Set(ranked.map(({ c }) => c.proposal!.id))];
  const members = ranked.filter(({ c }, i) => ranked.findIndex((r) => r.c.proposal!.id === c.proposal!.id) === i).map(({ c }) => ({
    id: c.proposal!.id,
    group: { id: groupId, rank: c.rank!, score: c.score!, formula: SCORE_FORMULA, facts: { ...c.facts! }, siblings: ids.filter((x) => x !== c.proposal!.id) },
  }));
  if (members.length < 2) return { candidates }; // the candidates proposed the same change
  const updated = await core.recordAiGroup(members);
  for (const p of updated) for (const c of changed) if (c.proposal?.id === p.id) c.proposal = p;
  return { candidates, group: { id: groupId, formula: SCORE_FORMULA } };
}
