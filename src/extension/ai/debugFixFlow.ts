// "Debug Stack Trace…" / "Propose a Fix" with the model when TypeScript offers no fix
// (src/extension/debug/register.ts): route over the configured providers as "Rusty: Ask…" does
// (VS Code's language models first when the user set no default), then ask for a fix with the
// task `rusty debug --ai` sends (aiFixTask: the trace as data), validated like `rusty ask`, the
// failing test run without and with it before it is queued. No vscode here: it runs in dist/ai.js.
import type { RustyCore } from '../../core/rustyCore';
import type { Secrets } from '../../core/ports/secrets';
import type { AgentEvent } from '../../core/ai/agent/loop';
import type { ConfiguredLike } from '../../core/ai/router/catalog';
import type { SessionEvent } from '../../core/ai/router/session';
import type { ChangeSet } from '../../core/proposals/changeSet';
import type { DebugReport } from '../../core/debug/analyze';
import { aiFixTask, type FailingTest } from '../../core/debug/failingTest';
import type { TestRunRecord } from '../../core/testgen/run';
import { routeTask } from './askFlow';

export interface DebugFixPlanOptions {
  core: RustyCore;
  secrets?: Secrets;
  settings: Readonly<Record<string, unknown>>;
  extra: readonly ConfiguredLike[];
  report: DebugReport;
  /** The failing test read from the trace, when known (named in the task, its file sent). */
  test?: FailingTest;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

export interface DebugFixResult {
  /** `provider/model` that answered. */
  model: string;
  proposal?: { id: string; existing: boolean; title: string };
  testRun?: TestRunRecord;
  /** Why no fix was queued (every attempt refused, an error, an answer without a change). */
  error?: string;
  /** The model's explanation when it proposed no change. */
  answer?: string;
}

export interface DebugFix {
  /** `provider/model` the router chose. */
  model: string;
  /** The router's one-sentence reason. */
  route: string;
  run(o: { signal?: AbortSignal; testRunFor?: (cs: ChangeSet) => Promise<TestRunRecord | undefined>; onEvent?: (e: AgentEvent) => void; onSessionEvent?: (e: SessionEvent) => void }): Promise<DebugFixResult>;
}

/** The model that would propose the fix, or why there is none (`none`: no provider at all). */
export async function planDebugFix(o: DebugFixPlanOptions): Promise<DebugFix | { none: true } | { unavailable: string }> {
  const focus = o.report.focus?.file;
  if (!focus) return { unavailable: 'No frame is in the workspace: there is no file to fix.' };
  const files = [focus, ...(o.test && o.test.file !== focus ? [o.test.file] : [])];
  const task = aiFixTask(o.report, o.test);
  const texts: { path: string; text: string }[] = [];
  for (const f of files) {
    const bytes = await o.core.wfs.read(f);
    if (bytes) texts.push({ path: f, text: new TextDecoder().decode(bytes) });
  }
  // No provider at all: the explanation alone is the answer.
  const routed = await routeTask(o, task, texts, o.signal);
  if (!('plan' in routed)) return routed;
  const { runtime, plan } = routed;
  const { choice } = plan.plan;
  return {
    model: `${choice.provider}/${choice.model}`,
    route: choice.rationale,
    run: async (r) => {
      const [session] = runtime.sessions(plan, 1, r.onSessionEvent ? (_i, e) => r.onSessionEvent!(e) : undefined);
      const { ask } = await import('../../core/ai/agent/ask');
      const result = await ask(o.core, {
        task, files, sessions: [session!], sourcePrefix: 'debug:',
        ...(r.signal ? { signal: r.signal } : {}), ...(r.testRunFor ? { testRunFor: r.testRunFor } : {}),
        ...(r.onEvent ? { onEvent: (_i: number, e: AgentEvent) => r.onEvent!(e) } : {}),
        onPolicyError: (m) => o.onWarning?.(m),
      });
      const c = result.candidates[0]!;
      const model = `${c.provider}/${c.model}`;
      if (!c.proposal) return { model, error: c.error ?? 'the model proposed no change', ...(result.answer !== undefined ? { answer: result.answer } : {}) };
      return { model, proposal: { id: c.proposal.id, existing: !!c.existing, title: c.proposal.title }, ...(c.proposal.testRun ? { testRun: c.proposal.testRun } : {}) };
    },
  };
}

/** One progress line for an agent event while the model works on the fix (untrusted text cut short). */
export function debugFixProgressLine(e: AgentEvent, streamed: number): string {
  switch (e.type) {
    case 'turn': return `asking the model for a fix (request ${e.turn})…`;
    case 'text': return `the model is writing the fix (${streamed.toLocaleString('en-US')} characters)…`;
    case 'tool': return `the model read ${e.summary.slice(0, 80)}`;
    case 'validating': return 'checking the fix: it parses, type-checks and applies…';
    case 'refused': return `attempt ${e.turn} sent back to the model: ${e.problems[0]?.message.split('\n')[0]?.slice(0, 100) ?? ''}`;
    case 'accepted': return 'the fix passed the checks…';
  }
}
