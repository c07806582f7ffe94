import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { WorkspaceProject } from './workspaceProject';
import { sha256 } from '../util/hash';
import { workspaceReader } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

describe('WorkspaceProject', () => {
  it('loads the tsconfig files with the checker, and turns in-memory changes into a change set', async () => {
    ws = tempWorkspace({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true }, include: ['src'] }),
      'src/a.ts': 'export const a: number = 1;\r\n',
      'src/b.ts': "import { a } from './a.js';\nexport const b = a + 1;\n",
      'src/gone.ts': 'export {};\n',
      'other/ignored.ts': 'export const x = 1;\n',
    });
    const wp = await WorkspaceProject.load({ root: ws.root });
    expect(wp.files()).toEqual(['src/a.ts', 'src/b.ts', 'src/gone.ts']);
    expect(wp.project.getPreEmitDiagnostics().length).toBe(0);
    wp.sourceFile('src/a.ts').getVariableDeclarationOrThrow('a').rename('alpha');
    wp.sourceFile('src/b.ts').move('moved.ts');
    wp.project.createSourceFile(wp.abs('src/new.ts'), 'export const n = 1;\n');
    wp.sourceFile('src/gone.ts').delete();
    const edits = wp.changedEdits();
    expect(edits.map((e) => `${e.kind} ${e.path}${'to' in e ? ` → ${e.to}` : ''}`)).toEqual([
      'modify src/a.ts', 'rename src/b.ts → src/moved.ts', 'delete src/gone.ts', 'create src/new.ts',
    ]);
    const a = edits.find((e) => e.path === 'src/a.ts')!;
    expect(a).toMatchObject({ baseHash: sha256(ws.bytes('src/a.ts')), content: 'export const alpha: number = 1;\r\n' });
    expect(edits.find((e) => e.kind === 'rename')).toMatchObject({ content: "import { alpha } from './a.js';\nexport const b = alpha + 1;\n" });
    expect(ws.read('src/a.ts')).toBe('export const a: number = 1;\r\n'); // nothing written
  });

  it('reads through its reader (unsaved editor text) and works without a tsconfig', async () => {
    ws = tempWorkspace({ 'a.ts': 'export const a = 1;\n' });
    const disk = workspaceReader(new NodeWorkspaceFs(ws.root));
    const wp = await WorkspaceProject.load({ fs: { ...disk, read: async (rel) => (rel === 'a.ts' ? Buffer.from('export const a = 2;\n') : undefined) } });
    expect(wp.sourceFile('a.ts').getFullText()).toBe('export const a = 2;\n');
    expect(wp.changedEdits()).toEqual([]);
    // Files outside the program are read through the same reader.
    expect(Buffer.from((await wp.readFile('a.ts'))!).toString()).toBe('export const a = 2;\n');
    expect(await wp.readFile('other.ts')).toBeUndefined();
  });
});
