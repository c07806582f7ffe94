// Project references on the native engine: a small real solution (`files: []` + `references`,
// two composite projects, one importing the other) against TypeScript 7's own `tsc -b` on a copy
// (the referee), for the diagnostics and for a proposal's delta across projects.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTypeScript } from './select';
import { NativeTsEngine } from './native';
import { projectConfigs } from './references';
import { NATIVE_TS_DIR, refereeKey, tscBuildDiagnostics, writeFixture } from './fixture';

const native = describeTypeScript(NATIVE_TS_DIR)!;
const options = { composite: true, strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', outDir: 'dist', rootDir: 'src', types: [], lib: ['ES2022'] };
const SOLUTION: Record<string, string> = {
  // JSONC, as tsc reads it.
  'tsconfig.json': '// the solution\n{ "files": [], "references": [{ "path": "./packages/app" }, { "path": "./packages/core" },] }\n',
  'packages/core/tsconfig.json': JSON.stringify({ compilerOptions: options, include: ['src'] }),
  'packages/app/tsconfig.json': JSON.stringify({ compilerOptions: options, include: ['src'], references: [{ path: '../core' }] }),
  'packages/core/src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\nexport const bad: string = 1;\n',
  'packages/app/src/main.ts': "import { add } from '../../core/src/math';\nexport const total: number = add(1, 2);\nexport const wrong: string = add(2, 3);\n",
  'packages/app/src/other.ts': "import { total } from './main';\nexport const twice = total * 2;\n",
};

let tmp: string;
let root: string;
let engine: NativeTsEngine;
const keys = (list: Parameters<typeof refereeKey>[0][]) => list.map(refereeKey).sort();

/** `tsc -b` on a copy of the solution with `files` written over it. */
function referee(files: Record<string, string> = {}): string[] {
  const copy = fs.mkdtempSync(path.join(tmp, 'copy-'));
  writeFixture(copy, SOLUTION);
  writeFixture(copy, files);
  return keys(tscBuildDiagnostics(copy));
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ts7-refs-')));
  root = path.join(tmp, 'ws');
  writeFixture(root, SOLUTION);
  engine = await NativeTsEngine.open({ root, apiPath: native.nativeApi!, version: native.version, source: 'rusty' });
}, 60_000);
afterAll(async () => {
  await engine?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('NativeTsEngine on project references', () => {
  it('finds the referenced projects in build order', () => {
    expect(projectConfigs(path.join(root, 'tsconfig.json')).map((c) => path.relative(root, c).split(path.sep).join('/'))).toEqual(['packages/core/tsconfig.json', 'packages/app/tsconfig.json', 'tsconfig.json']);
  });

  it('reports what tsc -b reports for the whole solution', async () => {
    const ours = keys(await engine.projectDiagnostics());
    const theirs = referee();
    expect(theirs).toEqual(['packages/app/src/main.ts:3:14 TS2322', 'packages/core/src/math.ts:4:14 TS2322']);
    expect(ours).toEqual(theirs);
    expect(fs.existsSync(path.join(root, 'packages/core/dist'))).toBe(false);
  }, 120_000);

  it('a proposal in one project: the delta reaches the projects that reference it, equal to tsc -b on a copy with it applied', async () => {
    const changed = SOLUTION['packages/core/src/math.ts']!.replace('add(a: number, b: number): number {\n  return a + b;', 'add(a: number, b: number): string {\n  return `${a + b}`;');
    const r = await engine.checkWithOverlay({ overlay: new Map([['packages/core/src/math.ts', changed]]), before: ['packages/core/src/math.ts'], after: ['packages/core/src/math.ts'] });
    expect(keys(r.before)).toEqual(referee());
    const after = keys(r.after);
    expect(after).toEqual(referee({ 'packages/core/src/math.ts': changed }));
    expect(after).toContain('packages/app/src/main.ts:2:14 TS2322');
    expect(after).not.toContain('packages/app/src/main.ts:3:14 TS2322');
    expect(fs.readFileSync(path.join(root, 'packages/core/src/math.ts'), 'utf8')).toBe(SOLUTION['packages/core/src/math.ts']);
  }, 120_000);
});
