// Test generation and debugging (issue 15) in a real extension host: the commands, the "Generate
// tests" lenses, "Generate Tests" on a JavaScript module of the fixture (node:test, read from an
// existing test) queuing a pending proposal with the test file and its run on a copy, "Debug Stack
// Trace…" on a trace captured from a real `node` run (frames, excerpt, TypeScript's code fix as a
// proposal), and "Propose a Fix" after a real Node debug session (VS Code's js-debug) stops on an
// uncaught exception. Nothing is written to the workspace by any of them.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DebugTraceResult } from '../../src/extension/debug/register';
import type { GenerateTestsResult } from '../../src/extension/testgen/register';
import { closeAllEditors, eventually, openInEditor } from './editors';
import { core, disk, fileUri, write } from './fixtureFiles';
import { fixtureFolder, rustyExtension } from './helpers';

const FILES: Record<string, string> = {
  'test/existing.test.mjs': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest('existing', () => {\n  assert.ok(true);\n});\n",
  'src/tg/shapes.mjs': [
    '/** @param {number} w @param {number} h */',
    'export function area(w, h) {',
    "  if (w < 0) throw new RangeError('negative width');",
    '  return w * h;',
    '}',
    '',
    'export class Box {',
    '  /** @param {number} size */',
    '  constructor(size) { this.size = size; }',
    '}',
    '',
  ].join('\n'),
  'src/dbg/user.mjs': [
    '// @ts-check',
    '/** @param {number} id */',
    "export async function loadUser(id) { return { id, name: 'ada' }; }",
    '/** @param {number} id */',
    'export async function greet(id) {',
    '  const user = loadUser(id);',
    '  return `hello ${user.name.toUpperCase()}`;',
    '}',
    '',
  ].join('\n'),
  'src/dbg/main.mjs': "import { greet } from './user.mjs';\n\nawait greet(1);\n",
  'src/dbg/run.mjs': "export function run(o) {\n  return o.handler();\n}\nrun({});\n",
  'src/dbg/stop.mjs': [
    '// @ts-check',
    "const user = { name: 'ada' };",
    'function shout() {',
    '  return user.nme.toUpperCase();',
    '}',
    'debugger;',
    'setTimeout(shout, 0);',
    '',
  ].join('\n'),
};


function proposedText(id: string, rel: string): string {
  const c = core();
  const f = c.get(id).files.find((x) => x.path === rel);
  assert.ok(f?.newHash, `proposal ${id} changes ${rel}: ${JSON.stringify(c.get(id).files.map((x) => x.path))}`);
  return c.blobText(f.newHash).toString('utf8');
}

/** A trace as a real `node` prints it (stderr of a crashing script in the workspace). */
function crash(rel: string): string {
  const r = spawnSync(process.execPath, [rel], { cwd: fixtureFolder().uri.fsPath, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' } });
  assert.notEqual(r.status, 0, `${rel} was expected to crash: ${r.stdout}${r.stderr}`);
  return r.stderr;
}

suite('Rusty tests and debugging (issue 15)', () => {
  let savedTsconfig = '';
  const queued: string[] = [];

  suiteSetup(async () => {
    await rustyExtension().activate();
    savedTsconfig = disk('tsconfig.json')!;
    // JavaScript checked by TypeScript, so a frame in a .mjs file gets diagnostics and code fixes.
    const tsconfig = JSON.parse(savedTsconfig) as { compilerOptions: Record<string, unknown> };
    Object.assign(tsconfig.compilerOptions, { allowJs: true, checkJs: true });
    write('tsconfig.json', `${JSON.stringify(tsconfig, null, 2)}\n`);
    for (const [rel, text] of Object.entries(FILES)) write(rel, text);
  });

  teardown(async () => {
    await closeAllEditors();
    for (const id of queued.splice(0)) {
      if (core().get(id).status === 'pending') await vscode.commands.executeCommand('rusty.reject', { id, reason: 'host test cleanup' });
    }
  });

  suiteTeardown(() => {
    write('tsconfig.json', savedTsconfig);
    for (const dir of ['test', 'src/tg', 'src/dbg']) fs.rmSync(fileUri(dir).fsPath, { recursive: true, force: true });
  });

  test('the commands are registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['rusty.generateTests', 'rusty.debugStackTrace', 'rusty.debug.proposeFix']) assert.ok(registered.has(id), `${id} is not registered`);
  });

  test('"Generate tests" lenses sit on exported functions and classes, and follow their setting', async () => {
    const uri = fileUri('src/tg/shapes.mjs');
    await vscode.workspace.openTextDocument(uri);
    const lenses = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 50)) ?? []).filter((l) => l.command?.title === 'Generate tests');
    const found = await lenses();
    assert.deepEqual(found.map((l) => [l.range.start.line, (l.command!.arguments![0] as { symbol: string }).symbol]), [[1, 'area'], [6, 'Box']]);
    const cfg = vscode.workspace.getConfiguration('rusty');
    await cfg.update('codeLens.generateTests', false, vscode.ConfigurationTarget.Workspace);
    try {
      await eventually(async () => (await lenses()).length === 0, 'the lenses to go away with rusty.codeLens.generateTests off');
    } finally {
      await cfg.update('codeLens.generateTests', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('Generate Tests queues a pending proposal with the test file and its run on a copy; nothing is written', async function () {
    this.timeout(180_000);
    const r = await vscode.commands.executeCommand<GenerateTestsResult>('rusty.generateTests', { uri: fileUri('src/tg/shapes.mjs'), ai: false });
    assert.equal(r.error, undefined, `refused: ${r.error?.message}`);
    const id = (r.created[0] ?? r.existing[0])!;
    queued.push(id);
    assert.equal(r.testPath, 'test/tg/shapes.test.mjs');
    const p = core().get(id);
    assert.equal(p.status, 'pending');
    assert.equal(p.source, 'testgen');
    assert.deepEqual(p.files.map((f) => [f.path, f.kind]), [['test/tg/shapes.test.mjs', 'create']]);
    const text = proposedText(id, 'test/tg/shapes.test.mjs');
    assert.match(text, /from 'node:test'/);
    assert.match(text, /import \{[^}]*\barea\b[^}]*\} from '\.\.\/\.\.\/src\/tg\/shapes\.mjs'/);
    assert.match(text, /negative width|RangeError/);
    assert.ok(p.testRun, 'the proposal carries its test run');
    assert.equal(p.testRun.framework, 'node:test');
    assert.equal(p.testRun.status, 'passed', `${p.testRun.reason ?? ''}\n${p.testRun.output ?? ''}`);
    assert.equal(p.testRun.failed, 0);
    assert.ok(p.testRun.passed >= 1, `passed: ${p.testRun.passed}`);
    assert.ok(p.testRun.todo >= 1, `todos are counted apart: ${JSON.stringify(p.testRun)}`);
    assert.deepEqual(r.testRun, p.testRun);
    assert.equal(disk('test/tg/shapes.test.mjs'), undefined, 'nothing is written before approval');
  });

  test('Generate Tests on the symbol at the cursor reads the unsaved text, and runs it with the unsaved text laid over the copy', async function () {
    this.timeout(120_000);
    const editor = await openInEditor(fileUri('src/tg/shapes.mjs'));
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), '\nexport function perimeter(w, h) {\n  return 2 * (w + h);\n}\n'));
    const line = editor.document.getText().split('\n').findIndex((l) => l.startsWith('export function perimeter'));
    editor.selection = new vscode.Selection(line, 20, line, 20);
    const r = await vscode.commands.executeCommand<GenerateTestsResult>('rusty.generateTests', { ai: false });
    assert.equal(r.error, undefined, `refused: ${r.error?.message}`);
    const id = (r.created[0] ?? r.existing[0])!;
    queued.push(id);
    const text = proposedText(id, 'test/tg/shapes.test.mjs');
    assert.match(text, /perimeter/);
    assert.doesNotMatch(text, /\barea\b/);
    const run = core().get(id).testRun!;
    assert.equal(run.status, 'passed', `${run.reason ?? ''}\n${run.output ?? ''}`);
    assert.deepEqual(run.unsaved, ['src/tg/shapes.mjs']);
    assert.equal(disk('src/tg/shapes.mjs'), FILES['src/tg/shapes.mjs'], 'the unsaved text is not written');
  });

  test('Debug Stack Trace on a captured Node trace: your frames first, excerpt, missing await, TypeScript\'s fix as a pending proposal', async function () {
    this.timeout(120_000);
    const trace = crash('src/dbg/main.mjs');
    assert.match(trace, /Cannot read properties of undefined \(reading 'toUpperCase'\)/);
    const r = await vscode.commands.executeCommand<DebugTraceResult>('rusty.debugStackTrace', { text: trace, from: 'the host test' });
    assert.equal(r.error, undefined, `refused: ${r.error?.message}`);
    assert.equal(r.errorName, 'TypeError');
    assert.equal(r.kind, 'missing-await');
    assert.deepEqual(r.focus, { file: 'src/dbg/user.mjs', line: 7 });
    const origins = r.frames!.map((f) => f.origin);
    assert.equal(origins[0], 'workspace');
    assert.ok(origins.lastIndexOf('workspace') < origins.findIndex((o) => o !== 'workspace'), `workspace frames first: ${origins.join(', ')}`);
    assert.ok(r.fix, `a fix: ${r.noFix}`);
    queued.push(r.fix.proposalId);
    assert.equal(r.fix.fixName, 'addMissingAwaitToInitializer');
    const p = core().get(r.fix.proposalId);
    assert.equal(p.status, 'pending');
    assert.equal(p.source, 'debug:ts-codefix');
    assert.match(proposedText(p.id, 'src/dbg/user.mjs'), /const user = await loadUser\(id\);/);
    assert.equal(disk('src/dbg/user.mjs'), FILES['src/dbg/user.mjs'], 'nothing is written before approval');
    const report = (await vscode.workspace.openTextDocument(vscode.Uri.parse(r.reportUri!))).getText();
    assert.match(report, /## Fix proposed/);
    assert.match(report, /## Your code \\\(\d frames?\\\)/);
    assert.match(report, /> 7 \| {3}return `hello \$\{user\.name\.toUpperCase\(\)\}`;/);
    assert.match(report, /TS2339/);
  });

  test('Debug Stack Trace with nothing TypeScript can fix explains, and proposes nothing', async () => {
    const before = core().list().length;
    const r = await vscode.commands.executeCommand<DebugTraceResult>('rusty.debugStackTrace', { text: crash('src/dbg/run.mjs'), show: false, ai: false });
    assert.equal(r.kind, 'not-a-function');
    assert.deepEqual(r.focus, { file: 'src/dbg/run.mjs', line: 2 });
    assert.equal(r.fix, undefined);
    assert.match(r.noFix!, /no deterministic fix/);
    assert.equal(core().list().length, before);
  });

  test('Debug Stack Trace on a failing node:test run: the failing test runs on copies without and with the fix, both results on the proposal', async function () {
    this.timeout(240_000);
    write('test/dbg/user.test.mjs', "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { greet, loadUser } from '../../src/dbg/user.mjs';\n\ntest('loads ada', async () => {\n  assert.equal((await loadUser(1)).name, 'ada');\n});\n\ntest('greets ada by name', async () => {\n  assert.equal(await greet(1), 'hello ADA');\n});\n");
    try {
      const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'test/dbg/'], { cwd: fixtureFolder().uri.fsPath, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' } });
      assert.notEqual(run.status, 0, run.stdout);
      const r = await vscode.commands.executeCommand<DebugTraceResult>('rusty.debugStackTrace', { text: run.stdout, from: 'the host test', show: false });
      assert.equal(r.error, undefined, `refused: ${r.error?.message}`);
      assert.ok(r.fix, `a fix: ${r.noFix}`);
      queued.push(r.fix.proposalId);
      const tr = r.testRun;
      assert.ok(tr, 'the failing test was run');
      assert.equal(tr.test, 'greets ada by name');
      assert.equal(tr.before?.status, 'failed', tr.before?.output);
      assert.deepEqual([tr.before?.passed, tr.before?.failed], [0, 1], 'only the failing test ran');
      assert.equal(tr.after?.status, 'passed', tr.after?.output);
      assert.deepEqual(core().get(r.fix.proposalId).testRun, tr, 'both runs are on the proposal');
      const report = (await vscode.workspace.openTextDocument(vscode.Uri.parse(r.reportUri!))).getText();
      assert.match(report, /### Failing test/);
      assert.match(report, /without the fix: failed \\\(0 passed, 1 failed\\\)/);
      assert.match(report, /with the fix: passed \\\(1 passed, 0 failed\\\)/);
      assert.equal(disk('src/dbg/user.mjs'), FILES['src/dbg/user.mjs'], 'nothing is written before approval');
    } finally {
      fs.rmSync(fileUri('test/dbg').fsPath, { recursive: true, force: true });
    }
  });

  /**
   * Runs `program` under VS Code's JavaScript debugger (js-debug) until it stops on an uncaught
   * exception, then asks Rusty for a fix (the answer, without notifications) until its trace
   * satisfies `read` (a stop of an earlier session is not taken for this one).
   */
  async function proposeFixAfterStop(program: string, name: string, read: (r: DebugTraceResult) => boolean): Promise<DebugTraceResult> {
    const jsDebug = vscode.extensions.all.filter((e) => /js-debug/.test(e.id)).map((e) => e.id);
    assert.ok(jsDebug.length, 'VS Code\'s JavaScript debugger (ms-vscode.js-debug) is not in this host');
    // The DAP messages the adapter sends, captured for the record (and to drive the session).
    const seen: { session: string; message: unknown }[] = [];
    let stops = 0;
    let exceptionStop = false;
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onWillReceiveMessage: (m: { command?: string; arguments?: unknown }) => {
          if (m.command === 'exceptionInfo' || m.command === 'stackTrace' || m.command === 'continue' || m.command === 'setExceptionBreakpoints') seen.push({ session: `${session.type} ${session.id} request`, message: m });
        },
        onDidSendMessage: (m: { type?: string; event?: string; command?: string; body?: { reason?: string; threadId?: number } }) => {
          if (m.type === 'event' && m.event !== 'output' && m.event !== 'loadedSource' || m.type === 'response' && (m.command === 'exceptionInfo' || m.command === 'stackTrace')) seen.push({ session: `${session.type} ${session.id}`, message: m });
          if (m.type !== 'event' || m.event !== 'stopped') return;
          if (m.body?.reason === 'exception') {
            exceptionStop = true;
            return;
          }
          // The `debugger;` statement: turn on exception breakpoints the way the Breakpoints view does, then go on.
          if (++stops === 1) {
            void (async () => {
              await session.customRequest('setExceptionBreakpoints', { filters: ['uncaught'] });
              await session.customRequest('continue', { threadId: m.body!.threadId });
            })();
          }
        },
      }),
    });
    try {
      const started = await vscode.debug.startDebugging(fixtureFolder(), { type: 'node', request: 'launch', name, program, stopOnEntry: false, console: 'internalConsole' });
      assert.ok(started, 'the debug session started');
      await eventually(() => exceptionStop, 'the session to stop on the exception', 90_000);
      // Rusty asks the adapter for exceptionInfo and stackTrace through the workbench: slow on a loaded machine.
      for (const end = Date.now() + 120_000; ;) {
        const r = await vscode.commands.executeCommand<DebugTraceResult>('rusty.debug.proposeFix', { show: false });
        if (r && !r.error && read(r)) return r;
        assert.ok(Date.now() < end, `Rusty did not read the stopped session: ${r?.error?.message ?? r?.trace}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    } finally {
      fs.writeFileSync(path.join(os.tmpdir(), `rusty-dap-capture-${name}.json`), JSON.stringify(seen, null, 2));
      tracker.dispose();
      await vscode.debug.stopDebugging();
    }
  }

  test('Propose a Fix when a real Node debug session (js-debug) stops on an uncaught exception', async function () {
    this.timeout(300_000);
    const r = await proposeFixAfterStop(path.join(fixtureFolder().uri.fsPath, 'src', 'dbg', 'stop.mjs'), 'rusty-crash', (x) => /stop\.mjs/.test(x.trace ?? ''));
    assert.match(r.trace!, /^TypeError: Cannot read properties of undefined \(reading 'toUpperCase'\)/);
    assert.match(r.trace!, /at .*shout \(.*stop\.mjs:4:\d+\)/);
    assert.equal(r.frames![0]!.file, 'src/dbg/stop.mjs', `frames: ${JSON.stringify(r.frames!.slice(0, 3))}; ${r.noFix ?? ''}`);
    assert.deepEqual(r.focus, { file: 'src/dbg/stop.mjs', line: 4 });
    assert.equal(r.kind, 'null-access');
    assert.ok(r.fix, `a fix: ${r.noFix}`);
    queued.push(r.fix.proposalId);
    assert.equal(r.fix.fixName, 'spelling');
    assert.match(proposedText(r.fix.proposalId, 'src/dbg/stop.mjs'), /return user\.name\.toUpperCase\(\);/);
  });

  test('Propose a Fix when the debugger stops outside the workspace says where, and proposes nothing', async function () {
    this.timeout(300_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-outside-'));
    const program = path.join(dir, 'lib.mjs');
    fs.writeFileSync(program, 'debugger;\nsetTimeout(function explode() { return /** @type {any} */ (null).x; }, 0);\n');
    const before = core().list().length;
    try {
      const r = await proposeFixAfterStop(program, 'rusty-outside', (x) => /lib\.mjs/.test(x.trace ?? ''));
      assert.match(r.trace!, /^TypeError: Cannot read properties of null \(reading 'x'\)/);
      assert.equal(r.focus, undefined);
      assert.equal(r.fix, undefined);
      assert.ok(r.frames!.every((f) => f.origin !== 'workspace'), JSON.stringify(r.frames));
      assert.equal(r.frames![0]!.location, program, 'a local path, not the remote window\'s URI');
      assert.match(r.noFix!, /^No frame is in the workspace \(.+\): the failure is raised in a dependency or outside the workspace folder, at .*lib\.mjs:2;/);
      assert.equal(core().list().length, before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
