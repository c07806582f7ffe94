// The failing test behind a crash, read from the REAL output of ava (its default reporter, as a
// person copies it from the terminal, and its TAP output), then run on overlay copies without and
// with TypeScript's fix: only that test runs (`--match`), it fails without the fix and passes with
// it; the workspace is not touched. ava is installed at test time into .cache/testgen-ava (never into
// package.json), as in src/core/testgen/runners.ava.test.ts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { npmCache } from '../testing/cachedTools';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { analyzeTrace } from './analyze';
import { failingTestOf, runTestWithFix } from './failingTest';

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

const USER = [
  '// @ts-check',
  '/** @param {number} id */',
  "export async function loadUser(id) { return { id, name: 'ada' }; }",
  '/** @param {number} id */',
  'export async function greet(id) {',
  '  const user = loadUser(id);',
  '  return `hello ${user.name.toUpperCase()}`;',
  '}',
  '',
].join('\n');

const TEST = (extra = '') => [
  "import test from 'ava';",
  "import { greet, loadUser } from '../src/user.js';",
  "test('loads a user', async (t) => { t.is((await loadUser(1)).name, 'ada'); });",
  "test('greets ada by name', async (t) => { t.is(await greet(1), 'hello ADA'); });",
  "test.todo('greets nobody');",
  extra,
  '',
].join('\n');

/** ava's own output (stdout and stderr, as a terminal shows them); it must have failed. */
function ava(root: string, args: string[] = []): string {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/ava/entrypoints/cli.mjs'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 180_000 });
  expect(r.status, `${r.stdout}\n${r.stderr}`).not.toBe(0);
  return `${r.stdout}\n${r.stderr}`;
}

const NAMED = { file: 'test/user.test.js', name: 'greets ada by name' };

describe('the failing test from real ava output, run without and with the fix', () => {
  it('default reporter (whole run and the failure section), TAP, and several files', async () => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'users', private: true, type: 'module', scripts: { test: 'ava' }, devDependencies: { ava: '6.4.1' } }),
      'src/user.js': USER,
      'test/user.test.js': TEST(),
    });
    fs.symlinkSync(modules, path.join(ws.root, 'node_modules'), 'junction');
    const ctx = createEngineContext(new NodeWorkspaceFs(ws.root));

    const output = ava(ws.root);
    expect(output).toContain('✘ [fail]: greets ada by name');
    const report = await analyzeTrace(ctx, output);
    expect(report.focus, `${report.noFix}\n${output}`).toMatchObject({ file: 'src/user.js', line: 7 });
    expect(report.fix?.fixName).toBe('addMissingAwaitToInitializer');
    expect(failingTestOf(report, output), output).toEqual(NAMED);
    // Only the failure's section (from ava's `─` line), as a person often selects it.
    const part = output.slice(output.indexOf('─'));
    expect(failingTestOf(await analyzeTrace(ctx, part), part), part).toEqual(NAMED);

    // TAP: the todo (`not ok … # TODO`) comes first and is not the failing test.
    const tap = ava(ws.root, ['--tap']);
    expect(tap.search(/^not ok \d+ - greets nobody # TODO$/m), tap).toBeGreaterThanOrEqual(0);
    expect(tap.search(/^not ok \d+ - greets nobody # TODO$/m)).toBeLessThan(tap.search(/^not ok \d+ - greets ada by name$/m));
    expect(failingTestOf(report, tap)).toEqual(NAMED);

    // Several files: ava prefixes the titles with the file (`user.test › greets ada by name`).
    ws.write('test/other.test.js', TEST().replace("'greets nobody'", "'greets somebody'"));
    const many = ava(ws.root);
    expect(many).toMatch(/✘ \[fail\]: \S+ › greets ada by name/);
    expect(failingTestOf(await analyzeTrace(ctx, many), many)?.name).toBe('greets ada by name');
    fs.rmSync(path.join(ws.root, 'test/other.test.js'));

    const before = ws.snapshot();
    const record = await runTestWithFix(ctx, failingTestOf(report, output)!, report.fix!.changeSet);
    expect(record.before, record.before?.output).toMatchObject({ framework: 'ava', status: 'failed', test: 'greets ada by name', passed: 0, failed: 1, todo: 0 });
    expect(record.before?.output).toContain('toUpperCase');
    expect(record.after, record.after?.output).toMatchObject({ framework: 'ava', status: 'passed', test: 'greets ada by name', passed: 1, failed: 0, todo: 0 });
    expect(record).toMatchObject({ status: 'passed', passed: 1 });
    expect(ws.snapshot()).toEqual(before);
  }, 300_000);
});
