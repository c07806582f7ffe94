// The failing test behind a crash, read from the REAL output of vitest, jest and mocha (each run on
// a small project with its default reporter, as a person would copy it from the terminal), then run
// on overlay copies without and with TypeScript's fix: only that test runs (the passing one next to
// it is filtered out), it fails without the fix and passes with it; the workspace is not touched.
// vitest comes from this repository's node_modules; jest and mocha are installed at test time into
// .cache/testgen-runners (never into package.json), as in src/core/testgen/runners.test.ts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { REPO_ROOT } from '../testing/cli';
import { npmCache } from '../testing/cachedTools';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { analyzeTrace } from './analyze';
import { failingTestOf, runTestWithFix } from './failingTest';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

let cached: string;
// The runners started here must not think they run inside this vitest (its worker variables).
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  cached = npmCache('testgen-runners', ['jest@30.2.0', 'mocha@11.7.5']);
  for (const k of Object.keys(process.env).filter((k) => /^VITEST|^TEST$|^NODE_ENV$/.test(k))) { saved[k] = process.env[k]; delete process.env[k]; }
}, 900_000);
afterAll(() => { for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v; });

const USER = (esm: boolean) => [
  '// @ts-check',
  '/** @param {number} id */',
  `${esm ? 'export ' : ''}async function loadUser(id) { return { id, name: 'ada' }; }`,
  '/** @param {number} id */',
  `${esm ? 'export ' : ''}async function greet(id) {`,
  '  const user = loadUser(id);',
  '  return `hello ${user.name.toUpperCase()}`;',
  '}',
  ...(esm ? [] : ['module.exports = { loadUser, greet };']),
  '',
].join('\n');

function project(files: Record<string, string>, modules: string): TempWorkspace {
  const w = tempWorkspace(files);
  fs.symlinkSync(modules, path.join(w.root, 'node_modules'), 'junction');
  return w;
}

/** The runner's own output with its default reporter (stdout and stderr, as a terminal shows them). */
function run(root: string, bin: string, args: string[] = []): string {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', bin), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 180_000 });
  expect(r.status, `${r.stdout}\n${r.stderr}`).not.toBe(0);
  return `${r.stdout}\n${r.stderr}`;
}

async function check(root: string, output: string, framework: string, section: string) {
  const ctx = createEngineContext(new NodeWorkspaceFs(root));
  // Only the failure's part of the output (what a person often selects) names the same test.
  const part = output.slice(output.indexOf(section));
  expect(output.indexOf(section), output).toBeGreaterThanOrEqual(0);
  expect(failingTestOf(await analyzeTrace(ctx, part), part), part).toEqual({ file: 'test/user.test.js', name: 'greets ada by name' });
  const report = await analyzeTrace(ctx, output);
  expect(report.focus, `${report.noFix}\n${output}`).toMatchObject({ file: 'src/user.js', line: 7 });
  expect(report.fix?.fixName).toBe('addMissingAwaitToInitializer');
  const test = failingTestOf(report, output);
  expect(test, output).toEqual({ file: 'test/user.test.js', name: 'greets ada by name' });
  const before = fs.readFileSync(path.join(root, 'src/user.js'), 'utf8');
  const record = await runTestWithFix(ctx, test!, report.fix!.changeSet);
  expect(record.before, record.before?.output).toMatchObject({ framework, status: 'failed', test: 'greets ada by name', passed: 0, failed: 1 });
  expect(record.after, record.after?.output).toMatchObject({ framework, status: 'passed', test: 'greets ada by name', passed: 1, failed: 0 });
  expect(record).toMatchObject({ status: 'passed', passed: 1 });
  expect(fs.readFileSync(path.join(root, 'src/user.js'), 'utf8')).toBe(before);
  return { report, output };
}

describe('the failing test from real runner output, run without and with the fix', () => {
  it('vitest', async () => {
    ws = project({
      'package.json': JSON.stringify({ name: 'users', private: true, type: 'module', scripts: { test: 'vitest run' }, devDependencies: { vitest: '*' } }),
      'src/user.js': USER(true),
      'test/user.test.js': [
        "import { describe, expect, it } from 'vitest';",
        "import { greet, loadUser } from '../src/user.js';",
        "describe('users', () => {",
        "  it('loads a user', async () => { expect((await loadUser(1)).name).toBe('ada'); });",
        "  it('greets ada by name', async () => { expect(await greet(1)).toBe('hello ADA'); });",
        '});',
        '',
      ].join('\n'),
    }, path.join(REPO_ROOT, 'node_modules'));
    await check(ws.root, run(ws.root, 'vitest/vitest.mjs', ['run']), 'vitest', ' FAIL  test/user.test.js >');
  }, 300_000);

  it('jest', async () => {
    ws = project({
      'package.json': JSON.stringify({ name: 'users', private: true, scripts: { test: 'jest' }, devDependencies: { jest: '30.2.0' } }),
      'src/user.js': USER(false),
      'test/user.test.js': [
        "const { greet, loadUser } = require('../src/user.js');",
        "describe('users', () => {",
        "  it('loads a user', async () => { expect((await loadUser(1)).name).toBe('ada'); });",
        "  it('greets ada by name', async () => { expect(await greet(1)).toBe('hello ADA'); });",
        '});',
        '',
      ].join('\n'),
    }, cached);
    await check(ws.root, run(ws.root, 'jest/bin/jest.js'), 'jest', '●');
  }, 300_000);

  it('mocha', async () => {
    ws = project({
      'package.json': JSON.stringify({ name: 'users', private: true, type: 'module', scripts: { test: 'mocha' }, devDependencies: { mocha: '11.7.5' } }),
      'src/user.js': USER(true),
      'test/user.test.js': [
        "import assert from 'node:assert/strict';",
        "import { greet, loadUser } from '../src/user.js';",
        "describe('users', () => {",
        "  it('loads a user', async () => { assert.equal((await loadUser(1)).name, 'ada'); });",
        "  it('greets ada by name', async () => { assert.equal(await greet(1), 'hello ADA'); });",
        '});',
        '',
      ].join('\n'),
    }, cached);
    await check(ws.root, run(ws.root, 'mocha/bin/mocha.js'), 'mocha', '1 failing');
  }, 300_000);
});
