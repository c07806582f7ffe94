// Debugging from real traces: a Node crash captured from a real `node --test` run and a Chrome
// trace captured from a real page (Chromium through playwright-core) are read against the
// workspace; the known crash gets TypeScript's code fix, and its test passes once the fix is applied.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { applyThroughCore } from '../refactorings/move-file/testSupport';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { analyzeTrace } from './analyze';
import { parseStack } from './stack';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

const ctxOf = (w: TempWorkspace) => createEngineContext(new NodeWorkspaceFs(w.root));
const nodeTest = (root: string) => spawnSync(process.execPath, ['--test', 'test/'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('rusty debug on real traces', () => {
  it('a Node crash from a real test run: missing await, workspace frames with excerpts, TS code fix whose test passes after the fix', async () => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'users', type: 'module', scripts: { test: 'node --test test/' } }),
      'src/user.js': [
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
      'test/user.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { greet } from '../src/user.js';\ntest('greets', async () => {\n  assert.equal(await greet(1), 'hello ADA');\n});\n",
    });
    const failing = nodeTest(ws.root);
    expect(failing.status).not.toBe(0);
    const trace = failing.stdout;
    expect(trace).toContain("Cannot read properties of undefined (reading 'toUpperCase')");
    const before = ws.snapshot();
    const report = await analyzeTrace(ctxOf(ws), trace);
    expect(ws.snapshot()).toEqual(before);
    expect(report.kind).toBe('missing-await');
    expect(report.focus).toMatchObject({ file: 'src/user.js', line: 7, origin: 'workspace', fn: 'greet' });
    expect(report.focus!.excerpt!.find((e) => e.line === 7)!.text).toContain('user.name.toUpperCase()');
    expect(report.frames.some((f) => f.origin === 'runtime')).toBe(true);
    expect(report.frames.find((f) => f.file === 'test/user.test.js')).toMatchObject({ origin: 'workspace', line: 5 });
    expect(report.focus!.diagnostics!.map((d) => d.code)).toContain(2339);
    expect(report.fix).toMatchObject({ fixName: 'addMissingAwaitToInitializer', diagnostic: { code: 2339 } });
    expect(report.fix!.changeSet.edits).toEqual([expect.objectContaining({ kind: 'modify', path: 'src/user.js', baseHash: ws.hash('src/user.js') })]);
    await applyThroughCore(ws.root, report.fix!.changeSet);
    expect(ws.read('src/user.js')).toContain('const user = await loadUser(id);');
    const passing = nodeTest(ws.root);
    expect(passing.status, passing.stdout).toBe(0);
  }, 120_000);

  it('no fake fix: a crash with no TypeScript diagnostic at the frame gets an explanation only', async () => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'x', type: 'module' }),
      'src/run.js': "export function run(o) {\n  return o.handler();\n}\nrun({});\n",
    });
    const r = spawnSync(process.execPath, ['src/run.js'], { cwd: ws.root, encoding: 'utf8' });
    const report = await analyzeTrace(ctxOf(ws), r.stderr);
    expect(report).toMatchObject({ errorName: 'TypeError', kind: 'not-a-function', focus: { file: 'src/run.js', line: 2 } });
    expect(report.fix).toBeUndefined();
    expect(report.noFix).toBe('TypeScript reports nothing at src/run.js:2, so there is no deterministic fix; the frames above show where it fails.');
    const missing = spawnSync(process.execPath, ['-e', "import('./nope.js')"], { cwd: ws.root, encoding: 'utf8' });
    expect((await analyzeTrace(ctxOf(ws), missing.stderr)).kind).toBe('module-not-found');
  }, 60_000);

  it('a Chrome trace captured from a real page maps URL frames to workspace files', async () => {
    if (!fs.existsSync('/usr/bin/chromium')) return;
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'web', type: 'module' }),
      'public/app.js': "function render(model) {\n  return model.title.length;\n}\nwindow.start = () => render({});\n",
    });
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    let stack: string;
    try {
      const page = await browser.newPage();
      await page.route('http://rusty.test/**', (route) => route.fulfill({ contentType: route.request().url().endsWith('.js') ? 'text/javascript' : 'text/html', body: route.request().url().endsWith('.js') ? ws!.read('public/app.js') : '<script src="/public/app.js"></script>' }));
      await page.goto('http://rusty.test/');
      stack = await page.evaluate(() => { try { (globalThis as unknown as { start: () => void }).start(); return ''; } catch (e) { return (e as Error).stack ?? ''; } });
    } finally {
      await browser.close();
    }
    expect(parseStack(stack).frames[0]).toMatchObject({ fn: 'render', location: 'http://rusty.test/public/app.js', line: 2, format: 'v8' });
    const report = await analyzeTrace(ctxOf(ws), stack);
    expect(report).toMatchObject({ errorName: 'TypeError', kind: 'null-access', focus: { file: 'public/app.js', line: 2, origin: 'workspace' } });
  }, 90_000);
});
