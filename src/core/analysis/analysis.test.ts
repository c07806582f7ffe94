import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { RustyError } from '../util/errors';
import { analysisCacheExists } from './cacheFile';
import { AnalysisSession, analyzeWorkspace } from './index';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const STRICT = { strict: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', noEmit: true, types: [] };
const tsconfig = (extra: Record<string, unknown> = {}) => JSON.stringify({ compilerOptions: STRICT, include: ['src', 'test'], ...extra });
const enc = (s: string) => new TextEncoder().encode(s);
const exportsOf = (r: { unusedExports: { file: string; name: string; kind: string; typeOnly: boolean }[] }) => r.unusedExports.map((u) => `${u.file} ${u.name}${u.typeOnly ? ' (type)' : ''}`);

describe('unused exports and unused files', () => {
  it('follows barrels, export *, default and type-only exports, namespaces, import() and tests like knip does', async () => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'fx', type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }),
      'tsconfig.json': tsconfig(),
      'src/index.ts': [
        "export { used } from './lib/a';",
        "export * from './lib/star';",
        "export { default as Thing } from './lib/thing';",
        "export type { Shape } from './lib/types';",
        "export { c } from './lib/c';",
        "export { other } from './lib/local';",
        "import * as ns from './lib/ns';",
        "import './lib/pub';",
        'export const nsUse = ns.alpha;',
        "export { viaEntry } from './lib/sig';",
        "export { dup } from './lib/shadow';",
      ].join('\n'),
      // A type named in the signature of a value another file imports stays exported (the
      // importer's inferred types may need it); one only behind an entry point's re-export does not.
      'src/lib/sig.ts': 'export interface Opts { a: number }\nexport function configure(o: Opts) { return o; }\nexport interface OnlyViaEntry { b: number }\nexport const viaEntry: OnlyViaEntry = { b: 1 };\n',
      'src/lib/useSig.ts': "import { configure } from './sig';\nexport const configured = configure({ a: 1 });\n",
      // A local export shadows the same name coming through `export *`.
      'src/lib/shadow.ts': "export * from './shadowed';\nexport const dup = 2;\n",
      'src/lib/shadowed.ts': 'export const dup = 1;\n',
      // A parameter with the namespace's name is not a use of the namespace.
      'src/lib/ns2.ts': 'export const one = 1;\nexport const two = 2;\n',
      'src/lib/ns2user.ts': "import * as ns2 from './ns2';\nexport const shadowing = (ns2: number) => ns2;\nexport const read = ns2.one;\n",
      'test/more.test.ts': "import { configured } from '../src/lib/useSig';\nimport { shadowing, read } from '../src/lib/ns2user';\nconsole.log(configured, shadowing, read);\n",
      'src/lib/a.ts': 'export const used = 1;\nexport const unusedA = 2;\nexport function helper() { return 3; }\n',
      'src/lib/b.ts': "import { helper } from './a';\nexport const bOnly = helper();\n", // reached by nothing
      'src/lib/star.ts': 'export const starUsed = 1;\nexport default function starDefault() { return 0; }\n', // `export *` never forwards default
      'src/lib/thing.ts': 'export default class Thing {}\n',
      'src/lib/types.ts': 'export interface Shape { size: number }\nexport type Unused = string;\n',
      'src/lib/ns.ts': 'export const alpha = 1;\nexport const beta = 2;\n',
      'src/lib/barrel.ts': "export * from './deep';\nexport { x as renamed } from './deep2';\nexport { z } from './deep2';\n",
      'src/lib/deep.ts': 'export const deepUsed = 1;\nexport const deepUnused = 2;\n',
      'src/lib/deep2.ts': 'export const x = 1;\nexport const y = 2;\nexport const z = 3;\n',
      'src/lib/c.ts': [
        "import { deepUsed, renamed } from './barrel';",
        "import type { T1 } from './typeOnlyImport';",
        'export const c: T1 = deepUsed + renamed;',
        'export async function load() {',
        "  const { d1 } = await import('./dyn');",
        '  return d1;',
        '}',
      ].join('\n'),
      'src/lib/typeOnlyImport.ts': 'export type T1 = number;\nexport type T2 = string;\n',
      'src/lib/dyn.ts': 'export const d1 = 1;\nexport const d2 = 2;\n',
      'src/lib/local.ts': 'export const selfUsed = 1;\nexport const other = selfUsed + 1;\n', // used only in its own file
      'src/lib/onlyTests.ts': 'export const testedOnly = 1;\nexport const notTested = 2;\n',
      'test/onlyTests.test.ts': "import { testedOnly } from '../src/lib/onlyTests';\nif (testedOnly !== 1) throw new Error('x');\n",
      'src/lib/pub.ts': '/** @public */\nexport const pub = 1;\nexport const notPub = 2;\n',
      'src/orphan.ts': 'export const orphan = 1;\n',
    });
    const r = await analyzeWorkspace({ root: ws.root });
    expect(r.summary.entries).toEqual(['src/index.ts']);
    expect(r.summary.entriesFrom).toBe('package.json');
    expect(exportsOf(r)).toEqual([
      'src/lib/a.ts unusedA', 'src/lib/a.ts helper', // helper's only user is an unused file
      'src/lib/barrel.ts z', 'src/lib/c.ts load', 'src/lib/deep.ts deepUnused', 'src/lib/deep2.ts y', 'src/lib/deep2.ts z',
      'src/lib/dyn.ts d2', 'src/lib/local.ts selfUsed', 'src/lib/ns.ts beta', 'src/lib/ns2.ts two', 'src/lib/onlyTests.ts notTested',
      'src/lib/pub.ts notPub', 'src/lib/shadowed.ts dup', 'src/lib/sig.ts OnlyViaEntry (type)', 'src/lib/star.ts default',
      'src/lib/typeOnlyImport.ts T2 (type)', 'src/lib/types.ts Unused (type)',
    ]);
    expect(r.unusedExports.find((u) => u.name === 'helper')).toMatchObject({ line: 3, kind: 'function' });
    expect(r.unusedFiles).toEqual(['src/lib/b.ts', 'src/orphan.ts']);
    expect(r.publicApi.map((p) => `${p.name}:${p.kind}:${p.declaredIn}${p.typeOnly ? ':type' : ''}`)).toEqual([
      'Shape:interface:src/lib/types.ts:type', 'Thing:class:src/lib/thing.ts', 'c:variable:src/lib/c.ts', 'dup:variable:src/lib/shadow.ts',
      'nsUse:variable:src/index.ts', 'other:variable:src/lib/local.ts', 'starUsed:variable:src/lib/star.ts', 'used:variable:src/lib/a.ts',
      'viaEntry:variable:src/lib/sig.ts',
    ]);
    expect(r.publicApi.every((p) => p.entry === 'src/index.ts')).toBe(true);
  });

  it('uses explicit entries when given, and reports nothing unused when there is no entry point', async () => {
    ws = tempWorkspace({
      'tsconfig.json': tsconfig(),
      'src/app.ts': "import { a } from './lib';\nconsole.log(a);\n",
      'src/lib.ts': 'export const a = 1;\nexport const b = 2;\n',
    });
    const none = await analyzeWorkspace({ root: ws.root });
    expect(none.summary.entriesFrom).toBe('none');
    expect(none.unusedExports).toEqual([]);
    expect(none.unusedFiles).toEqual([]);
    const explicit = await analyzeWorkspace({ root: ws.root, entries: ['src/app.ts'] });
    expect(explicit.summary.entries).toEqual(['src/app.ts']);
    expect(exportsOf(explicit)).toEqual(['src/lib.ts b']);
  });
});

describe('module graph', () => {
  it('reports runtime import cycles (Tarjan SCC), not type-only or lazy ones', async () => {
    ws = tempWorkspace({
      'tsconfig.json': tsconfig(),
      'src/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/b.ts': "import { c } from './c';\nexport const b = () => c;\n",
      'src/c.ts': "import { a } from './a';\nexport const c = () => a;\n",
      'src/d.ts': "import type { E } from './e';\nexport type D = { e?: E };\n",
      'src/e.ts': "import { type D } from './d';\nexport type E = { d?: D };\n",
      'src/g.ts': "export const g = () => import('./h');\n",
      'src/h.ts': "import { g } from './g';\nexport const h = g;\n",
      'src/i.ts': "export * from './j';\nexport const i = 1;\n",
      'src/j.ts': "export { i } from './i';\nexport const j = 1;\n",
      'src/self.ts': "import * as me from './self';\nexport const s = 1;\nexport const t = me.s;\n",
      // Classes imported only for type annotations: TypeScript drops those imports from the output.
      'src/k.ts': "import { L } from './l';\nexport class K { l?: L }\n",
      'src/l.ts': "import { K } from './k';\nexport class L { k?: K }\nexport const make = () => new L();\n",
      // …but `extends` is a value: a real cycle.
      'src/m.ts': "import { N } from './n';\nexport class M { n?: N }\nexport const mk = () => new N();\n",
      'src/n.ts': "import { M } from './m';\nexport class N extends M {}\n",
    });
    const r = await analyzeWorkspace({ root: ws.root });
    expect(r.cycles).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts'], ['src/i.ts', 'src/j.ts'], ['src/m.ts', 'src/n.ts'], ['src/self.ts']]);
    expect(r.summary.cycles).toBe(4);
  });
});

describe('tsconfig: project references, paths aliases, allowJs', () => {
  it('analyses each referenced project with its own options and resolves aliases across them', async () => {
    ws = tempWorkspace({
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/core' }, { path: './packages/app' }] }),
      'packages/core/tsconfig.json': JSON.stringify({ compilerOptions: { ...STRICT, noEmit: undefined, composite: true, outDir: 'dist', rootDir: 'src', allowJs: true, checkJs: false }, include: ['src'] }),
      'packages/core/package.json': JSON.stringify({ name: '@fx/core', exports: { '.': './dist/index.js' } }),
      'packages/core/src/index.ts': "export { add } from './math';\nexport { legacy } from './legacy.js';\n",
      'packages/core/src/math.ts': 'export function add(a: number, b: number): number { return a + b; }\nexport function unusedMath(): void {}\n',
      'packages/core/src/legacy.js': 'export function legacy() { return 1; }\nexport function unusedLegacy() { return 2; }\n',
      'packages/core/dist/index.js': 'export const built = 1;\n', // build output: never analysed
      'packages/app/tsconfig.json': JSON.stringify({ compilerOptions: { ...STRICT, paths: { '@core/*': ['../core/src/*'], '~/*': ['./src/*'] } }, include: ['src'], references: [{ path: '../core' }] }),
      'packages/app/package.json': JSON.stringify({ name: '@fx/app', bin: { app: './dist/main.js' } }),
      'packages/app/src/main.ts': "import { add } from '@core/index';\nimport { helper } from '~/util/helper';\nexport const result: number = add(1, helper());\nconst bad: string = 1;\nconsole.log(bad);\n",
      'packages/app/src/util/helper.ts': 'export function helper() { return 2; }\n',
    });
    const session = await AnalysisSession.open({ root: ws.root });
    const r = session.report();
    expect(r.summary.configs).toEqual(['packages/core/tsconfig.json', 'packages/app/tsconfig.json']);
    expect(r.summary.files).toBe(5);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} TS${d.code}`)).toEqual(['packages/app/src/main.ts:4:7 TS2322']);
    expect(r.summary.entries).toEqual(['packages/app/src/main.ts', 'packages/core/src/index.ts']);
    expect(exportsOf(r)).toEqual(['packages/core/src/legacy.js unusedLegacy', 'packages/core/src/math.ts unusedMath']);
    expect(session.dependents('packages/core/src/math.ts')).toEqual(['packages/app/src/main.ts', 'packages/core/src/index.ts']);
    expect(session.dependents('packages/app/src/util/helper.ts')).toEqual(['packages/app/src/main.ts']);
  });
});

describe('incremental analysis', () => {
  const files = {
    'tsconfig.json': tsconfig(),
    'src/a.ts': 'export const a = 1;\n',
    'src/b.ts': "import { a } from './a';\nexport const b = a + 1;\n",
    'src/c.ts': "import { b } from './b';\nexport const c: number = b;\n",
    'src/d.ts': 'export const d = 1;\n',
    'src/e.ts': "import { d } from './d';\nexport const e = d;\n",
  };

  it('re-analyses only the changed file and the files that depend on it', async () => {
    ws = tempWorkspace(files);
    const s = await AnalysisSession.open({ root: ws.root, mode: 'full' });
    expect(s.stats).toEqual({ parsed: 5, checked: 5 });

    const r1 = await s.update('src/b.ts', enc("import { a } from './a';\nexport const b = String(a);\n"));
    expect(r1).toEqual({ changed: true, reparsed: ['src/b.ts'], rechecked: ['src/b.ts', 'src/c.ts'] });
    expect(s.stats).toEqual({ parsed: 6, checked: 7 });
    expect(s.report().diagnostics.map((d) => `${d.file} TS${d.code}`)).toEqual(['src/c.ts TS2322']);

    // Back to the original text: every result comes from the cache, nothing is parsed or checked.
    const r2 = await s.update('src/b.ts', enc(files['src/b.ts']));
    expect(r2).toEqual({ changed: true, reparsed: [], rechecked: [] });
    expect(s.stats).toEqual({ parsed: 6, checked: 7 });
    expect(s.report().diagnostics).toEqual([]);

    expect(await s.update('src/b.ts', enc(files['src/b.ts']))).toEqual({ changed: false, reparsed: [], rechecked: [] });

    const r3 = await s.update('src/a.ts', enc('export const a = "x";\n'));
    expect(r3.rechecked).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    expect(s.report().diagnostics.map((d) => `${d.file} TS${d.code}`)).toEqual(['src/c.ts TS2322']);

    // A new file (in memory only, like an unsaved editor) is placed in its program; deleting one
    // re-checks its importers, direct (e) and indirect (f imports e).
    const r4 = await s.update('src/f.ts', enc("import { e } from './e';\nexport const f: string = e;\n"));
    expect(r4.rechecked).toEqual(['src/f.ts']);
    expect(s.report().diagnostics.map((d) => `${d.file} TS${d.code}`)).toEqual(['src/c.ts TS2322', 'src/f.ts TS2322']);
    fs.rmSync(path.join(ws.root, 'src/d.ts'));
    const r5 = await s.update('src/d.ts', undefined);
    expect(r5.rechecked).toEqual(['src/e.ts', 'src/f.ts']);
    // e's import is gone (TS2307), so e and f are `any` now and f's error went away.
    expect(s.report().diagnostics.map((d) => `${d.file} TS${d.code}`)).toEqual(['src/c.ts TS2322', 'src/e.ts TS2307']);
    expect(s.report().summary.files).toBe(5);
  });

  it('gives semantic diagnostics on demand in the syntactic (large-workspace) mode', async () => {
    ws = tempWorkspace({ ...files, 'src/c.ts': "import { b } from './b';\nexport const c: string = b;\nexport const broken = (;\n" });
    const s = await AnalysisSession.open({ root: ws.root, mode: 'syntactic' });
    const r = s.report();
    expect(r.summary.mode).toBe('syntactic');
    expect(r.summary.diagnostics.semantic).toBe(false);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} TS${d.code}`)).toEqual(['src/c.ts:3 TS1109']); // parse errors only
    expect(s.stats.checked).toBe(0);
    const c = await s.semanticDiagnostics('src/c.ts');
    expect(c.map((d) => `${d.file}:${d.line} TS${d.code}`)).toEqual(['src/c.ts:2 TS2322', 'src/c.ts:3 TS1109']);
    expect(s.stats.checked).toBe(1);
    await s.semanticDiagnostics('src/c.ts');
    expect(s.stats.checked).toBe(1);
    await expect(s.semanticDiagnostics('nope.ts')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('cancellation and caching', () => {
  it('stops with a cancelled error when the signal fires, before or during the analysis', async () => {
    ws = tempWorkspace({ 'tsconfig.json': tsconfig(), ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`src/f${i}.ts`, `export const v${i} = ${i};\n`])) });
    const before = new AbortController();
    before.abort();
    await expect(AnalysisSession.open({ root: ws.root, signal: before.signal })).rejects.toSatisfy((e) => e instanceof RustyError && e.code === 'cancelled');
    const during = new AbortController();
    let seen = 0;
    const run = AnalysisSession.open({ root: ws.root, signal: during.signal, onProgress: (done) => { seen = done; if (done === 10) during.abort(); } });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toBeLessThan(80);
  });

  it('counts progress in the files the report counts: reading, then checking, each up to summary.files', async () => {
    // Tests outside the tsconfig are read (they use exports) but are not among the report's files.
    ws = tempWorkspace({
      'tsconfig.json': JSON.stringify({ compilerOptions: STRICT, include: ['src'] }),
      ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`src/f${i}.ts`, `export const v${i} = ${i};\n`])),
      ...Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`test/f${i}.test.ts`, `import { v${i} } from '../src/f${i}';\nexport const t = v${i};\n`])),
    });
    const calls: [number, number, string, string][] = [];
    const session = await AnalysisSession.open({ root: ws.root, onProgress: (d, t, f, phase) => calls.push([d, t, f, phase]) });
    const files = session.report().summary.files;
    expect(files).toBe(6);
    expect(calls.every(([, t]) => t === files)).toBe(true);
    expect(calls.some(([, , f]) => f.startsWith('test/'))).toBe(false);
    const reading = calls.filter((c) => c[3] === 'reading').map((c) => c[0]);
    const checking = calls.filter((c) => c[3] === 'checking').map((c) => c[0]);
    expect(reading).toEqual([1, 2, 3, 4, 5, 6]);
    expect(checking).toEqual([1, 2, 3, 4, 5, 6]);
    expect(calls.findIndex((c) => c[3] === 'checking')).toBe(6); // reading first
  });

  it('reports progress as done/total/file up to the end', async () => {
    ws = tempWorkspace({ 'tsconfig.json': tsconfig(), 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': "import { a } from './a';\nexport const b = a;\n" });
    const calls: [number, number, string][] = [];
    await AnalysisSession.open({ root: ws.root, onProgress: (d, t, f) => calls.push([d, t, f]) });
    expect(calls.length).toBeGreaterThan(0);
    const last = calls[calls.length - 1]!;
    expect(last[0]).toBe(last[1]);
    expect(calls.every(([d, t]) => d <= t)).toBe(true);
  });

  it('takes unchanged files from the disk cache: a second run parses and checks nothing', async () => {
    ws = tempWorkspace({ ...{ 'tsconfig.json': tsconfig() }, 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': "import { a } from './a';\nexport const b: number = a;\n", 'src/c.ts': 'export const c = 1;\n' });
    const cacheDir = path.join(ws.stateRoot, 'analysis');
    expect(analysisCacheExists(cacheDir)).toBe(false);
    const first = await AnalysisSession.open({ root: ws.root, cacheDir });
    // What the extension looks for after a window reload to restore the findings from this cache.
    expect(analysisCacheExists(cacheDir)).toBe(true);
    expect(first.stats).toEqual({ parsed: 3, checked: 3 });
    const second = await AnalysisSession.open({ root: ws.root, cacheDir });
    expect(second.stats).toEqual({ parsed: 0, checked: 0 });
    const strip = (r: ReturnType<AnalysisSession['report']>) => ({ ...r, summary: { ...r.summary, durationMs: 0, cache: null } });
    expect(strip(second.report())).toEqual(strip(first.report()));
    expect(second.report().summary.cache.misses).toBe(0);
    ws.write('src/a.ts', 'export const a = "one";\n');
    const third = await AnalysisSession.open({ root: ws.root, cacheDir });
    expect(third.stats).toEqual({ parsed: 1, checked: 2 });
    expect(third.report().diagnostics.map((d) => `${d.file} TS${d.code}`)).toEqual(['src/b.ts TS2322']);
  });
});
