// "Rusty: Generate Tests" with the model (src/extension/testgen/register.ts): route over the
// configured providers as "Rusty: Ask…" does (VS Code's language models first when the user set no
// default), then fill the skeleton's expectations (src/core/testgen/aiFill.ts). No vscode here: it
// runs in dist/ai.js; VS Code's language models come in as `extra`.
import type { RustyCore } from '../../core/rustyCore';
import type { Secrets } from '../../core/ports/secrets';
import type { AgentEvent } from '../../core/ai/agent/loop';
import type { ConfiguredLike } from '../../core/ai/router/catalog';
import type { SessionEvent } from '../../core/ai/router/session';
import { fillExpectations, type AiFillResult } from '../../core/testgen/aiFill';
import type { GeneratedTests } from '../../core/testgen/generate';
import { routeTask } from './askFlow';

export interface TestFillPlanOptions {
  core: RustyCore;
  secrets?: Secrets;
  settings: Readonly<Record<string, unknown>>;
  extra: readonly ConfiguredLike[];
  /** The source file the tests are for (workspace-relative); its text sizes the task for the router. */
  source: string;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

export interface TestFill {
  /** `provider/model` the router chose. */
  model: string;
  /** The router's one-sentence reason. */
  route: string;
  run(o: { gen: GeneratedTests; signal?: AbortSignal; run?: boolean; unsaved?: Record<string, Uint8Array>; onEvent?: (e: AgentEvent) => void; onSessionEvent?: (e: SessionEvent) => void }): Promise<AiFillResult>;
}

/** The model that would fill the expectations, or why there is none (`none`: no provider at all). */
export async function planTestFill(o: TestFillPlanOptions): Promise<TestFill | { none: true } | { unavailable: string }> {
  const bytes = await o.core.wfs.read(o.source);
  const task = `Fill the expectations of a generated test skeleton for ${o.source} from its code.`;
  // No provider at all is not a problem here: the skeleton is the answer.
  const routed = await routeTask(o, task, bytes ? [{ path: o.source, text: new TextDecoder().decode(bytes) }] : [], o.signal);
  if (!('plan' in routed)) return routed;
  const { runtime, plan } = routed;
  const { choice } = plan.plan;
  return {
    model: `${choice.provider}/${choice.model}`,
    route: choice.rationale,
    run: async (r) => {
      const [session] = runtime.sessions(plan, 1, r.onSessionEvent ? (_i, e) => r.onSessionEvent!(e) : undefined);
      return fillExpectations(o.core, {
        gen: r.gen, source: o.source, session: session!,
        ...(r.signal ? { signal: r.signal } : {}), ...(r.run === false ? { run: false } : {}), ...(r.unsaved ? { unsaved: r.unsaved } : {}), ...(r.onEvent ? { onEvent: r.onEvent } : {}),
      });
    },
  };
}

/** One progress line for an agent event while the model fills the tests (untrusted text cut short). */
export function fillProgressLine(e: AgentEvent, streamed: number): string {
  switch (e.type) {
    case 'turn': return `asking the model (request ${e.turn})…`;
    case 'text': return `the model is writing the tests (${streamed.toLocaleString('en-US')} characters)…`;
    case 'tool': return `the model read ${e.summary.slice(0, 80)}`;
    case 'validating': return 'checking the edit: only the test file, every case kept…';
    case 'refused': return `attempt ${e.turn} sent back to the model: ${e.problems[0]?.message.split('\n')[0]?.slice(0, 100) ?? ''}`;
    case 'accepted': return 'running the filled tests on a copy of the workspace…';
  }
}
