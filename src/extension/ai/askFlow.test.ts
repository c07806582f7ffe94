// "Rusty: Ask…" without VS Code: runAsk (the composition dist/ai.js runs) on a small real workspace
// with the scripted provider standing where VS Code's language models stand (`extra`), the real
// router, budgets, agent loop and RustyCore; AskProgress records what the review panel would show.
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../../core/testing/tempWorkspace';
import { ScriptedProvider, type ScriptedTurn } from '../../core/ai/providers/scripted';
import type { ChatRequest } from '../../core/ai/types';
import { SCORE_FORMULA } from '../../core/ai/agent';
import { alternativesOf, toDetailView } from '../views/proposalViews';
import { AskProgress } from './askProgress';
import { runAsk } from './askFlow';
import { describeCandidateFailure } from './aiErrors';

const MATH = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const edit = (search: string, replace: string, title = 'Swap operands') => `TITLE: ${title}\nBecause.\n\nFILE: src/math.ts\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`;

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

function workspace(): TempWorkspace {
  ws = tempWorkspace({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] }, include: ['src/**/*.ts'] }),
    'src/math.ts': MATH,
  });
  return ws;
}

function sink(progress: AskProgress) {
  return {
    onRoute: (r: string, models: string[]) => progress.route(r, models),
    onAgentEvent: (i: number, e: Parameters<AskProgress['agent']>[1]) => progress.agent(i, e),
    onSessionEvent: (i: number, e: Parameters<AskProgress['session']>[1]) => progress.session(i, e),
  };
}

describe('runAsk (the composition behind "Rusty: Ask…")', () => {
  it('routes to the front end\'s provider, streams, feeds a failed SEARCH back, and queues one pending proposal; nothing written', async () => {
    const w = workspace();
    const core = w.core();
    const before = w.snapshot();
    const model = new ScriptedProvider([
      { text: edit('  return a - b;', '  return b + a;'), chunks: 5 },
      { text: edit('  return a + b;', '  return b + a;'), chunks: 5 },
    ], { model: 'scripted-1' });
    const progress = new AskProgress('Swap the operands', 'src/math.ts');
    const r = await runAsk({
      core, settings: {}, extra: [{ id: 'scripted', provider: model, local: true }], probeLocal: false,
      task: 'Swap the operands', files: ['src/math.ts'], maxRounds: 2, signal: new AbortController().signal, ...sink(progress),
    });
    expect(r.route).toMatch(/^Chose scripted\/scripted-1/);
    const [c] = r.candidates;
    expect(c?.proposal?.source).toBe('ai:scripted/scripted-1');
    expect(c?.proposal?.status).toBe('pending');
    expect(w.snapshot()).toEqual(before);
    const view = progress.view();
    expect(view.route).toBe(r.route);
    expect(view.candidates).toEqual([{ index: 1, model: 'scripted/scripted-1', text: expect.stringContaining('return b + a;') }]);
    const kinds = view.events.map((e) => e.kind);
    expect(kinds[0]).toBe('route');
    expect(kinds).toContain('repair');
    expect(kinds.at(-1)).toBe('accepted');
    expect(view.events.find((e) => e.kind === 'repair')?.message).toMatch(/^Attempt 1 sent back to the model: no-match: /);
    // The review panel's AI record.
    const ai = toDetailView(core.get(c!.proposal!.id)).ai!;
    expect(ai).toMatchObject({ provider: 'scripted', model: 'scripted-1', task: 'Swap the operands', rounds: 2, repairs: [{ round: 1, kind: 'no-match' }] });
    expect(ai.transcript?.path).toMatch(/^ai\/transcripts\/.+\.json$/);
  });

  it('with candidates, the proposals form a group the panel shows side by side, best first, with the formula', async () => {
    const w = workspace();
    const core = w.core();
    const answer = (i: number): ScriptedTurn => ({ text: i === 0 ? edit('  return a + b;', '  return b + a;') : edit('  return a + b;', '  const sum = a + b;\n  return sum;', 'Name the sum') });
    const model = new ScriptedProvider([(_req: ChatRequest, i: number) => answer(i), (_req: ChatRequest, i: number) => answer(i)], { model: 'scripted-1' });
    const r = await runAsk({
      core, settings: {}, extra: [{ id: 'scripted', provider: model, local: true }], probeLocal: false,
      task: 'Tidy add', files: ['src/math.ts'], candidates: 2, signal: new AbortController().signal,
    });
    expect(r.group?.formula).toBe(SCORE_FORMULA);
    const ids = r.candidates.map((c) => c.proposal!.id);
    expect(new Set(ids).size).toBe(2);
    const alts = alternativesOf(core.get(ids[0]!), (id) => core.proposals.find(id))!;
    expect(alts.formula).toBe(SCORE_FORMULA);
    expect(alts.items.map((a) => a.rank)).toEqual([1, 2]);
    expect(alts.items.filter((a) => a.current).map((a) => a.id)).toEqual([ids[0]]);
    expect(alts.items.every((a) => a.model === 'scripted/scripted-1' && typeof a.score === 'number')).toBe(true);
  });

  it('a budget cap refuses before anything is sent, and the failure names the cap', async () => {
    const w = workspace();
    const model = new ScriptedProvider([{ text: edit('  return a + b;', '  return b + a;') }], { model: 'scripted-1' });
    const r = await runAsk({
      core: w.core(), settings: { 'rusty.ai.budget.perTaskTokens': 10 }, extra: [{ id: 'scripted', provider: model, local: true }], probeLocal: false,
      task: 'Swap the operands', files: ['src/math.ts'], signal: new AbortController().signal,
    });
    expect(model.requests).toEqual([]);
    expect(r.candidates[0]?.proposal).toBeUndefined();
    const failure = describeCandidateFailure(r.candidates[0]!.error!);
    expect(failure.message).toMatch(/rusty\.ai\.budget\.perTaskTokens/);
    expect(failure).toMatchObject({ actions: ['Open Settings'], setting: 'rusty.ai.budget.perTaskTokens' });
  });

  it('cancelled: throws "cancelled" and queues nothing', async () => {
    const w = workspace();
    const core = w.core();
    const model = new ScriptedProvider([{ text: edit('  return a + b;', '  return b + a;').repeat(5), chunks: 50, delayMs: 50 }], { model: 'scripted-1' });
    const ac = new AbortController();
    const progress = new AskProgress('Swap', 'workspace');
    const pending = runAsk({
      core, settings: {}, extra: [{ id: 'scripted', provider: model, local: true }], probeLocal: false,
      task: 'Swap', files: [], signal: ac.signal, ...sink(progress),
      onAgentEvent: (i, e) => {
        progress.agent(i, e);
        if (e.type === 'text') ac.abort();
      },
    });
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(core.list()).toEqual([]);
  });
});
