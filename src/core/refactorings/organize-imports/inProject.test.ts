import { afterEach, describe, expect, it } from 'vitest';
import { fetchRealPackage } from '../../testing/realCode';
import { tempWorkspace, type TempWorkspace } from '../../testing/tempWorkspace';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { organizeImportsInProject, proposeOrganizeImports } from './index';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', types: [], allowJs: true }, include: ['src'] }),
  'src/x.ts': 'export const a = 1;\nexport const b = 2;\nexport type T = number;\n',
  'src/one.ts': "import { b, a } from './x';\nimport type { T } from './x';\nimport './side';\nimport { gone } from './y';\n\nexport const one: T = a + b;\n",
  'src/two.ts': "import { a } from './x';\r\nimport { b } from './x';\r\n\r\nexport const two = a + b;\r\n",
  'src/side.ts': 'console.log(1);\nexport {};\n',
  'src/y.ts': 'export const gone = 1;\n',
  'src/legacy.js': "import { a, b } from './x';\nexport const l = a;\n",
  'src/clean.ts': "import { a } from './x';\nexport const c = a;\n",
};

describe('organize imports on a WorkspaceProject', () => {
  it('proposes what the per-file fast path proposes, and leaves the project as it was', async () => {
    ws = tempWorkspace(FILES);
    const project = await WorkspaceProject.load({ root: ws.root });
    const progress: string[] = [];
    const result = await organizeImportsInProject({ project }, { onProgress: (_d, _t, f) => progress.push(f) });
    const fast = await proposeOrganizeImports({ root: ws.root, files: project.files() });
    expect(result.changeSet).not.toBeNull();
    expect(result.changeSet).toEqual(fast.changeSet);
    expect(result.changeSet!.edits.map((e) => e.path)).toEqual(['src/legacy.js', 'src/one.ts', 'src/two.ts']);
    expect(result.changeSet!.edits.find((e) => e.path === 'src/two.ts')).toMatchObject({ content: "import { a, b } from './x';\r\n\r\nexport const two = a + b;\r\n" });
    expect(progress).toEqual(project.files());
    expect(project.changedEdits()).toEqual([]);
  });

  it('organizes only the given files, skips files outside the project, and honours cancellation', async () => {
    ws = tempWorkspace({ ...FILES, 'scripts/s.ts': "import { a } from '../src/x';\n" });
    const project = await WorkspaceProject.load({ root: ws.root });
    const result = await organizeImportsInProject({ project }, { files: ['./src/two.ts', 'scripts/s.ts', 'README.md'] });
    expect(result.changeSet?.edits.map((e) => e.path)).toEqual(['src/two.ts']);
    expect(result.skipped).toEqual([
      { path: 'scripts/s.ts', reason: 'not part of the TypeScript project (check tsconfig include/exclude)' },
      { path: 'README.md', reason: 'not a TypeScript or JavaScript file' },
    ]);
    const controller = new AbortController();
    controller.abort();
    await expect(organizeImportsInProject({ project, signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('agrees with the fast path on real code (zod)', async () => {
    const pkg = fetchRealPackage('zod', '3.25.76');
    const project = await WorkspaceProject.load({ root: pkg.root });
    const files = project.files();
    const started = performance.now();
    const result = await organizeImportsInProject({ project }, { files });
    const inProjectMs = performance.now() - started;
    const fastStarted = performance.now();
    const fast = await proposeOrganizeImports({ root: pkg.root, files });
    const fastMs = performance.now() - fastStarted;
    console.info(`organize imports, ${files.length} zod files (${result.changeSet?.edits.length ?? 0} change): in project ${Math.round(inProjectMs)} ms, fast path ${Math.round(fastMs)} ms`);
    expect(result.changeSet?.edits.length).toBeGreaterThan(5);
    expect(result.changeSet?.edits).toEqual(fast.changeSet?.edits);
    expect(result.skipped).toEqual(fast.skipped);
    expect(project.changedEdits()).toEqual([]);
  }, 300_000);
});
