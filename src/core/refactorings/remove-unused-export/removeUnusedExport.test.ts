import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../../testing/tempWorkspace';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { applyThroughCore, compilerDiagnostics } from '../move-file/testSupport';
import { proposeRemoveUnusedExport, removeUnusedExport } from './index';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const tsconfig = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', types: [], noUnusedLocals: true, ...options },
  include: ['src'],
  ...extra,
});

const load = (w: TempWorkspace) => WorkspaceProject.load({ root: w.root });

async function run(files: Record<string, string>, file: string, name: string) {
  ws = tempWorkspace(files);
  const project = await load(ws);
  const snapshot = ws.snapshot();
  const result = await removeUnusedExport({ project }, { file, name });
  expect(ws.snapshot()).toEqual(snapshot);
  expect(project.changedEdits()).toEqual([]);
  const edit = result.changeSet.edits[0]!;
  return { result, content: 'content' in edit ? edit.content : '' };
}

describe('remove unused export', () => {
  it('deletes an unused function with its JSDoc and the import only it used; the compiler sees the same diagnostics', async () => {
    const files = {
      'tsconfig.json': tsconfig(),
      'src/dep.ts': 'export const dep = (): number => 1;\nexport const keep = 2;\n',
      'src/util.ts': [
        "import { dep, keep } from './dep';",
        '',
        'export const used = keep;',
        '',
        '/** Nobody calls this. */',
        'export function unused(): number {',
        '  return dep();',
        '}',
        '',
        'export const other = 3;',
        '',
      ].join('\n'),
      'src/main.ts': "import { used, other } from './util';\nexport const main = used + other;\n",
    };
    ws = tempWorkspace(files);
    const before = await compilerDiagnostics(ws.root);
    const project = await load(ws);
    const result = await removeUnusedExport({ project }, { file: 'src/util.ts', name: 'unused' });
    expect(result).toMatchObject({ removed: 'declaration', removedImports: ['dep'] });
    expect(result.changeSet.title).toBe('Remove unused export unused from src/util.ts');
    expect(result.changeSet.edits).toEqual([{
      kind: 'modify', path: 'src/util.ts', baseHash: ws.hash('src/util.ts'),
      content: "import { keep } from './dep';\n\nexport const used = keep;\n\nexport const other = 3;\n",
    }]);
    expect(result.changeSet.rationale).toContain('Nothing in src/util.ts uses it either, so the declaration is deleted, with the imports only it used (dep).');
    await applyThroughCore(ws.root, result.changeSet);
    expect(await compilerDiagnostics(ws.root)).toEqual(before);
  });

  it('keeps a declaration the file uses, or whose initializer may have a side effect, and drops only `export`', async () => {
    const files = {
      'tsconfig.json': tsconfig(),
      'src/a.ts': "declare function compute(): number;\nexport const local = 1;\nexport declare const ambient: number;\nexport const effect = compute();\nexport const total = local + ambient;\nconsole.log(effect);\n",
      'src/b.ts': "import { total } from './a';\nconsole.log(total);\n",
    };
    const first = await run(files, 'src/a.ts', 'local');
    expect(first.result.removed).toBe('export');
    expect(first.content).toContain('\nconst local = 1;\n');
    expect(first.result.changeSet.rationale).toContain('The declaration stays (src/a.ts uses it); only the export is removed.');
    ws!.cleanup();
    const second = await run(files, 'src/a.ts', 'effect');
    expect(second.content).toContain('\nconst effect = compute();\n');
    ws!.cleanup();
    const third = await run(files, 'src/a.ts', 'ambient');
    expect(third.content).toContain('\ndeclare const ambient: number;\n');
  });

  it('splits a multi-declaration export, removes specifiers and namespace re-exports, and every overload', async () => {
    const files = {
      'tsconfig.json': tsconfig({ noUnusedLocals: false }),
      'src/dep.ts': 'export const d1 = 1;\nexport const d2 = 2;\n',
      'src/a.ts': [
        'export const a1 = 1, a2 = 2;',
        'const b1 = 1, b2 = 2;',
        'export { b1, b2 as bee };',
        "export { d1, d2 } from './dep';",
        "export * as ns from './dep';",
        'export function over(a: string): string;',
        'export function over(a: number): number;',
        'export function over(a: unknown): unknown { return a; }',
        'export const usesA1 = a1;',
        '',
      ].join('\n'),
      'src/main.ts': "import { a2, b1, d1, usesA1 } from './a';\nexport const m = [a2, b1, d1, usesA1];\n",
    };
    expect((await run(files, 'src/a.ts', 'a1')).content).toMatch(/^const a1 = 1;\nexport const a2 = 2;\n/);
    ws!.cleanup();
    expect((await run(files, 'src/a.ts', 'bee')).content).toContain('export { b1 };\n');
    ws!.cleanup();
    expect((await run(files, 'src/a.ts', 'd2')).content).toContain("export { d1 } from './dep';\n");
    ws!.cleanup();
    expect((await run(files, 'src/a.ts', 'ns')).content).not.toContain('* as ns');
    ws!.cleanup();
    const over = await run(files, 'src/a.ts', 'over');
    expect(over.result.removed).toBe('declaration');
    expect(over.content).not.toContain('over');
  });

  it('keeps the file a module when its last export goes', async () => {
    const { content } = await run({
      'tsconfig.json': tsconfig(),
      'src/a.ts': 'export const flag = true;\nif (flag) console.log(flag);\n',
    }, 'src/a.ts', 'flag');
    expect(content).toBe('const flag = true;\nif (flag) console.log(flag);\n\nexport {};\n');
  });

  describe('refusals', () => {
    const refused = async (files: Record<string, string>, file: string, name: string): Promise<string> => {
      ws = tempWorkspace(files);
      const err = await proposeRemoveUnusedExport({ project: await load(ws) }, { file, name }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(RustyError);
      expect((err as RustyError).code).toBe('refused');
      return (err as RustyError).message;
    };
    const base = {
      'tsconfig.json': tsconfig({}, { exclude: ['src/**/*.test.ts'] }),
      'src/lib/x.ts': 'export const x = 1;\nexport const lonely = 2;\n',
      'src/lib/index.ts': "export * from './x';\n",
    };

    it('refuses a name that is not exported, or that comes from `export *`, or the default export', async () => {
      expect(await refused(base, 'src/lib/x.ts', 'nope')).toBe('src/lib/x.ts has no export named `nope`.');
      ws!.cleanup();
      expect(await refused(base, 'src/lib/index.ts', 'x')).toBe("`x` is not declared in src/lib/index.ts: it comes from `export * from './x'`; remove the export in src/lib/x.ts instead.");
      ws!.cleanup();
      expect(await refused(base, 'src/lib/x.ts', 'default')).toBe('Remove unused export handles named exports; the default export of src/lib/x.ts is not one (remove it by hand if nothing imports it).');
      ws!.cleanup();
      expect(await refused({ ...base, 'src/d.ts': 'const o = { p: 1, q: 2 };\nexport const { p, q } = o;\n' }, 'src/d.ts', 'p')).toBe('`p` is exported by a destructuring declaration (line 2); split it into its own declaration first.');
      ws!.cleanup();
      expect(await refused({ ...base, 'other/o.ts': 'export const o = 1;\n' }, 'other/o.ts', 'o')).toBe('other/o.ts is not part of the TypeScript project (check tsconfig include/exclude), so its users cannot be checked.');
    });

    it('refuses a name used elsewhere: importers, `export *` consumers, re-exports, dynamic imports, excluded tests (lists 5)', async () => {
      const message = await refused({
        ...base,
        'src/direct.ts': "import { x } from './lib/x';\nexport const d = x;\n",
        'src/viaBarrel.ts': "import { x } from './lib';\nexport const v = x;\n",
        'src/reexport.ts': "export { x as ex } from './lib/x';\n",
        'src/dynamic.ts': "export const y = import('./lib/x').then((m) => m.x);\n",
        'src/typeOnly.ts': "export type X = typeof import('./lib/x').x;\n",
        'src/deep/more.ts': "import * as lib from '../lib';\nexport const z = lib.x;\n",
      }, 'src/lib/x.ts', 'x');
      expect(message).toMatch(/^`x` is used outside src\/lib\/x\.ts, in 6 files: src\/deep\/more\.ts:2:22, src\/direct\.ts:1:10, /);
      expect(message).toMatch(/, and \d+ more\.$/);
      ws!.cleanup();
      expect(await refused({ ...base, 'src/lib/x.test.ts': "import { lonely } from './index';\nif (lonely !== 2) throw new Error('x');\n" }, 'src/lib/x.ts', 'lonely'))
        .toBe('`lonely` is used outside src/lib/x.ts, in 1 file: src/lib/x.test.ts:1:10 (outside the TypeScript project).');
    });

    it('refuses a name that is part of a package entry point (package.json main/exports mapped back to src)', async () => {
      const pkg = { ...base, 'package.json': JSON.stringify({ name: 'my-lib', main: './dist/cjs/index.js', exports: { '.': { types: './dist/types/index.d.ts' } } }), 'src/index.ts': "export * from './lib';\n" };
      expect(await refused(pkg, 'src/lib/x.ts', 'lonely')).toBe('`lonely` is part of the public API of package my-lib: it is exported from src/index.ts, an entry point (package.json main: "./dist/cjs/index.js").');
      ws!.cleanup();
      const star = { ...base, 'package.json': JSON.stringify({ name: 'my-lib', exports: { './lib/*': './dist/lib/*.js' } }) };
      expect(await refused(star, 'src/lib/x.ts', 'lonely')).toBe('`lonely` is part of the public API of package my-lib: src/lib/x.ts is an entry point (package.json exports["./lib/*"]: "./dist/lib/*.js").');
      ws!.cleanup();
      const ns = { ...base, 'package.json': JSON.stringify({ name: 'my-lib', types: 'src/main.ts' }), 'src/main.ts': "export * as lib from './lib/x';\n" };
      expect(await refused(ns, 'src/lib/x.ts', 'lonely')).toMatch(/^`lonely` is part of the public API of package my-lib: it is exported from src\/main\.ts/);
    });

    it('refuses when the file would get new diagnostics (a helper left unused under noUnusedLocals)', async () => {
      expect(await refused({ 'tsconfig.json': tsconfig(), 'src/a.ts': 'const helper = 1;\nexport const x = helper;\nexport const y = 2;\n' }, 'src/a.ts', 'x'))
        .toBe("Removing the export `x` from src/a.ts would introduce 1 diagnostic there: TS6133 'x' is declared but its value is never read..");
    });
  });
});

describe('remove unused export leaves formatting as a person would', () => {
  it('removing the last declaration of a file leaves no blank line at its end', async () => {
    const { content } = await run({
      'tsconfig.json': tsconfig(),
      'src/a.ts': 'export const used = 1;\n\n/** Nobody uses this. */\nexport function unused(): number {\n  return 2;\n}\n',
      'src/b.ts': "import { used } from './a';\nexport const b = used;\n",
    }, 'src/a.ts', 'unused');
    expect(content).toBe('export const used = 1;\n');
  });

  it('removing a declaration between two others keeps exactly one blank line (CRLF too)', async () => {
    const { content } = await run({
      'tsconfig.json': tsconfig(),
      'src/a.ts': 'export const used = 1;\r\n\r\nexport const unused = 2;\r\n\r\nexport const other = 3;\r\n',
      'src/b.ts': "import { used, other } from './a';\nexport const b = used + other;\n",
    }, 'src/a.ts', 'unused');
    expect(content).toBe('export const used = 1;\r\n\r\nexport const other = 3;\r\n');
  });
});
