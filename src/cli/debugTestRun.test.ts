// The real CLI (dist/cli.js): `rusty debug` runs the failing test it reads from a real node:test
// crash on copies of the workspace without and with TypeScript's fix and attaches both runs;
// `rusty show` prints them (counts, todos apart, the escaped output tail). Build first.
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseJson, prepareCli } from '../core/testing/cli';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';

const cli = prepareCli();
afterAll(() => cli.dispose());
let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

interface Run { status: string; passed: number; failed: number; todo: number; test?: string; output?: string }

describe('rusty debug --test / rusty show test runs', () => {
  it('runs the failing test from the trace without and with the fix on copies, attaches both, and show prints them escaped', async () => {
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
      'test/user.test.js': [
        "import { test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { greet } from '../src/user.js';",
        "test('adds two', () => { assert.equal(1 + 1, 2); });",
        "test('greets ada: by name', async () => {",
        "  console.log('\\x1b[31mred\\u202e');",
        "  assert.equal(await greet(1), 'hello ADA');",
        '});',
        '',
      ].join('\n'),
    });
    const crash = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'test/'], { cwd: ws.root, encoding: 'utf8' });
    expect(crash.status).not.toBe(0);
    const before = ws.snapshot();
    const r = await cli.run(['--json', 'debug', '-'], { cwd: ws.root, env: ws.env, input: crash.stdout });
    expect(r.code, r.stderr).toBe(0);
    const j = parseJson<{ fix: { proposal: string }; testRun: Run & { before: Run; after: Run } }>(r);
    expect(j.testRun.before).toMatchObject({ status: 'failed', passed: 0, failed: 1, test: 'greets ada: by name' });
    expect(j.testRun.before.output).toContain("Cannot read properties of undefined (reading 'toUpperCase')");
    expect(j.testRun.after).toMatchObject({ status: 'passed', passed: 1, failed: 0, todo: 0 });
    expect(j.testRun).toMatchObject({ status: 'passed', passed: 1 });
    expect(ws.snapshot()).toEqual(before);

    const show = await cli.run(['show', j.fix.proposal], { cwd: ws.root, env: ws.env });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('Test run (node:test "greets ada: by name", on a copy of the workspace; todos are not passes):');
    expect(show.stdout).toContain('  without the fix: FAILED — 0 passed, 1 failed, 0 todo');
    expect(show.stdout).toContain('  with the fix: passed — 1 passed, 0 failed, 0 todo');
    expect(show.stdout).toMatch(/\| .*Cannot read properties of undefined/);
    expect(show.stdout).toContain('\\x1b[31mred<U+202E>');
    expect(show.stdout).not.toContain('\x1b[31m');

    // Given explicitly (the whole file), and --no-test.
    const whole = await cli.run(['--json', 'debug', '-', '--test', 'test/user.test.js'], { cwd: ws.root, env: ws.env, input: crash.stdout });
    const w = parseJson<{ testRun: Run & { before: Run; after: Run } }>(whole);
    expect(w.testRun.before).toMatchObject({ status: 'failed', passed: 1, failed: 1 });
    expect(w.testRun.after).toMatchObject({ status: 'passed', passed: 2, failed: 0 });
    const none = await cli.run(['--json', 'debug', '-', '--no-test'], { cwd: ws.root, env: ws.env, input: crash.stdout });
    expect(parseJson<{ testRun: unknown }>(none).testRun).toBeNull();
  }, 180_000);

  it('show prints a generated test run (todos apart) and one that could not run', async () => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'm', type: 'module', scripts: { test: 'node --test' } }),
      'lib/math.js': '/** @param {number} a @param {number} b */\nexport function add(a, b) { return a + b; }\n',
    });
    const gen = await cli.run(['--json', 'gen-tests', 'lib/math.js'], { cwd: ws.root, env: ws.env });
    const g = parseJson<{ id: string; todos: number }>(gen);
    expect(g.todos).toBeGreaterThan(0);
    const show = await cli.run(['show', g.id], { cwd: ws.root, env: ws.env });
    expect(show.stdout).toContain(`  result: passed — 1 passed, 0 failed, ${g.todos} todo`);
    ws.write('package.json', JSON.stringify({ name: 'm', type: 'module', scripts: { test: 'jest' } }));
    ws.write('lib/neg.js', 'export function neg(x) { return -x; }\n');
    const jest = parseJson<{ id: string }>(await cli.run(['--json', 'gen-tests', 'lib/neg.js'], { cwd: ws.root, env: ws.env }));
    const notRun = await cli.run(['show', jest.id], { cwd: ws.root, env: ws.env });
    expect(notRun.stdout).toContain('  result: not run — jest is not installed in node_modules (run npm install in the project)');
  }, 180_000);
});
