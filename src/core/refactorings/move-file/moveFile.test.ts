import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../../testing/tempWorkspace';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { RustyError } from '../../util/errors';
import { sha256 } from '../../util/hash';
import { moveFile, proposeMoveFile } from './index';
import { applyThroughCore, compilerDiagnostics } from './testSupport';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const TSCONFIG_ALIAS = JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', allowJs: true, checkJs: false, types: [], paths: { '@lib/*': ['./src/lib/*'], '@app/*': ['./src/app/*'] } },
  include: ['src'],
  exclude: ['src/**/*.test.ts'],
}, null, 2);

/** src/lib/format.ts imported from 14 places in every way a module can be named. */
function aliasFixture(): Record<string, string> {
  const files: Record<string, string> = {
    'tsconfig.json': TSCONFIG_ALIAS,
    'src/globals.d.ts': 'declare function require(id: string): any;\ndeclare const vi: { mock(path: string): void };\n',
    'src/lib/format.ts': "import { pad } from './pad';\nimport type { Cfg } from '@app/config';\nexport function format(n: number, cfg?: Cfg): string { return pad(String(n), cfg?.width ?? 2); }\nexport const VERSION = 1;\n",
    'src/lib/pad.ts': 'export const pad = (s: string, w: number): string => s.padStart(w);\n',
    'src/app/config.ts': 'export interface Cfg { width: number }\n',
    // 1–6: relative and alias imports from several folders
    'src/app/a.ts': "import { format } from '../lib/format';\nexport const a = format(1);\n",
    'src/app/b.ts': "import { format } from '@lib/format';\nexport const b = format(2);\n",
    'src/app/deep/c.ts': "import { format } from '../../lib/format';\nexport const c = format(3);\n",
    'src/app/deep/d.ts': "import { format, VERSION } from '@lib/format';\nexport const d = format(VERSION);\n",
    'src/lib/e.ts': "import { format } from './format';\nexport const e = format(5);\n",
    'src/f.ts': "import * as fmt from './lib/format';\nexport const f = fmt.format(6);\n",
    // 7–8: barrel re-exports
    'src/lib/index.ts': "export * from './format';\nexport { format as fmt, VERSION } from './format';\n",
    'src/g.ts': "import { fmt } from './lib';\nexport const g = fmt(7);\n",
    // 9: dynamic import, 10: import type, 11: require in TS, 12: require in JS
    'src/h.ts': "export async function h(): Promise<string> { const m = await import('./lib/format'); return m.format(9); }\n",
    'src/i.ts': "export type Format = typeof import('@lib/format').format;\nexport const i: Format = (n) => String(n);\n",
    'src/j.ts': "const m = require('./lib/format');\nexport const j: string = m.format(11);\n",
    'src/k.js': "const { format } = require('./lib/format');\nmodule.exports = format(12);\n",
    // 13: export = import, 14: template-literal dynamic import
    'src/l.ts': 'export const l = import(`./lib/format`);\n',
    // Outside the program (the tsconfig excludes tests): a mock path and an import
    'src/app/a.test.ts': "import { format } from '../lib/format';\nvi.mock('../lib/format');\nexport const t = format(0);\n",
  };
  return files;
}

async function load(w: TempWorkspace): Promise<WorkspaceProject> {
  return WorkspaceProject.load({ root: w.root });
}

describe('move file', () => {
  it('updates every reference to a module imported from 14 places (alias, barrel, dynamic import, require, import type, tests)', async () => {
    ws = tempWorkspace(aliasFixture());
    const before = await compilerDiagnostics(ws.root);
    expect(before).toEqual([]);
    const project = await load(ws);
    const snapshot = ws.snapshot();
    const result = await moveFile({ project }, { from: 'src/lib/format.ts', to: 'src/app/util/format.ts' });
    expect(ws.snapshot()).toEqual(snapshot); // nothing written
    const cs = result.changeSet;
    expect(cs.title).toBe('Move src/lib/format.ts to src/app/util/format.ts');
    const byPath = new Map(cs.edits.map((e) => [e.path, e]));
    const content = (p: string) => {
      const e = byPath.get(p);
      return e && 'content' in e ? e.content : undefined;
    };
    // The moved file: its own relative import is rewritten, its alias import kept.
    expect(byPath.get('src/lib/format.ts')).toMatchObject({ kind: 'rename', to: 'src/app/util/format.ts', baseHash: ws.hash('src/lib/format.ts') });
    expect(content('src/lib/format.ts')).toContain("import { pad } from '../../lib/pad';");
    expect(content('src/lib/format.ts')).toContain("import type { Cfg } from '@app/config';");
    // Importers: relative stays relative, an alias becomes the alias of the new place.
    expect(content('src/app/a.ts')).toContain("from './util/format'");
    expect(content('src/app/b.ts')).toContain("from '@app/util/format'");
    expect(content('src/app/deep/c.ts')).toContain("from '../util/format'");
    expect(content('src/app/deep/d.ts')).toContain("from '@app/util/format'");
    expect(content('src/lib/e.ts')).toContain("from '../app/util/format'");
    expect(content('src/f.ts')).toContain("from './app/util/format'");
    expect(content('src/lib/index.ts')).toBe("export * from '../app/util/format';\nexport { format as fmt, VERSION } from '../app/util/format';\n");
    expect(byPath.has('src/g.ts')).toBe(false); // imports the barrel, which did not move
    expect(content('src/h.ts')).toContain("import('./app/util/format')");
    expect(content('src/i.ts')).toContain("import('@app/util/format')");
    expect(content('src/j.ts')).toContain("require('./app/util/format')");
    expect(content('src/k.js')).toContain("require('./app/util/format')");
    expect(content('src/l.ts')).toContain('import(`./app/util/format`)');
    expect(content('src/app/a.test.ts')).toBe("import { format } from './util/format';\nvi.mock('./util/format');\nexport const t = format(0);\n");
    expect(result.outsideProject).toEqual(['src/app/a.test.ts']);
    expect(result.references.length).toBeGreaterThanOrEqual(16);
    // require() in a TypeScript file is what the language service leaves out.
    expect(result.references.filter((r) => r.by === 'rusty').map((r) => `${r.path}:${r.kind}`)).toEqual(expect.arrayContaining(['src/j.ts:require', 'src/app/a.test.ts:mock', 'src/app/a.test.ts:import']));
    expect(cs.rationale).toMatch(/Moves src\/lib\/format\.ts to src\/app\/util\/format\.ts and updates \d+ module references in 14 files\. 3 references that TypeScript's getEditsForFileRename missed were updated too: src\/app\/a\.test\.ts:1 \(import\), src\/app\/a\.test\.ts:2 \(mock\), src\/j\.ts:1 \(require\)\. Includes 1 file outside the TypeScript project: src\/app\/a\.test\.ts\./);

    // Applied through the real pipeline, the compiler sees exactly what it saw before.
    await applyThroughCore(ws.root, cs);
    expect(ws.exists('src/lib/format.ts')).toBe(false);
    expect(ws.exists('src/app/util/format.ts')).toBe(true);
    expect(await compilerDiagnostics(ws.root)).toEqual(before);
  });

  it('keeps .js endings under NodeNext and folder imports of an index file', async () => {
    ws = tempWorkspace({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', types: [] }, include: ['src'] }),
      'package.json': JSON.stringify({ name: 'fixture', type: 'module' }),
      'src/lib/index.ts': "import { helper } from '../helper.js';\nexport const x = helper();\n",
      'src/helper.ts': 'export const helper = (): number => 1;\n',
      'src/a.ts': "import { x } from './lib/index.js';\nexport const a = x;\n",
      'src/b.ts': "export const b = async (): Promise<number> => (await import('./lib/index.js')).x;\n",
    });
    const before = await compilerDiagnostics(ws.root);
    const result = await moveFile({ project: await load(ws) }, { from: 'src/lib/index.ts', to: 'src/core/index.ts' });
    const content = (p: string) => result.changeSet.edits.find((e) => e.path === p && 'content' in e) as { content: string } | undefined;
    expect(content('src/a.ts')?.content).toBe("import { x } from './core/index.js';\nexport const a = x;\n");
    expect(content('src/b.ts')?.content).toContain("import('./core/index.js')");
    expect(content('src/lib/index.ts')).toBeUndefined(); // '../helper.js' is still right from src/core
    expect(result.changeSet.edits.find((e) => e.path === 'src/lib/index.ts')).toEqual({ kind: 'rename', path: 'src/lib/index.ts', to: 'src/core/index.ts', baseHash: ws.hash('src/lib/index.ts') });
    await applyThroughCore(ws.root, result.changeSet);
    expect(await compilerDiagnostics(ws.root, { 'src/core/index.ts': 'src/lib/index.ts' })).toEqual(before);

    ws.cleanup();
    ws = tempWorkspace({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', types: [] }, include: ['src'] }),
      'src/lib/index.ts': 'export const x = 1;\n',
      'src/a.ts': "import { x } from './lib';\nexport const a = x;\n",
    });
    const folder = await moveFile({ project: await load(ws) }, { from: 'src/lib/index.ts', to: 'src/util/index.ts' });
    expect(folder.changeSet.edits.find((e) => e.path === 'src/a.ts')).toMatchObject({ content: "import { x } from './util';\nexport const a = x;\n" });
  });

  it('writes an alias the new place has no alias for as a relative path (TypeScript writes a baseUrl path)', async () => {
    ws = tempWorkspace({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', types: [], ignoreDeprecations: '6.0', baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } }, include: ['src'] }),
      'src/lib/x.ts': 'export const x = 1;\n',
      'src/a.ts': "import { x } from '@lib/x';\nexport const a = x;\n",
    });
    const result = await moveFile({ project: await load(ws) }, { from: 'src/lib/x.ts', to: 'src/other/x.ts' });
    expect(result.changeSet.edits.find((e) => e.path === 'src/a.ts')).toMatchObject({ content: "import { x } from './other/x';\nexport const a = x;\n" });
  });

  it('moves into a folder given as the target, keeps CRLF, and rewrites tsconfig "files" entries', async () => {
    ws = tempWorkspace({
      'tsconfig.json': '{\r\n  "compilerOptions": { "strict": true, "noEmit": true, "types": [] },\r\n  "files": ["./src/a.ts", "./src/b.ts"]\r\n}\r\n',
      'src/a.ts': "import { b } from './b';\r\nexport const a = b;\r\n",
      'src/b.ts': 'export const b = 1;\r\n',
    });
    ws.write('src/sub/.keep', '');
    const result = await moveFile({ project: await load(ws) }, { from: 'src/b.ts', to: 'src/sub' });
    expect(result.to).toBe('src/sub/b.ts');
    expect(result.changeSet.edits).toEqual([
      { kind: 'modify', path: 'src/a.ts', baseHash: ws.hash('src/a.ts'), content: "import { b } from './sub/b';\r\nexport const a = b;\r\n" },
      { kind: 'rename', path: 'src/b.ts', to: 'src/sub/b.ts', baseHash: ws.hash('src/b.ts') },
      { kind: 'modify', path: 'tsconfig.json', baseHash: ws.hash('tsconfig.json'), content: '{\r\n  "compilerOptions": { "strict": true, "noEmit": true, "types": [] },\r\n  "files": ["./src/a.ts", "./src/sub/b.ts"]\r\n}\r\n' },
    ]);
  });

  it('honours cancellation and leaves the project unchanged', async () => {
    ws = tempWorkspace({ 'tsconfig.json': TSCONFIG_ALIAS, 'src/a.ts': "import { b } from './b';\nexport const a = b;\n", 'src/b.ts': 'export const b = 1;\n' });
    const project = await load(ws);
    const controller = new AbortController();
    controller.abort();
    await expect(moveFile({ project, signal: controller.signal }, { from: 'src/b.ts', to: 'src/c.ts' })).rejects.toMatchObject({ code: 'cancelled' });
    const cs = await proposeMoveFile({ project }, { from: 'src/b.ts', to: 'src/c.ts' });
    expect(cs.edits.map((e) => e.kind)).toEqual(['modify', 'rename']);
    expect(project.changedEdits()).toEqual([]);
    expect(project.sourceFile('src/a.ts').getFullText()).toContain("'./b'");
    expect(sha256(ws.bytes('src/b.ts'))).toBe(ws.hash('src/b.ts'));
  });

  describe('refusals', () => {
    const files = {
      'tsconfig.json': TSCONFIG_ALIAS,
      'src/a.ts': "import { b } from './b';\nexport const a = b;\n",
      'src/b.ts': 'export const b = 1;\n',
      'src/c.ts': 'export const c = 1;\n',
      'src/a.test.ts': "import { b } from './b';\n",
      'notes.md': '# notes\n',
    };
    const refused = async (from: string, to: string): Promise<string> => {
      ws ??= tempWorkspace(files);
      const project = await load(ws);
      const err = await moveFile({ project }, { from, to }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(RustyError);
      expect((err as RustyError).code).toBe('refused');
      return (err as RustyError).message;
    };

    it('refuses a target that exists', async () => {
      expect(await refused('src/b.ts', 'src/c.ts')).toBe('Cannot move src/b.ts to src/c.ts: src/c.ts already exists.');
      expect(await refused('src/b.ts', 'notes.md/b.ts')).toBe('Cannot move src/b.ts to notes.md/b.ts: notes.md is a file, not a folder.');
    });
    it('refuses a target outside the workspace', async () => {
      expect(await refused('src/b.ts', '../elsewhere/b.ts')).toBe('Cannot move src/b.ts to ../elsewhere/b.ts: the target is outside the workspace.');
      expect(await refused('src/b.ts', '/tmp/b.ts')).toBe('Cannot move src/b.ts to /tmp/b.ts: the target is outside the workspace.');
    });
    it('refuses a source that is not in the project', async () => {
      expect(await refused('src/a.test.ts', 'src/x.test.ts')).toBe('Cannot move src/a.test.ts: it is not part of the TypeScript project (check tsconfig include/exclude and allowJs), so its importers cannot be found.');
      expect(await refused('src/nope.ts', 'src/x.ts')).toBe('Cannot move src/nope.ts: it is not part of the TypeScript project (no such file), so its importers cannot be found.');
    });
    it('refuses a non-TS/JS extension, TS → JS, and the same path', async () => {
      expect(await refused('src/b.ts', 'src/b.txt')).toBe('Cannot move src/b.ts to src/b.txt: .txt is not a TypeScript or JavaScript extension (.ts, .tsx, .mts, .cts, .js, .jsx, .mjs, .cjs).');
      expect(await refused('src/b.ts', 'src/b')).toMatch(/a name without an extension is not a TypeScript or JavaScript extension/);
      expect(await refused('src/b.ts', 'src/b.js')).toBe('Cannot move src/b.ts to src/b.js: that would turn TypeScript into JavaScript (.ts → .js); keep a TypeScript extension.');
      expect(await refused('src/b.ts', 'src/b.d.ts')).toMatch(/a declaration file \(\.d\.ts\) and an implementation file/);
      expect(await refused('src/b.ts', './src/b.ts')).toBe('src/b.ts is already there: source and target are the same.');
    });
    it('refuses a target the tsconfig does not include', async () => {
      expect(await refused('src/b.ts', 'lib/b.ts')).toBe('Cannot move src/b.ts to lib/b.ts: tsconfig.json does not include lib/b.ts, so it would drop out of the TypeScript project (widen "include" or pick a folder it covers).');
    });
  });
});
