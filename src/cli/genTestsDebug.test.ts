// The real CLI (dist/cli.js) as a child process: `gen-tests` runs the skeleton on a copy and queues
// it with the run attached; `debug -` reads a real crash from stdin and queues TypeScript's fix.
// Build first: `npm run build`.
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseJson, prepareCli } from '../core/testing/cli';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';

const cli = prepareCli();
afterAll(() => cli.dispose());
let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

describe('rusty gen-tests / rusty debug', () => {
  it('gen-tests FILE:SYMBOL queues the test file with its run (todos counted apart) and writes nothing', async () => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'm', type: 'module', scripts: { test: 'node --test' } }),
      'lib/math.js': '/** @param {number} a @param {number} b */\nexport function add(a, b) { return a + b; }\nexport function neg(x) { return -x; }\n',
    });
    const before = ws.snapshot();
    const r = await cli.run(['--json', 'gen-tests', 'lib/math.js:add'], { cwd: ws.root, env: ws.env });
    expect(r.code, r.stderr).toBe(0);
    const j = parseJson<{ id: string; testPath: string; todos: number; checks: number; testRun: { status: string; passed: number; todo: number } }>(r);
    expect(j).toMatchObject({ testPath: 'lib/math.test.js', checks: 1, testRun: { status: 'passed', passed: 1 } });
    expect(j.testRun.todo).toBe(j.todos);
    expect(ws.snapshot()).toEqual(before);
    const text = await cli.run(['show', j.id, '--json'], { cwd: ws.root, env: ws.env });
    expect(parseJson<{ testRun?: unknown }>(text).testRun).toMatchObject({ framework: 'node:test', status: 'passed', passed: 1, failed: 0, todo: j.todos });
    const human = await cli.run(['gen-tests', 'lib/math.js:neg'], { cwd: ws.root, env: ws.env });
    expect(human.stdout).toMatch(/Test run \(node:test, overlay copy, [\d.]+s\): passed — 1 passed, 0 failed, \d+ todo; todos are not passes\./);
  }, 120_000);

  it('debug - reads a real crash from stdin, escapes it, and queues the code fix', async () => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'u', type: 'module' }),
      'src/user.js': "// @ts-check\nexport async function load() { return { name: 'ada' }; }\nexport async function main() {\n  const u = load();\n  console.log(u.name.toUpperCase());\n}\nawait main();\n",
    });
    const crash = spawnSync(process.execPath, ['src/user.js'], { cwd: ws.root, encoding: 'utf8' });
    expect(crash.status).not.toBe(0);
    const r = await cli.run(['debug', '-'], { cwd: ws.root, env: ws.env, input: `${crash.stderr}\n\x1b[31mX\u202e` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Kind: missing await');
    expect(r.stdout).toMatch(/▶ main src\/user\.js:5:\d+/);
    expect(r.stdout).toContain('>    5 |   console.log(u.name.toUpperCase());');
    expect(r.stdout).toContain("Fix (TypeScript code fix addMissingAwaitToInitializer): Add 'await' to initializer for 'u'");
    expect(r.stdout).not.toContain('\x1b[31m');
    const empty = await cli.run(['debug', '-'], { cwd: ws.root, env: ws.env, input: '' });
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain('The stack trace is empty: pass a file or pipe the error text to `rusty debug -`.');
  }, 120_000);
});
