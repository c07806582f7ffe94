// Impact on a solution-style project (`files: []` + `references`): the ts-morph side loads the
// referenced projects' files, so a change in one project lists the files of another that depend on
// it and the references to its changed symbol there (before: the root program was empty, so both
// were empty). Real files in a temp folder, real ts-morph, no type checker stubbed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeImpact } from '../impact/computeImpact';
import { sha256 } from '../util/hash';
import { writeFixture } from './fixture';

const options = { composite: true, strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', outDir: 'dist', rootDir: 'src', types: [], lib: ['ES2022'] };
const SOLUTION: Record<string, string> = {
  'tsconfig.json': '// the solution\n{ "files": [], "references": [{ "path": "./packages/app" }, { "path": "./packages/core" },] }\n',
  'packages/core/tsconfig.json': JSON.stringify({ compilerOptions: options, include: ['src'] }),
  'packages/app/tsconfig.json': JSON.stringify({ compilerOptions: options, include: ['src'], references: [{ path: '../core' }] }),
  'packages/core/src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'packages/app/src/main.ts': "import { add } from '../../core/src/math';\nexport const total: number = add(1, 2);\n",
  'packages/app/src/other.ts': "import { total } from './main';\nexport const twice = total * 2;\n",
};

let root: string;
beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-solution-impact-')));
  writeFixture(root, SOLUTION);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('impact on a solution-style project', () => {
  it('reaches the referencing project: dependents and references of a change in the referenced one', async () => {
    const rel = 'packages/core/src/math.ts';
    const before = fs.readFileSync(path.join(root, rel));
    const cs = { title: 'add takes a third number', source: 'test', edits: [{ kind: 'modify' as const, path: rel, baseHash: sha256(before), content: 'export function add(a: number, b: number, c = 0): number {\n  return a + b + c;\n}\n' }] };
    const r = await computeImpact(cs, { root });
    expect(r.dependents.files.sort()).toEqual(['packages/app/src/main.ts', 'packages/app/src/other.ts']);
    expect(r.dependents.direct).toBe(1);
    const add = r.references.symbols.find((s) => s.name === 'add');
    expect(add?.count).toBeGreaterThanOrEqual(2); // the import and the call in the app
    expect(add!.locations.map((l) => l.file)).toContain('packages/app/src/main.ts');
    expect(fs.readFileSync(path.join(root, rel))).toEqual(before); // nothing written
  }, 120_000);
});
