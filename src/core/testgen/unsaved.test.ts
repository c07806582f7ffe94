// Generated tests on unsaved editor text (VS Code): the port returns the editor's text, the
// skeleton is generated from it, and the run lays that text over the overlay copy, so the test
// runs on what the editor shows; the record names the files, and nothing is written to the
// workspace. The port here is the Node adapter with one file's text replaced, as VS Code's adapter
// serves an open document with unsaved changes.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import type { WorkspaceFs } from '../ports/workspaceFs';
import { scriptedSession } from '../ai/providers/scripted';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { fillExpectations } from './aiFill';
import { generateTests } from './generate';
import { runGeneratedTest, unsavedOverlay } from './run';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

const SAVED = 'export function area(w) {\n  return w * w;\n}\n';
// The editor's text: `perimeter` exists only here.
const UNSAVED = `${SAVED}/** @param {number} w */\nexport function perimeter(w) {\n  return 4 * w;\n}\n`;

const project = {
  'package.json': JSON.stringify({ name: 'shapes', type: 'module' }),
  'src/shapes.js': SAVED,
  'src/util.js': 'export const one = 1;\n',
  'test/existing.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { area } from '../src/shapes.js';\ntest('squares', () => assert.equal(area(2), 4));\n",
};

/** The Node adapter with unsaved editor text for some files (reads only; writes go to disk as usual). */
function editorFs(root: string, unsaved: Record<string, string>): WorkspaceFs {
  const disk = new NodeWorkspaceFs(root);
  return Object.assign(Object.create(disk) as WorkspaceFs, {
    read: async (rel: string) => (rel in unsaved ? new TextEncoder().encode(unsaved[rel]) : disk.read(rel)),
  });
}

describe('generated tests on unsaved editor text', () => {
  it('the run lays the unsaved text over the copy and says so; the saved files would fail; nothing is written', async () => {
    ws = tempWorkspace(project);
    const before = ws.snapshot();
    // util.js is "dirty" with the same text as the disk: not laid over, not named.
    const wfs = editorFs(ws.root, { 'src/shapes.js': UNSAVED, 'src/util.js': 'export const one = 1;\n' });
    const unsaved = await unsavedOverlay(wfs, ['src/shapes.js', 'src/util.js', 'src/gone.js']);
    expect(Object.keys(unsaved)).toEqual(['src/shapes.js']);

    const gen = await generateTests(createEngineContext(wfs), { file: 'src/shapes.js', symbol: 'perimeter' });
    expect(gen.content).toContain("import { perimeter } from '../src/shapes.js';");
    const onDisk = await runGeneratedTest(ws.root, 'node:test', gen.testPath, gen.content);
    expect(onDisk.status).toBe('failed');
    expect(onDisk.output).toMatch(/perimeter/);
    expect(onDisk.unsaved).toBeUndefined();

    const run = await runGeneratedTest(ws.root, 'node:test', gen.testPath, gen.content, { unsaved });
    expect(run, run.output).toMatchObject({ status: 'passed', failed: 0, todo: gen.todos, unsaved: ['src/shapes.js'] });
    expect(run.passed).toBeGreaterThan(0);
    expect(ws.snapshot()).toEqual(before);
  }, 60_000);

  it('fillExpectations runs the filled file on the unsaved text: the case that needs it passes, todos stay todo', async () => {
    ws = tempWorkspace(project);
    const before = ws.snapshot();
    const wfs = editorFs(ws.root, { 'src/shapes.js': UNSAVED });
    const core = ws.core({ wfs });
    const gen = await generateTests(createEngineContext(wfs), { file: 'src/shapes.js', symbol: 'perimeter' });
    const todo = gen.content.split('\n').find((l) => l.includes("'perimeter(1)'"));
    expect(todo, gen.content).toBeDefined();
    const filled = todo!.replace(/, \{ todo: true \}\);$/, ', () => {\n  assert.equal(perimeter(1), 4);\n});');
    const session = scriptedSession([{ text: `TITLE: perimeter(1)\nFilled from the code.\n\nFILE: ${gen.testPath}\n<<<<<<< SEARCH\n${todo}\n=======\n${filled}\n>>>>>>> REPLACE` }], { model: 'script-1' });
    const events: string[] = [];
    const r = await fillExpectations(core, { gen, source: 'src/shapes.js', session, unsaved: await unsavedOverlay(wfs, ['src/shapes.js']), onEvent: (e) => events.push(e.type) });

    expect(r.outcome).toBe('filled');
    expect(r.testRun, r.testRun?.output).toMatchObject({ status: 'passed', failed: 0, unsaved: ['src/shapes.js'] });
    expect(r.testRun!.todo).toBe(gen.todos - 1);
    expect(r.cases.find((c) => c.title === 'perimeter(1)')).toEqual({ title: 'perimeter(1)', status: 'passed' });
    expect(r.cases.filter((c) => c.status === 'todo')).toHaveLength(gen.todos - 1);
    expect(events).toContain('text');
    const p = core.get(r.queued!.id);
    expect(p.testRun).toMatchObject({ unsaved: ['src/shapes.js'], filled: r.cases });
    expect(ws.snapshot()).toEqual(before);
  }, 60_000);
});
