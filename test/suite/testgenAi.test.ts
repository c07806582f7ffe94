// "Rusty: Generate Tests" with a model and with unsaved editors (issue 15), in a real extension
// host: the model is the fixture extension's chat model (test/fixtures/lm-fixture) reached through
// vscode.lm, routed as "Rusty: Ask…" routes. It fills one expectation of the skeleton of an export
// that exists only in the editor's unsaved text; the filled test runs on a copy with that text laid
// over, the case is reported passed, the others stay todo. Cancelling while the model streams
// queues nothing and writes nothing. Nothing is written to the workspace by any of them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { GenerateTestsResult } from '../../src/extension/testgen/register';
import { closeAllEditors, openInEditor } from './editors';
import { core, disk, fileUri, write } from './fixtureFiles';
import { rustyExtension } from './helpers';

const SAVED = '/** @param {number} w @param {number} h */\nexport function area(w, h) {\n  return w * h;\n}\n';
// Unsaved: an export the disk does not have, and the fixture model's instruction (one SEARCH/REPLACE on the skeleton).
const UNSAVED_TAIL = [
  '',
  "// RUSTY-FIXTURE-EDIT test/tgai/fill.test.mjs|test('perimeter(1, 0)', { todo: true });|test('perimeter(1, 0)', () => {\\n  assert.equal(perimeter(1, 0), 2);\\n});",
  '/** @param {number} w @param {number} h */',
  'export function perimeter(w, h) {',
  '  return 2 * (w + h);',
  '}',
  '',
].join('\n');
// The fixture model streams "tick N" every 200 ms while the request contains the word below.
const SLOW = '// the model answers slow for this file\n/** @param {number} n */\nexport function twice(n) {\n  return 2 * n;\n}\n';


suite('testgen-ai: Generate Tests with a model and unsaved editors', () => {
  const queued: string[] = [];
  const written = ['test/tgai-existing.test.mjs', 'src/tgai/fill.mjs', 'src/tgai/slow.mjs', 'src/tgai/plain.mjs'];

  let savedTsconfig = '';

  suiteSetup(async () => {
    await rustyExtension().activate();
    // JavaScript in the TypeScript project, so the generator sees the .mjs exports.
    savedTsconfig = disk('tsconfig.json')!;
    const tsconfig = JSON.parse(savedTsconfig) as { compilerOptions: Record<string, unknown> };
    Object.assign(tsconfig.compilerOptions, { allowJs: true, checkJs: true });
    write('tsconfig.json', `${JSON.stringify(tsconfig, null, 2)}\n`);
    // node:test, read from an existing test in test/.
    write('test/tgai-existing.test.mjs', "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest('existing', () => {\n  assert.ok(true);\n});\n");
    write('src/tgai/fill.mjs', SAVED);
    write('src/tgai/slow.mjs', SLOW);
    write('src/tgai/plain.mjs', SAVED);
  });

  teardown(async () => {
    await closeAllEditors();
    await vscode.workspace.getConfiguration('rusty').update('testGen.fillExpectations', undefined, vscode.ConfigurationTarget.Workspace);
    for (const id of queued.splice(0)) {
      if (core().get(id).status === 'pending') await vscode.commands.executeCommand('rusty.reject', { id, reason: 'host test cleanup' });
    }
  });

  suiteTeardown(() => {
    write('tsconfig.json', savedTsconfig);
    for (const rel of written) fs.rmSync(fileUri(rel).fsPath, { force: true });
    fs.rmSync(fileUri('src/tgai').fsPath, { recursive: true, force: true });
  });

  test('the model fills an expectation of an unsaved export; the run lays the unsaved text over the copy; each case reported', async function () {
    this.timeout(240_000);
    const editor = await openInEditor(fileUri('src/tgai/fill.mjs'));
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), UNSAVED_TAIL));
    assert.ok(editor.document.isDirty);
    const r = await vscode.commands.executeCommand<GenerateTestsResult>('rusty.generateTests', { uri: fileUri('src/tgai/fill.mjs'), symbol: 'perimeter', ai: true });
    assert.equal(r.error, undefined, `refused: ${r.error?.message}`);
    assert.match(r.ai?.model ?? '', /^vscode-lm\/rusty-test\/scripted/, JSON.stringify(r.ai));
    assert.equal(r.ai?.outcome, 'filled');
    const id = (r.created[0] ?? r.existing[0])!;
    queued.push(id);
    assert.equal(r.testPath, 'test/tgai/fill.test.mjs');
    const p = core().get(id);
    assert.equal(p.status, 'pending');
    assert.match(p.source, /^ai:vscode-lm\//);
    const f = p.files.find((x) => x.path === 'test/tgai/fill.test.mjs');
    const text = core().blobText(f!.newHash!).toString('utf8');
    assert.match(text, /assert\.equal\(perimeter\(1, 0\), 2\);/);
    assert.match(text, /test\('perimeter\(0, 0\)', \{ todo: true \}\);/);
    // The run: on the copy with the unsaved text (the disk has no perimeter), the filled case passed, todos apart.
    const run = p.testRun!;
    assert.equal(run.status, 'passed', `${run.reason ?? ''}\n${run.output ?? ''}`);
    assert.deepEqual(run.unsaved, ['src/tgai/fill.mjs']);
    assert.equal(run.failed, 0);
    assert.ok(run.todo >= 5, `todos counted apart: ${JSON.stringify(run)}`);
    const filled = run.filled ?? [];
    assert.deepEqual(filled.filter((c) => c.status !== 'todo'), [{ title: 'perimeter(1, 0)', status: 'passed' }]);
    assert.equal(filled.filter((c) => c.status === 'todo').length, run.todo);
    assert.deepEqual(r.cases, filled);
    // What the model was sent: the unsaved text and the skeleton.
    const last = await vscode.commands.executeCommand<{ messages: { parts: { text?: string }[] }[] }>('rustyTest.lastLmRequest');
    const sent = last.messages.flatMap((m) => m.parts.map((x) => x.text ?? '')).join('\n');
    assert.match(sent, /export function perimeter/);
    assert.match(sent, /test\('perimeter\(1, 0\)', \{ todo: true \}\);/);
    // Nothing written: no test file, the source on disk as saved, the editor still dirty.
    assert.equal(disk('test/tgai/fill.test.mjs'), undefined);
    assert.equal(disk('src/tgai/fill.mjs'), SAVED);
    assert.ok(editor.document.isDirty, 'the editor keeps its unsaved text');
  });

  test('cancelling while the model streams queues nothing and writes nothing', async function () {
    this.timeout(120_000);
    const pendingBefore = core().list(['pending']).length;
    const cts = new vscode.CancellationTokenSource();
    const started = Date.now();
    const running = vscode.commands.executeCommand<GenerateTestsResult>('rusty.generateTests', { uri: fileUri('src/tgai/slow.mjs'), ai: true, token: cts.token });
    // The fixture model streams for 20 s: cancel while it does.
    await new Promise((res) => setTimeout(res, 4000));
    cts.cancel();
    const r = await running;
    const cancelledAfter = Date.now() - started;
    assert.equal(r.error?.code, 'cancelled', JSON.stringify(r));
    assert.deepEqual(r.created, []);
    assert.ok(cancelledAfter < 18_000, `the command stopped at the cancel, not at the end of the stream (${cancelledAfter} ms)`);
    assert.equal(core().list(['pending']).length, pendingBefore, 'nothing was queued');
    assert.equal(disk('test/tgai/slow.test.mjs'), undefined);
    assert.equal(disk('src/tgai/slow.mjs'), SLOW);
  });

  test('with rusty.testGen.fillExpectations = skeleton, no model is asked; unsaved text is still what runs', async function () {
    this.timeout(180_000);
    await vscode.workspace.getConfiguration('rusty').update('testGen.fillExpectations', 'skeleton', vscode.ConfigurationTarget.Workspace);
    const editor = await openInEditor(fileUri('src/tgai/plain.mjs'));
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), '\n/** @param {number} w */\nexport function square(w) {\n  return w * w;\n}\n'));
    const r = await vscode.commands.executeCommand<GenerateTestsResult>('rusty.generateTests', { uri: fileUri('src/tgai/plain.mjs'), symbol: 'square' });
    assert.equal(r.error, undefined, `refused: ${r.error?.message}`);
    assert.equal(r.ai, undefined);
    const id = (r.created[0] ?? r.existing[0])!;
    queued.push(id);
    const p = core().get(id);
    assert.equal(p.source, 'testgen');
    assert.equal(p.testRun?.status, 'passed', `${p.testRun?.reason ?? ''}\n${p.testRun?.output ?? ''}`);
    assert.deepEqual(p.testRun?.unsaved, ['src/tgai/plain.mjs']);
    assert.equal(p.testRun?.filled, undefined);
    assert.equal(disk('test/tgai/plain.test.mjs'), undefined);
  });
});
