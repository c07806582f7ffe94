// jest and mocha for real: both installed at test time into .cache/testgen-runners (never into
// package.json) and linked as the temp project's node_modules. The skeleton is generated in the
// project's conventions and run with its runner on an overlay copy: the checks pass, every todo is
// counted as a todo (jest's todo, mocha's pending), never as a pass; a broken module fails.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { npmCache } from '../testing/cachedTools';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { generateTests } from './generate';
import { runGeneratedTest } from './run';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });
let modules: string;
beforeAll(() => { modules = npmCache('testgen-runners', ['jest@30.2.0', 'mocha@11.7.5']); }, 900_000);

function project(files: Record<string, string>): TempWorkspace {
  const w = tempWorkspace(files);
  fs.symlinkSync(modules, path.join(w.root, 'node_modules'), 'junction');
  return w;
}

const LIB = [
  '/** @param {number} a @param {number} b */',
  'function add(a, b) { return a + b; }',
  "/** @param {'up' | 'down'} dir */",
  "function arrow(dir) { if (dir === 'up') return '^'; return 'v'; }",
];

describe('generated tests run with jest and mocha', () => {
  it('jest (CommonJS, test()): checks pass, todos counted as todo', async () => {
    ws = project({
      'package.json': JSON.stringify({ name: 'calc', private: true, scripts: { test: 'jest' }, devDependencies: { jest: '30.2.0' } }),
      'src/calc.js': [...LIB, 'const twice = (x) => x * 2;', 'module.exports = { add, arrow, double: twice };', ''].join('\n'),
    });
    const before = ws.snapshot();
    const gen = await generateTests(createEngineContext(new NodeWorkspaceFs(ws.root)), { file: 'src/calc.js' });
    expect(gen.conventions).toMatchObject({ framework: 'jest', module: 'cjs' });
    expect(gen.content).toMatch(/const \{ add, arrow, double \} = require\('\.\/calc(\.js)?'\);/);
    expect(gen.content).toContain('.todo(');
    const run = await runGeneratedTest(ws.root, 'jest', gen.testPath, gen.content);
    expect(run, run.output).toMatchObject({ framework: 'jest', status: 'passed', passed: gen.checks, failed: 0, todo: gen.todos });
    expect(gen.targets.map((t) => t.name)).toEqual(['add', 'arrow', 'double']);
    expect(gen.checks).toBe(3);
    expect(gen.todos).toBeGreaterThan(3);
    expect(ws.snapshot()).toEqual(before);
  }, 240_000);

  it('mocha (ESM, describe/it): checks pass, pending tests counted as todo; a broken module fails with the output', async () => {
    ws = project({
      'package.json': JSON.stringify({ name: 'calc', private: true, type: 'module', scripts: { test: 'mocha' }, devDependencies: { mocha: '11.7.5' } }),
      'lib/calc.js': [...LIB.map((l) => l.replace(/^function/, 'export function')), ''].join('\n'),
    });
    const gen = await generateTests(createEngineContext(new NodeWorkspaceFs(ws.root)), { file: 'lib/calc.js' });
    expect(gen.conventions).toMatchObject({ framework: 'mocha', module: 'esm', style: 'describe-it' });
    const run = await runGeneratedTest(ws.root, 'mocha', gen.testPath, gen.content);
    expect(run, run.output).toMatchObject({ framework: 'mocha', status: 'passed', passed: gen.checks, failed: 0, todo: gen.todos });
    expect(gen.todos).toBeGreaterThan(3);

    ws.write('lib/calc.js', `${ws.read('lib/calc.js')}throw new Error('broken at import');\n`);
    const broken = await runGeneratedTest(ws.root, 'mocha', gen.testPath, gen.content);
    expect(broken.status).toBe('failed');
    expect(broken.passed).toBe(0);
    expect(broken.output).toContain('broken at import');
  }, 240_000);
});
