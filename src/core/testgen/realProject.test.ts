// Test generation on a real project with its own test suite: zod 3.25.76 as published on npm
// (sources and 140 vitest files under src/**/tests/), fetched with `npm pack` when not cached.
// The skeleton follows zod's conventions, type-checks against zod's sources, runs with vitest on
// an overlay copy, and its todos are counted as todos, never as passes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { REPO_ROOT } from '../testing/cli';
import { copyRealPackage, fetchRealPackage } from '../testing/realCode';
import { treeSnapshot } from '../testing/tree';
import { generateTests } from './generate';
import { runGeneratedTest } from './run';

const SOURCE = 'src/v4/core/util.ts';
const SYMBOLS = ['joinValues', 'floatSafeRemainder', 'cleanRegex', 'esc'];

let base: string;
let root: string;

beforeAll(() => {
  const pkg = fetchRealPackage('zod', '3.25.76');
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-zod-')));
  root = copyRealPackage(pkg, base);
  // The published package.json has no devDependencies (scripts.test is `pnpm vitest run`): this
  // repository's vitest is linked into the copy's node_modules, as `npm install` would put it.
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'vitest'), path.join(root, 'node_modules', 'vitest'), 'junction');
}, 120_000);
afterAll(() => { if (base) fs.rmSync(base, { recursive: true, force: true }); });

/** TypeScript diagnostics of `files` (written in the copy) under the package's tsconfig, formatted one a line. */
function typeErrors(files: string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } })!;
  // zod's util.ts calls Error.captureStackTrace: Node's types, from this repository (zod's own dev setup has them).
  const options = { ...config.options, types: ['node'], typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')] };
  const program = ts.createProgram(files.map((f) => path.join(root, f)), options);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(root, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('gen-tests on zod (a real npm package with its own vitest suite)', () => {
  it('follows zod\'s conventions, type-checks against its sources, and runs with vitest counting todos as todos', async () => {
    const ctx = createEngineContext(new NodeWorkspaceFs(root));
    const before = treeSnapshot(root);

    // Several exported functions, one at a time (as the CodeLens does), then the whole file.
    const gens = [];
    for (const symbol of SYMBOLS) gens.push(await generateTests(ctx, { file: SOURCE, symbol }));
    const all = await generateTests(ctx, { file: SOURCE });
    for (const gen of [...gens, all]) {
      // zod: `import { expect, test } from "vitest"`, top-level test(), ESM, src/**/tests/*.test.ts.
      expect(gen.conventions).toMatchObject({ framework: 'vitest', location: { folder: 'tests', beside: true }, suffix: '.test', module: 'esm', style: 'test' });
      expect(gen.conventions.sample).toMatch(/^src\/.+\/tests\/[^/]+\.test\.ts$/);
      expect(gen.testPath).toBe('src/v4/core/tests/util.test.ts');
      expect(gen.changeSet.edits).toEqual([{ kind: 'create', path: gen.testPath, content: gen.content }]);
      expect(gen.content).toContain("from 'vitest';");
    }
    gens.forEach((gen, i) => {
      expect(gen.content).toContain(`import { ${SYMBOLS[i]} } from '../util.js';`); // zod's sources import with .js
      expect(gen.checks).toBe(1);
      expect(gen.todos).toBeGreaterThan(0);
    });
    expect(all.checks).toBeGreaterThan(20);
    for (const symbol of SYMBOLS) expect(all.content).toContain(`test('${symbol} is exported as a function'`);

    // Engines never write: generating left the copy as it was.
    expect(treeSnapshot(root)).toEqual(before);

    // Each skeleton runs with the project's runner on an overlay: passed is exactly the real checks.
    for (const gen of [gens[1]!, all]) {
      const run = await runGeneratedTest(root, 'vitest', gen.testPath, gen.content);
      expect(run, run.output).toMatchObject({ framework: 'vitest', status: 'passed', passed: gen.checks, failed: 0, todo: gen.todos });
    }
    expect(treeSnapshot(root)).toEqual(before); // the runs happened on copies

    // Applied where the proposal writes, the file type-checks against zod's sources (the repo's typescript).
    fs.mkdirSync(path.join(root, 'src/v4/core/tests'), { recursive: true });
    fs.writeFileSync(path.join(root, all.testPath), all.content);
    expect(typeErrors([all.testPath])).toEqual([]);
    const after = treeSnapshot(root);
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([all.testPath]);
  }, 180_000);
});
