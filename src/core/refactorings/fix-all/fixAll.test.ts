import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../../testing/tempWorkspace';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { applyThroughCore, compilerDiagnostics, minus } from '../move-file/testSupport';
import { fixAll, proposeFixAll } from './index';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const tsconfig = (options: Record<string, unknown> = {}) => JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', types: [], ...options },
  include: ['src'],
});

const load = (w: TempWorkspace) => WorkspaceProject.load({ root: w.root });
const only = (diags: string[], code: number) => diags.filter((d) => d.includes(`|TS${code}|`));

describe('fix all', () => {
  it('removes every unused import and local (TS6133) across files: two fix ids, counted, applied through the pipeline', async () => {
    ws = tempWorkspace({
      'tsconfig.json': tsconfig({ noUnusedLocals: true }),
      'src/x.ts': 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n',
      'src/one.ts': "import { a, b } from './x';\r\nexport function f(n: number): number {\r\n  const unused = 1;\r\n  return n + a;\r\n}\r\n",
      'src/two.ts': "import { c } from './x';\nfunction helper(): void {}\nexport const two = 2;\n",
      'src/clean.ts': "import { a } from './x';\nexport const clean = a;\n",
    });
    const before = await compilerDiagnostics(ws.root);
    expect(only(before, 6133)).toHaveLength(4);
    const project = await load(ws);
    const snapshot = ws.snapshot();
    const result = await fixAll({ project }, { code: 6133 });
    expect(ws.snapshot()).toEqual(snapshot);
    expect(project.changedEdits()).toEqual([]); // the project is left as it was
    expect(result).toMatchObject({ code: 6133, found: 4, fixed: 4, remaining: 0, files: ['src/one.ts', 'src/two.ts'] });
    expect(result.fixIds.sort()).toEqual(['unusedIdentifier_delete', 'unusedIdentifier_deleteImports']);
    expect(result.changeSet.title).toBe('Fix all TS6133 in 2 files (4 diagnostics)');
    expect(result.changeSet.rationale).toMatch(/^Fixes 4 TS6133 diagnostics of 4 in the project \(e\.g\. "'b' is declared but its value is never read\."\)/);
    const one = result.changeSet.edits.find((e) => e.path === 'src/one.ts');
    expect(one).toMatchObject({ kind: 'modify', baseHash: ws.hash('src/one.ts'), content: "import { a } from './x';\r\nexport function f(n: number): number {\r\n  return n + a;\r\n}\r\n" });
    expect(result.changeSet.edits.find((e) => e.path === 'src/two.ts')).toMatchObject({ content: 'export const two = 2;\n' });

    await applyThroughCore(ws.root, result.changeSet);
    expect(await compilerDiagnostics(ws.root)).toEqual(minus(before, only(before, 6133)));
  });

  it('--file fixes one file only', async () => {
    ws = tempWorkspace({
      'tsconfig.json': tsconfig({ noUnusedLocals: true }),
      'src/a.ts': 'const x = 1;\nexport {};\n',
      'src/b.ts': 'const y = 1;\nexport {};\n',
    });
    const result = await fixAll({ project: await load(ws) }, { code: 6133, file: './src/b.ts' });
    expect(result.files).toEqual(['src/b.ts']);
    expect(result.changeSet.title).toBe('Fix all TS6133 in src/b.ts (1 diagnostic)');
    expect(result.changeSet.rationale).toContain('of 1 in ./src/b.ts');
  });

  it('fixes only the asked code when the combined fix covers a family (TS4114 without TS4115)', async () => {
    ws = tempWorkspace({
      'tsconfig.json': tsconfig({ noImplicitOverride: true }),
      'src/base.ts': 'export class Base {\n  constructor(public size: number) {}\n  run(): void {}\n  stop(): void {}\n}\n',
      'src/impl.ts': "import { Base } from './base';\nexport class Impl extends Base {\n  constructor(public size: number) { super(size); }\n  run(): void {}\n  stop(): void {}\n}\n",
    });
    const before = await compilerDiagnostics(ws.root);
    expect(only(before, 4114)).toHaveLength(2);
    expect(only(before, 4115)).toHaveLength(1);
    const result = await fixAll({ project: await load(ws) }, { code: 4114 });
    expect(result).toMatchObject({ fixIds: ['fixAddOverrideModifier'], found: 2, fixed: 2, oneByOne: ['src/impl.ts'], alsoFixed: {} });
    expect(result.changeSet.edits[0]).toMatchObject({
      path: 'src/impl.ts',
      content: "import { Base } from './base';\nexport class Impl extends Base {\n  constructor(public size: number) { super(size); }\n  override run(): void {}\n  override stop(): void {}\n}\n",
    });
    await applyThroughCore(ws.root, result.changeSet);
    expect(await compilerDiagnostics(ws.root)).toEqual(minus(before, only(before, 4114)));
  });

  it('fixes edits that meet in one file over several rounds (missing members added to one class)', async () => {
    ws = tempWorkspace({
      'tsconfig.json': tsconfig(),
      'src/c.ts': 'export class C {\n  x = 1;\n}\n',
      'src/a.ts': "import { C } from './c';\nexport function a(c: C): void { c.alpha = 1; }\n",
      'src/b.ts': "import { C } from './c';\nexport function b(c: C): void { c.beta = 'b'; }\n",
    });
    const before = await compilerDiagnostics(ws.root);
    const project = await load(ws);
    const result = await fixAll({ project }, { code: 2339, fixId: 'fixMissingMember' }).catch((e: unknown) => e);
    if (result instanceof RustyError) {
      // Older TypeScript: no fix-all for missing members; nothing else to check.
      expect(result.code).toBe('refused');
      return;
    }
    const r = result as Awaited<ReturnType<typeof fixAll>>;
    expect(r.files).toEqual(['src/c.ts']);
    expect(r.fixed).toBe(2);
    const content = (r.changeSet.edits[0] as { content: string }).content;
    expect(content).toContain('alpha');
    expect(content).toContain('beta');
    // TypeScript's fix declares the members without initializers: strict mode reports that, and so does the result.
    expect(r.introduced).toEqual({ TS2564: 2 });
    expect(r.changeSet.rationale).toContain('Introduces 2 × TS2564.');
    await applyThroughCore(ws.root, r.changeSet);
    const after = await compilerDiagnostics(ws.root);
    expect(minus(after, only(after, 2564))).toEqual(minus(before, only(before, 2339)));
  });

  it('honours cancellation', async () => {
    ws = tempWorkspace({ 'tsconfig.json': tsconfig({ noUnusedLocals: true }), 'src/a.ts': 'const x = 1;\nexport {};\n' });
    const controller = new AbortController();
    controller.abort();
    await expect(fixAll({ project: await load(ws), signal: controller.signal }, { code: 6133 })).rejects.toMatchObject({ code: 'cancelled' });
  });

  describe('refusals', () => {
    const refused = async (files: Record<string, string>, params: { code: number; file?: string; fixId?: string }): Promise<string> => {
      ws = tempWorkspace(files);
      const err = await proposeFixAll({ project: await load(ws) }, params).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(RustyError);
      expect((err as RustyError).code).toBe('refused');
      return (err as RustyError).message;
    };

    it('refuses a code with no diagnostics', async () => {
      expect(await refused({ 'tsconfig.json': tsconfig(), 'src/a.ts': 'export const a = 1;\n' }, { code: 6133 })).toBe('There are no TS6133 diagnostics in the project.');
    });
    it('refuses a code no quick fix edits code for', async () => {
      expect(await refused({ 'tsconfig.json': tsconfig(), 'src/a.ts': "export const n: number = 'x';\n" }, { code: 2322 })).toBe('TypeScript has no fix for TS2322 in the project (none of its quick fixes edits code at these diagnostics).');
      ws?.cleanup();
      // TS2591's only fix installs @types/node: a command, not an edit.
      expect(await refused({ 'tsconfig.json': tsconfig(), 'src/a.ts': "export const r = require('x');\n" }, { code: 2591 })).toBe('TypeScript has no fix for TS2591 in the project (none of its quick fixes edits code at these diagnostics).');
    });
    it('proposes the quick fix of each diagnostic when TypeScript has no fix-all for the code', async () => {
      ws = tempWorkspace({
        'tsconfig.json': tsconfig({ allowJs: true, checkJs: false }),
        'src/a.js': "const b = require('./b');\nmodule.exports = { b };\n",
        'src/b.js': 'module.exports = 1;\n',
      });
      const result = await fixAll({ project: await load(ws) }, { code: 80001 });
      expect(result.files).toContain('src/a.js');
      expect(result.changeSet.edits.find((e) => e.path === 'src/a.js')).toMatchObject({ kind: 'modify', content: expect.stringContaining("import b from './b'") });
      expect(result.changeSet.rationale).toContain('one diagnostic at a time (TypeScript has no fix-all for TS80001 here; e.g. "Convert to ES module")');
    });
    it('refuses a file outside the project, a bad code and an unknown fix id', async () => {
      expect(await refused({ 'tsconfig.json': tsconfig(), 'src/a.ts': 'export {};\n', 'other/b.ts': 'const x = 1;\n' }, { code: 6133, file: 'other/b.ts' })).toBe('other/b.ts is not part of the TypeScript project (check tsconfig include/exclude).');
      ws?.cleanup();
      expect(await refused({ 'tsconfig.json': tsconfig(), 'src/a.ts': 'export {};\n' }, { code: -3 })).toBe('-3 is not a diagnostic code (write it as a number, e.g. 6133 for TS6133).');
      ws?.cleanup();
      expect(await refused({ 'tsconfig.json': tsconfig({ noUnusedLocals: true }), 'src/a.ts': 'const x = 1;\nexport {};\n' }, { code: 6133, fixId: 'nope' })).toBe('TypeScript offers no fix "nope" for TS6133 here.');
    });
  });
});
