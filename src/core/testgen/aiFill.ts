// `gen-tests --ai`: the model replaces the skeleton's todos with real expectations, by search/replace
// edits on the generated test file only (it reads the file as if it were in the workspace). The
// filled file is run with the project's runner on an overlay copy like the skeleton; each case the
// model filled is reported passed or failed, todos left stay todos, and no case may be dropped.
import type { RustyCore } from '../rustyCore';
import type { WorkspaceFs } from '../ports/workspaceFs';
import type { ChangeSet } from '../proposals/changeSet';
import type { ModelSession } from '../ai/types';
import { createEngineContext } from '../engine/context';
import { aiRecord, saveTranscript } from '../ai/agent/ask';
import { runAgent, type AgentEvent, type ChangeValidator } from '../ai/agent/loop';
import { redactString } from '../audit/redact';
import { runGeneratedTest, type TestRunRecord } from './run';
import type { GeneratedTests } from './generate';

/** One case of the skeleton after the model: filled (and its result in the run) or left todo. */
export interface FilledCase { title: string; status: 'passed' | 'failed' | 'todo' | 'not-run' }

export interface AiFillResult {
  provider: string;
  model: string;
  outcome: 'filled' | 'answer' | 'gave-up';
  /** The queued proposal's change set (the skeleton with the model's expectations); absent when the model filled nothing. */
  changeSet?: ChangeSet;
  testRun?: TestRunRecord;
  cases: FilledCase[];
  /** Why nothing was filled (the model's answer, or its last refusal). */
  reason?: string;
  queued?: { id: string; existing: boolean };
}

// The todo forms generate.ts writes: node:test `{ todo: true }`, `.todo(…)`, mocha's pending `it(…)`.
const TODO_LINE = /^\s*(?:it|test)(?:\.todo)?\(('(?:[^'\\]|\\.)*')(?:, \{ todo: true \})?\);\s*$/;

/** The todo cases of a skeleton: the title as written (quoted) and the line. */
export function todoCases(skeleton: string): { quoted: string; title: string; line: string }[] {
  return skeleton.split('\n').flatMap((line) => {
    const m = TODO_LINE.exec(line);
    return m ? [{ quoted: m[1]!, title: m[1]!.slice(1, -1).replace(/\\(.)/g, '$1'), line: line.trim() }] : [];
  });
}

/** Filled: its todo line is gone and its title is still there; todo: the line is unchanged; dropped: the title is gone. */
export function caseStates(skeleton: string, filled: string): { title: string; state: 'filled' | 'todo' | 'dropped' }[] {
  const lines = new Set(filled.split('\n').map((l) => l.trim()));
  return todoCases(skeleton).map((c) => ({ title: c.title, state: lines.has(c.line) ? 'todo' : filled.includes(c.quoted) ? 'filled' : 'dropped' }));
}

/** A filled case failed when a failure line of the runner's output names it (TAP `not ok`, jest `●`, vitest `×`, mocha `1)`). */
function failedIn(run: TestRunRecord, title: string): boolean {
  if (run.status !== 'failed') return false;
  const mark = /^\s*(?:not ok \d+ - |●|×|✗|✕|FAIL\b|\d+\) )/;
  return (run.output ?? '').split('\n').some((l) => mark.test(l) && l.includes(title));
}

/** The workspace with the skeleton at its (not yet existing) path; writes are never made through it. */
function withSkeleton(wfs: WorkspaceFs, testPath: string, content: string): WorkspaceFs {
  const bytes = new TextEncoder().encode(content);
  return {
    root: wfs.root,
    read: async (rel) => (rel === testPath ? bytes : wfs.read(rel)),
    stat: async (rel) => (rel === testPath ? { size: bytes.length, mode: 0o644, isSymbolicLink: false, isFile: true } : wfs.stat(rel)),
    writeAtomic: async () => { throw new Error('the skeleton overlay is read-only'); },
    remove: async () => { throw new Error('the skeleton overlay is read-only'); },
    applyBatch: async () => { throw new Error('the skeleton overlay is read-only'); },
    removeEmptyDir: async () => { throw new Error('the skeleton overlay is read-only'); },
    removeTemp: async () => { throw new Error('the skeleton overlay is read-only'); },
    containmentProblem: (rel) => wfs.containmentProblem(rel),
    writeProblem: (rel) => wfs.writeProblem(rel),
    ...(wfs.allFiles ? { allFiles: async () => [...new Set([...(await wfs.allFiles!()), testPath])] } : {}),
  };
}

export function fillTask(gen: GeneratedTests, source: string): string {
  return [
    `${gen.testPath} is a ${gen.conventions.framework} test skeleton for ${source} (not yet in the workspace; edit it as shown).`,
    'Replace todo cases with real tests whose expectations follow from the code of the source file: turn a todo line into a test with a body and an assertion, keeping its title exactly.',
    'Leave a case todo (its line unchanged) when the code does not determine the expected result. Do not remove or rename cases, and edit no other file.',
    `Use SEARCH/REPLACE blocks on ${gen.testPath} only.`,
  ].join('\n');
}

export interface AiFillOptions {
  gen: GeneratedTests;
  source: string;
  session: ModelSession;
  signal?: AbortSignal;
  onEvent?: (e: AgentEvent) => void;
  /** false: queue without running (`--no-run`). */
  run?: boolean;
  /** Unsaved editor text laid over the run's copy (VS Code; `unsavedOverlay`). */
  unsaved?: Record<string, Uint8Array>;
}

export async function fillExpectations(core: RustyCore, opts: AiFillOptions): Promise<AiFillResult> {
  const { gen, signal } = opts;
  const wfs = withSkeleton(core.wfs, gen.testPath, gen.content);
  const validate: ChangeValidator = async (cs) => {
    const refused: { kind: 'path-refused' | 'invalid'; message: string }[] = [];
    for (const e of cs.edits) {
      if (e.path !== gen.testPath || e.kind !== 'modify') refused.push({ kind: 'path-refused', message: `Refused: ${e.kind} ${e.path}. Edit only ${gen.testPath}, with SEARCH/REPLACE blocks.` });
    }
    const edit = cs.edits.find((e) => e.path === gen.testPath && e.kind === 'modify');
    if (edit && edit.kind === 'modify') {
      const states = caseStates(gen.content, edit.content);
      const dropped = states.filter((s) => s.state === 'dropped').map((s) => JSON.stringify(s.title));
      if (dropped.length) refused.push({ kind: 'invalid', message: `These cases were removed or renamed: ${dropped.join(', ')}. Keep every case title; leave a case todo when its expectation is unknown.` });
      if (!states.some((s) => s.state === 'filled')) refused.push({ kind: 'invalid', message: 'No todo case was filled: replace a todo line with a test that has a body and an assertion.' });
    }
    return { refused };
  };
  const task = fillTask(gen, opts.source);
  const run = await runAgent({
    ctx: createEngineContext(wfs, signal ? { signal } : {}), session: opts.session, task, validate,
    files: [opts.source, gen.testPath], ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  const base = { provider: run.provider, model: run.model };
  const edit = run.changeSet?.edits.find((e) => e.path === gen.testPath);
  if (run.outcome !== 'change' || !edit || edit.kind !== 'modify') {
    const reason = run.outcome === 'gave-up' ? `every attempt was refused; last: ${run.repairs[run.repairs.length - 1]?.message.split('\n')[0] ?? 'unknown'}` : `the model filled nothing${run.rationale ? `: ${run.rationale}` : ''}`;
    return { ...base, outcome: run.outcome === 'gave-up' ? 'gave-up' : 'answer', cases: todoCases(gen.content).map((c) => ({ title: c.title, status: 'todo' })), reason: redactString(reason) };
  }
  const filled = edit.content;
  const testRun = opts.run === false ? undefined : await runGeneratedTest(core.wfs.root, gen.conventions.framework, gen.testPath, filled, { ...(signal ? { signal } : {}), ...(opts.unsaved ? { unsaved: opts.unsaved } : {}) });
  // Filled cases named on a failure line failed; a failed run that names none (a file that does not load) fails them all.
  const named = new Set(testRun ? todoCases(gen.content).filter((c) => failedIn(testRun, c.title)).map((c) => c.title) : []);
  const cases: FilledCase[] = caseStates(gen.content, filled).map((s) => ({
    title: s.title,
    status: s.state !== 'filled' ? 'todo' : !testRun || testRun.status === 'not-run' ? 'not-run' : named.has(s.title) || (testRun.status === 'failed' && !named.size) ? 'failed' : 'passed',
  }));
  const list = (st: FilledCase['status']) => cases.filter((c) => c.status === st).map((c) => JSON.stringify(c.title)).join(', ') || 'none';
  const rationale = [
    `${gen.changeSet.rationale ?? ''}`,
    `The model (${run.provider}/${run.model}) filled ${cases.filter((c) => c.status !== 'todo').length} of ${cases.length} todo cases: ${cases.filter((c) => c.status !== 'todo').map((c) => `${JSON.stringify(c.title)} (${c.status})`).join(', ')}. Left todo: ${list('todo')}.`,
    ...(run.rationale ? [`Model's note: ${redactString(run.rationale).slice(0, 4000)}`] : []),
  ].join('\n\n');
  const changeSet: ChangeSet = {
    title: `${gen.changeSet.title} (expectations by ${run.provider}/${run.model})`, source: `ai:${run.provider}/${run.model}`, rationale,
    edits: gen.changeSet.edits.map((e) => (e.path === gen.testPath && e.kind === 'create' ? { ...e, content: filled } : e)),
  };
  const transcript = saveTranscript(core.stateDir, run, task, undefined);
  const record = testRun ? { ...testRun, filled: cases } : undefined;
  const { proposal, existing } = await core.submit(changeSet, { ai: aiRecord(run, task, undefined, transcript), ...(signal ? { signal } : {}), ...(record ? { testRun: record } : {}) });
  return { ...base, outcome: 'filled', changeSet, ...(record ? { testRun: record } : {}), cases, queued: { id: proposal.id, existing } };
}
