// ava for real: installed at test time into .cache/testgen-ava (never into package.json) and linked
// as the temp project's node_modules. The skeleton is generated in the project's conventions and run
// with ava on an overlay copy: the checks pass, every `test.todo` is counted as a todo, never as a
// pass; a failing case is reported failed with ava's output; nothing is written to the workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { npmCache } from '../testing/cachedTools';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { generateTests } from './generate';
import { runGeneratedTest, runTestInOverlay } from './run';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });
let modules: string;
// ava started from inside vitest must not see this vitest's worker variables.
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  modules = npmCache('testgen-ava', ['ava@6.4.1']);
  for (const k of Object.keys(process.env).filter((k) => /^VITEST|^TEST$|^NODE_ENV$/.test(k))) { saved[k] = process.env[k]; delete process.env[k]; }
}, 900_000);
afterAll(() => { for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v; });

function project(files: Record<string, string>): TempWorkspace {
  const w = tempWorkspace(files);
  fs.symlinkSync(modules, path.join(w.root, 'node_modules'), 'junction');
  return w;
}

const LIB = [
  '/** @param {number} n @param {number} m */',
  'function add(n, m) { if (n < 0) throw new RangeError(\'negative\'); return n + m; }',
  '/** @param {number} n */',
  'function root(n) { if (n < 0) throw new RangeError(\'negative\'); return Math.sqrt(n); }',
  "/** @param {'up' | 'down'} dir */",
  "function arrow(dir) { if (dir === 'up') return '^'; return 'v'; }",
  'class Meter {',
  '  /** @param {number} n */ inc(n) { if (n < 0) throw new RangeError(\'negative\'); return n; }',
  '  /** @param {number} n */ dec(n) { if (n < 0) throw new RangeError(\'negative\'); return -n; }',
  '}',
];

describe('generated tests run with ava', () => {
  it('ESM: checks pass, todos counted as todo; a failing case fails with the output; the workspace is unchanged', async () => {
    ws = project({
      'package.json': JSON.stringify({ name: 'calc', private: true, type: 'module', scripts: { test: 'ava' }, devDependencies: { ava: '6.4.1' } }),
      'src/calc.js': [...LIB.map((l) => l.replace(/^(function|class)/, 'export $1')), ''].join('\n'),
    });
    const before = ws.snapshot();
    const gen = await generateTests(createEngineContext(new NodeWorkspaceFs(ws.root)), { file: 'src/calc.js' });
    expect(gen.conventions).toMatchObject({ framework: 'ava', module: 'esm', style: 'test' });
    expect(gen.content).toContain("import test from 'ava';");
    expect(gen.content).toContain('test.todo(');
    const run = await runGeneratedTest(ws.root, 'ava', gen.testPath, gen.content);
    expect(run, `${run.output}\n${gen.content}`).toMatchObject({ framework: 'ava', status: 'passed', passed: gen.checks, failed: 0, todo: gen.todos, skipped: 0 });
    expect(run.command).toMatch(/^node node_modules\/ava\/entrypoints\/cli\.mjs --tap /);
    expect(gen.checks).toBe(4);
    expect(gen.todos).toBeGreaterThan(3);
    // The same case in two functions or two methods: ava would reject the whole file for a repeated title.
    expect(gen.content).toContain("test.todo('throws RangeError when n < 0');");
    expect(gen.content).toContain("test.todo('root: throws RangeError when n < 0');");
    expect(gen.content).toContain("test.todo('Meter#throws RangeError when n < 0');");
    expect(gen.content).toContain("test.todo('Meter#dec: throws RangeError when n < 0');");

    const failing = `${gen.content}\ntest('add is exact', (t) => {\n  t.is(add(0.1, 0.2), 0.3);\n});\ntest.skip('later', (t) => { t.pass(); });\n`;
    const bad = await runGeneratedTest(ws.root, 'ava', gen.testPath, failing);
    expect(bad).toMatchObject({ status: 'failed', passed: gen.checks, failed: 1, todo: gen.todos, skipped: 1 });
    expect(bad.output).toContain('not ok');
    expect(bad.output).toContain('add is exact');
    expect(bad.output).toContain('0.30000000000000004');

    // One test by name (ava's --match): only it runs.
    const one = await runTestInOverlay(ws.root, 'ava', gen.testPath, { files: { [gen.testPath]: failing }, name: 'add is exact' });
    expect(one).toMatchObject({ status: 'failed', test: 'add is exact', passed: 0, failed: 1, todo: 0, skipped: 0 });
    expect(ws.snapshot()).toEqual(before);
  }, 240_000);

  it('CommonJS: the skeleton runs; a module that throws on load fails; a timeout and a cancel stop the run', async () => {
    ws = project({
      'package.json': JSON.stringify({ name: 'calc', private: true, scripts: { test: 'ava' }, devDependencies: { ava: '6.4.1' } }),
      'lib/calc.js': [...LIB, 'module.exports = { add, root, arrow, Meter };', ''].join('\n'),
    });
    const gen = await generateTests(createEngineContext(new NodeWorkspaceFs(ws.root)), { file: 'lib/calc.js' });
    expect(gen.conventions).toMatchObject({ framework: 'ava', module: 'cjs' });
    expect(gen.content).toContain("const test = require('ava');");
    const run = await runGeneratedTest(ws.root, 'ava', gen.testPath, gen.content);
    expect(run, `${run.output}\n${gen.content}`).toMatchObject({ status: 'passed', passed: gen.checks, failed: 0, todo: gen.todos });

    const lib = ws.read('lib/calc.js');
    ws.write('lib/calc.js', `${lib}throw new Error('broken at import');\n`);
    const broken = await runGeneratedTest(ws.root, 'ava', gen.testPath, gen.content);
    expect(broken.status).toBe('failed');
    expect(broken.passed).toBe(0);
    expect(broken.output).toContain('broken at import');

    ws.write('lib/calc.js', lib);
    const slow = `${gen.content}\ntest('waits', async (t) => { await new Promise((r) => setTimeout(r, 60_000)); t.pass(); });\n`;
    const timed = await runGeneratedTest(ws.root, 'ava', gen.testPath, slow, { timeoutMs: 1500 });
    expect(timed).toMatchObject({ status: 'not-run', reason: 'the runner did not finish within 2 s' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 1500);
    const started = Date.now();
    await expect(runGeneratedTest(ws.root, 'ava', gen.testPath, slow, { signal: abort.signal })).rejects.toThrow(/abort/i);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 240_000);
});
