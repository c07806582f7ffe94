// Test generation on real projects: the skeleton is written in the project's conventions, run
// with the project's own runner (node:test and vitest for real) on an overlay copy, and a todo is
// never counted as a pass. Nothing is written to the workspace until the proposal is approved.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { REPO_ROOT } from '../testing/cli';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { generateTests } from './generate';
import { runGeneratedTest } from './run';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

const ctxOf = (w: TempWorkspace) => createEngineContext(new NodeWorkspaceFs(w.root));

// A small ESM library tested with node:test in test/, describe/it, imports with .js.
const nodeTestProject = {
  'package.json': JSON.stringify({ name: 'shapes', type: 'module', scripts: { test: 'node --test test/' } }),
  'src/shapes.js': [
    '/** @param {number} w @param {number} [h] @returns {number} */',
    'export function area(w, h) {',
    "  if (w < 0) throw new RangeError('negative width');",
    '  return w * (h ?? w);',
    '}',
    "/** @param {'circle' | 'square'} kind @param {boolean} filled */",
    'export const label = (kind, filled) => `${filled ? "filled " : ""}${kind}`;',
    'export class Counter {',
    '  /** @param {number} start */',
    '  constructor(start) { this.n = start; }',
    '  /** @param {number} by */',
    '  add(by) { this.n += by; return this.n; }',
    '}',
    '',
  ].join('\n'),
  'test/existing.test.js': "import { describe, it } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { area } from '../src/shapes.js';\ndescribe('area', () => { it('squares', () => assert.equal(area(2), 4)); });\n",
};

describe('gen-tests on a node:test project', () => {
  it('follows the conventions, imports the real symbols, leaves expectations as todo and runs them for real', async () => {
    ws = tempWorkspace(nodeTestProject);
    const before = ws.snapshot();
    const gen = await generateTests(ctxOf(ws), { file: 'src/shapes.js' });
    expect(gen.conventions).toMatchObject({ framework: 'node:test', location: { folder: 'test' }, suffix: '.test', module: 'esm', style: 'describe-it' });
    expect(gen.testPath).toBe('test/shapes.test.js');
    expect(gen.content).toContain("import { area, Counter, label } from '../src/shapes.js';");
    expect(gen.content).toContain("it('area(0)', { todo: true });");
    expect(gen.content).toContain("it('area(-1)', { todo: true });");
    expect(gen.content).toContain("it('area(0) with h omitted', { todo: true });");
    expect(gen.content).toContain("it('throws RangeError when w < 0', { todo: true });");
    expect(gen.content).toContain("it('label(\"circle\", true) (kind: each member)', { todo: true });");
    expect(gen.content).toContain("it('label(\"square\", true) (kind: each member)', { todo: true });");
    expect(gen.content).toContain("describe('#add', () => {");
    // No assertion about what a call returns: only the exports' kinds are checked.
    expect(gen.content).not.toMatch(/assert\.(deepEqual|equal)\((area|label)\(/);
    expect(gen.checks).toBe(3);
    expect(gen.changeSet.edits).toEqual([{ kind: 'create', path: 'test/shapes.test.js', content: gen.content }]);

    const run = await runGeneratedTest(ws.root, 'node:test', gen.testPath, gen.content);
    expect(run).toMatchObject({ status: 'passed', passed: 3, failed: 0, todo: gen.todos });
    expect(run.todo).toBeGreaterThan(10);
    expect(ws.snapshot()).toEqual(before); // the run happened on a copy
  }, 60_000);

  it('a failing generated test is reported as failed with the output; a wrong runner setup as not run', async () => {
    ws = tempWorkspace({ ...nodeTestProject, 'src/broken.js': "throw new Error('boom at import');\nexport function f(a) { return a; }\n" });
    const gen = await generateTests(ctxOf(ws), { file: 'src/broken.js' });
    const run = await runGeneratedTest(ws.root, 'node:test', gen.testPath, gen.content);
    expect(run.status).toBe('failed');
    expect(run.passed).toBe(0);
    expect(run.output).toContain('boom at import');
    const jest = await runGeneratedTest(ws.root, 'jest', gen.testPath, gen.content);
    expect(jest).toMatchObject({ status: 'not-run', reason: 'jest is not installed in node_modules (run npm install in the project)', passed: 0 });
  }, 60_000);

  it('refuses a file that exports nothing to test, an unknown symbol, and a project without a framework', async () => {
    ws = tempWorkspace({ ...nodeTestProject, 'src/consts.js': 'export const x = 1;\n' });
    await expect(generateTests(ctxOf(ws), { file: 'src/consts.js' })).rejects.toThrow('src/consts.js exports no function or class to test.');
    await expect(generateTests(ctxOf(ws), { file: 'src/shapes.js', symbol: 'nope' })).rejects.toThrow('shapes.js exports no function or class named nope.');
    ws.cleanup();
    ws = tempWorkspace({ 'package.json': '{"name":"x"}', 'a.js': 'export function f() {}\n' });
    await expect(generateTests(ctxOf(ws), { file: 'a.js' })).rejects.toThrow(/^No test framework found/);
  });
});

describe('gen-tests on a vitest project', () => {
  it('writes .spec next to the source with test(), for one symbol and for the whole file, and vitest runs it', async () => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'calc', type: 'module', devDependencies: { vitest: '*' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', noEmit: true }, include: ['src'] }),
      'src/calc.ts': [
        "export type Op = 'add' | 'sub' | 'mul' | 'div';",
        'export function apply(op: Op, a: number, b: number): number {',
        "  if (op === 'add') return a + b;",
        "  if (op === 'sub') return a - b;",
        "  if (op === 'mul') return a * b;",
        "  if (b === 0) throw new Error('division by zero');",
        '  return a / b;',
        '}',
        'export async function total(items: { price: number }[], discount?: number): Promise<number> {',
        '  return items.reduce((s, i) => s + i.price, 0) * (1 - (discount ?? 0));',
        '}',
        'export default function parse(text: string): number[] { return text.split(",").map(Number); }',
        '',
      ].join('\n'),
      'src/other.spec.ts': "import { expect, test } from 'vitest';\ntest('one', () => { expect(1).toBe(1); });\n",
    });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(ws.root, 'node_modules'), 'junction');
    const one = await generateTests(ctxOf(ws), { file: 'src/calc.ts', symbol: 'apply' });
    expect(one.testPath).toBe('src/calc.spec.ts');
    expect(one.conventions).toMatchObject({ framework: 'vitest', location: 'next-to-source', suffix: '.spec', style: 'test' });
    expect(one.content).toContain("import { apply } from './calc';");
    for (const op of ['add', 'sub', 'mul', 'div']) expect(one.content).toContain(`test.todo('apply("${op}", 0, 0) (op: each member)');`);
    expect(one.content).toContain("test.todo('throws Error when b === 0');");
    expect(one.content).toContain("test.todo('branch at line 3: op === \\'add\\'');");

    const all = await generateTests(ctxOf(ws), { file: 'src/calc.ts' });
    expect(all.content).toContain("import parse, { apply, total } from './calc';");
    expect(all.content).toContain("test.todo('total([]) with discount omitted');");
    expect(all.content).toContain("test.todo('total([{ price: 0 }])');");
    const run = await runGeneratedTest(ws.root, 'vitest', all.testPath, all.content);
    expect(run, run.output).toMatchObject({ status: 'passed', passed: 3, failed: 0, todo: all.todos });
    expect(ws.exists('src/calc.spec.ts')).toBe(false);
  }, 120_000);
});
