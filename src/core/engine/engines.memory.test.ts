// The engines on the EngineContext's reader: analysis, a refactoring and the impact analysis run on
// the in-memory workspace (nothing of it exists on disk), and unsaved text in the port wins over the
// bytes on disk (issue 16).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryWorkspaceFs } from '../ports/memoryWorkspaceFs';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { AnalysisSession } from '../analysis/session';
import { WorkspaceProject } from '../ts/workspaceProject';
import { computeImpact } from '../impact/computeImpact';
import { proposeRename } from '../refactorings/rename';
import { moveFile } from '../refactorings/move-file';
import { removeUnusedExport } from '../refactorings/remove-unused-export';
import { proposeOrganizeImports } from '../refactorings/organize-imports';
import { createEngineContext } from './context';

const FILES = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler' }, include: ['src'] }),
  'package.json': JSON.stringify({ name: 'mem', main: 'src/index.ts' }),
  '.gitignore': 'gen/\n',
  'gen/out.ts': 'export const generated = 1;\n',
  'src/index.ts': "import { greet } from './greet';\nexport const hello = greet('x');\n",
  'src/greet.ts': "export function greet(n: string): string {\n  return 'hi ' + n;\n}\nexport const unused = 1;\n",
};

describe('engines on the in-memory workspace', () => {
  const root = path.join(os.tmpdir(), `rusty-memory-${process.pid}-not-on-disk`);
  const mem = () => new MemoryWorkspaceFs(root, FILES);

  it('lists through the port, honouring .gitignore', async () => {
    expect(fs.existsSync(root)).toBe(false);
    expect(await createEngineContext(mem()).fs.list()).toEqual(['src/greet.ts', 'src/index.ts']);
  });

  it('analysis: the tsconfig, diagnostics, entries and unused exports come from memory', async () => {
    const wfs = mem();
    wfs.files.set('src/broken.ts', { bytes: Buffer.from("export const n: number = 'one';\n"), mode: 0o644 });
    const r = (await AnalysisSession.open({ root, fs: createEngineContext(wfs).fs, mode: 'full' })).report();
    expect(r.summary.files).toBe(3);
    expect(r.summary.entries).toEqual(['src/index.ts']);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} TS${d.code}`)).toEqual(['src/broken.ts:1 TS2322']);
    expect(r.unusedExports.map((u) => `${u.file}#${u.name}`)).toEqual(['src/greet.ts#unused']);
    expect(r.unusedFiles).toEqual(['src/broken.ts']);
  });

  it('rename and its impact run on the project loaded through the port', async () => {
    const ctx = createEngineContext(mem());
    const project = await WorkspaceProject.load({ root, fs: ctx.fs });
    expect(project.files().sort()).toEqual(['src/greet.ts', 'src/index.ts']);
    const cs = await proposeRename({ project }, { file: 'src/greet.ts', at: { line: 1, column: 17 }, newName: 'welcome' });
    expect(cs.edits.map((e) => e.path).sort()).toEqual(['src/greet.ts', 'src/index.ts']);
    const impact = await computeImpact(cs, { root, fs: ctx.fs });
    expect(impact.typeCheck.status).toBe('checked');
    expect(impact.typeCheck.introduced).toEqual([]);
    expect(impact.symbols.map((s) => s.name)).toContain('greet');
  });

  it('move file: existence checks, the tsconfig, and importers outside the program come through the port', async () => {
    const wfs = mem();
    // A test the tsconfig leaves out (found by listing the port) and a file only the port holds.
    wfs.files.set('test/greet.test.ts', { bytes: Buffer.from("import { greet } from '../src/greet';\ngreet('t');\n"), mode: 0o644 });
    wfs.files.set('scripts/taken.ts', { bytes: Buffer.from('export {};\n'), mode: 0o644 });
    const ctx = createEngineContext(wfs);
    const project = await WorkspaceProject.load({ fs: ctx.fs });
    await expect(moveFile({ project, engine: ctx }, { from: 'src/greet.ts', to: 'scripts/taken.ts' })).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/already exists/) });
    await expect(moveFile({ project, engine: ctx }, { from: 'src/greet.ts', to: 'lib/greet.ts' })).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/does not include lib\/greet\.ts/) });
    const moved = await moveFile({ project, engine: ctx }, { from: 'src/greet.ts', to: 'src/lib/greet.ts' });
    expect(moved.outsideProject).toEqual(['test/greet.test.ts']);
    const content = (rel: string) => { const e = moved.changeSet.edits.find((x) => x.path === rel); return e && 'content' in e ? e.content : undefined; };
    expect(content('src/index.ts')).toContain("from './lib/greet'");
    expect(content('test/greet.test.ts')).toContain("from '../src/lib/greet'");
    expect(moved.changeSet.edits.map((e) => `${e.kind} ${e.path}${e.kind === 'rename' ? ` → ${e.to}` : ''}`).sort()).toEqual(['modify src/index.ts', 'modify test/greet.test.ts', 'rename src/greet.ts → src/lib/greet.ts']);
  });

  it('remove unused export and organize imports read, list and cancel through the EngineContext', async () => {
    const wfs = mem();
    const ctx = createEngineContext(wfs);
    const project = await WorkspaceProject.load({ fs: ctx.fs });
    const removed = await removeUnusedExport({ project, engine: ctx }, { file: 'src/greet.ts', name: 'unused' });
    expect(removed.changeSet.edits.map((e) => e.path)).toEqual(['src/greet.ts']);

    wfs.files.set('src/index.ts', { bytes: Buffer.from("import { unused, greet } from './greet';\nexport const hello = greet('x');\n"), mode: 0o644 });
    const organized = await proposeOrganizeImports({ fs: ctx.fs });
    expect(organized.changeSet?.edits.map((e) => e.path)).toEqual(['src/index.ts']);

    const abort = new AbortController();
    abort.abort();
    const stopped = createEngineContext(wfs, { signal: abort.signal });
    await expect(removeUnusedExport({ project, engine: stopped }, { file: 'src/greet.ts', name: 'unused' })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('unsaved text in the port wins over the disk', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-overlay-')));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  /** Like the VS Code adapter: the disk, with the editor's unsaved text over it. */
  class OverlayFs extends NodeWorkspaceFs {
    readonly unsaved = new Map<string, string>();
    override async read(rel: string): Promise<Uint8Array | undefined> {
      const text = this.unsaved.get(rel);
      return text !== undefined ? Buffer.from(text) : super.read(rel);
    }
    unsavedTexts(): ReadonlyMap<string, string> {
      return new Map(this.unsaved);
    }
  }

  it('analysis, the project and the tsconfig see the unsaved text', async () => {
    const wfs = new OverlayFs(dir);
    wfs.unsaved.set('src/greet.ts', "export function greet(n: string): string {\n  return 42;\n}\nexport const unused = 1;\n");
    const fsReader = createEngineContext(wfs).fs;
    // What the native engine lays over the disk (a compiler that reads files itself).
    expect(await fsReader.unsaved?.()).toEqual(new Map([['src/greet.ts', wfs.unsaved.get('src/greet.ts')]]));
    expect(createEngineContext(new NodeWorkspaceFs(dir)).fs.unsaved).toBeUndefined();
    const r = (await AnalysisSession.open({ root: dir, fs: fsReader, mode: 'full' })).report();
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} TS${d.code}`)).toEqual(['src/greet.ts:2 TS2322']);
    const project = await WorkspaceProject.load({ root: dir, fs: fsReader });
    expect(project.project.getSourceFileOrThrow(project.abs('src/greet.ts')).getFullText()).toContain('return 42;');

    wfs.unsaved.set('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true }, files: ['src/index.ts'] }));
    const narrowed = await WorkspaceProject.load({ root: dir, fs: fsReader });
    expect(narrowed.files()).toEqual(['src/index.ts']);
    expect(fs.readFileSync(path.join(dir, 'src/greet.ts'), 'utf8')).toBe(FILES['src/greet.ts']);
  });

  it('a refactoring sees the unsaved text: an export used only in an unsaved file is not removed', async () => {
    const wfs = new OverlayFs(dir);
    const ctx = createEngineContext(wfs);
    wfs.unsaved.set('src/index.ts', "import { greet, unused } from './greet';\nexport const hello = greet('x') + unused;\n");
    const project = await WorkspaceProject.load({ fs: ctx.fs });
    await expect(removeUnusedExport({ project, engine: ctx }, { file: 'src/greet.ts', name: 'unused' })).rejects.toMatchObject({ code: 'refused' });
    wfs.unsaved.delete('src/index.ts');
    const onDisk = await WorkspaceProject.load({ fs: ctx.fs });
    expect((await removeUnusedExport({ project: onDisk, engine: ctx }, { file: 'src/greet.ts', name: 'unused' })).changeSet.edits.map((e) => e.path)).toEqual(['src/greet.ts']);
  });
});
