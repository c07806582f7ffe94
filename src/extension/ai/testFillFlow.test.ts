// "Generate Tests" with a model, the part that runs in dist/ai.js: the router's choice over the
// configured providers (none configured: the skeleton, no error), the fill on the real core with a
// scripted provider routed like any other, the progress lines, and a cancel while the model
// streams (nothing queued, nothing written).
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineContext } from '../../core/engine/context';
import { NodeWorkspaceFs } from '../../core/ports/nodeWorkspaceFs';
import { ScriptedProvider } from '../../core/ai/providers/scripted';
import { tempWorkspace, type TempWorkspace } from '../../core/testing/tempWorkspace';
import { generateTests } from '../../core/testgen/generate';
import { fillProgressLine, planTestFill } from './testFillFlow';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

const project = {
  'package.json': JSON.stringify({ name: 'shapes', type: 'module' }),
  'src/area.mjs': '/** @param {number} w */\nexport function area(w) {\n  return w * w;\n}\n',
  'test/existing.test.mjs': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('one', () => assert.ok(true));\n",
};

async function setup() {
  ws = tempWorkspace(project);
  const core = ws.core();
  const gen = await generateTests(createEngineContext(new NodeWorkspaceFs(ws.root)), { file: 'src/area.mjs' });
  const todo = gen.content.split('\n').find((l) => l.startsWith("test('area(1)'"))!;
  return { core, gen, todo };
}

describe('Generate Tests with a model (ai.js flow)', () => {
  it('no provider configured: none, not an error', async () => {
    const { core } = await setup();
    const started = Date.now();
    const r = await planTestFill({ core, settings: {}, extra: [], source: 'src/area.mjs' });
    expect(r).toEqual({ none: true });
    const first = Date.now() - started;
    const again = Date.now();
    expect(await planTestFill({ core, settings: {}, extra: [], source: 'src/area.mjs' })).toEqual({ none: true });
    console.log(`no provider: answered in ${first} ms, then ${Date.now() - again} ms (local servers probed)`);
  });

  it('routes to the configured model, fills, runs and queues; progress lines say what happens', async () => {
    const { core, gen, todo } = await setup();
    const before = ws!.snapshot();
    const filled = todo.replace(/, \{ todo: true \}\);$/, ', () => {\n  assert.equal(area(1), 1);\n});');
    const provider = new ScriptedProvider([{ text: `TITLE: area(1)\nFrom the code.\n\nFILE: ${gen.testPath}\n<<<<<<< SEARCH\n${todo}\n=======\n${filled}\n>>>>>>> REPLACE`, chunks: 6 }], { model: 'script-1' });
    const plan = await planTestFill({ core, settings: {}, extra: [{ id: 'scripted', provider, local: true }], source: 'src/area.mjs' });
    expect('model' in plan && plan.model).toBe('scripted/script-1');
    if (!('model' in plan)) return;
    const lines: string[] = [];
    let streamed = 0;
    const r = await plan.run({ gen, onEvent: (e) => { if (e.type === 'text') streamed += e.text.length; lines.push(fillProgressLine(e, streamed)); } });
    expect(r.outcome).toBe('filled');
    expect(r.cases.filter((c) => c.status !== 'todo')).toEqual([{ title: 'area(1)', status: 'passed' }]);
    expect(core.get(r.queued!.id).source).toBe('ai:scripted/script-1');
    expect(lines[0]).toBe('asking the model (request 1)…');
    expect(lines).toContain(`the model is writing the tests (${streamed} characters)…`);
    expect(lines.at(-1)).toBe('running the filled tests on a copy of the workspace…');
    expect(ws!.snapshot()).toEqual(before);
  }, 60_000);

  it('a cancel while the model streams rejects as cancelled; nothing is queued or written', async () => {
    const { core, gen } = await setup();
    const before = ws!.snapshot();
    const provider = new ScriptedProvider([{ text: 'tick '.repeat(200), chunks: 100, delayMs: 50 }], { model: 'slow-1' });
    const plan = await planTestFill({ core, settings: {}, extra: [{ id: 'scripted', provider, local: true }], source: 'src/area.mjs' });
    if (!('model' in plan)) throw new Error(JSON.stringify(plan));
    const abort = new AbortController();
    let texts = 0;
    const started = Date.now();
    await expect(plan.run({ gen, signal: abort.signal, onEvent: (e) => { if (e.type === 'text' && ++texts === 3) abort.abort(); } })).rejects.toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(core.list(['pending'])).toEqual([]);
    expect(ws!.snapshot()).toEqual(before);
  }, 60_000);
});
