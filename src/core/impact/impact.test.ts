import { afterEach, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import type { ChangeSet, FileEdit } from '../proposals/changeSet';
import { computeImpact } from './computeImpact';
import { isImpactFailure } from './types';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, skipLibCheck: true, types: [] },
  include: ['src'],
});

/** A small package: `add` is exported from the entry point and imported from three places. */
function mathFixture(extra: Record<string, string> = {}): TempWorkspace {
  return tempWorkspace({
    'package.json': JSON.stringify({ name: 'fx', version: '1.0.0', types: 'dist/index.d.ts', main: 'dist/index.js' }),
    'tsconfig.json': TSCONFIG,
    'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport function sub(a: number, b: number): number {\n  return a - b;\n}\n',
    'src/index.ts': "export { add, sub } from './math';\n",
    'src/calc.ts': "import { add } from './math';\n\nexport const total = add(1, 2);\n",
    'src/report.ts': "import { add } from './math';\n\nexport function report(): string {\n  return `sum ${add(2, 3)}`;\n}\n",
    'src/math.test.ts': "import { add } from './math';\n\nif (add(1, 1) !== 2) throw new Error('add is broken');\n",
    'src/unrelated.ts': 'export const unrelated = 1;\n',
    'README.md': '# fx\n',
    ...extra,
  });
}

const changeSet = (edits: FileEdit[], title = 'change'): ChangeSet => ({ title, source: 'test', edits });
const replaceIn = (rel: string, from: string | RegExp, to: string): FileEdit => modify(ws, rel, ws.read(rel).replace(from, to));

describe('computeImpact', () => {
  it('rename of an exported function with three importers: references, dependents, tests, public API, risk reasons', async () => {
    ws = mathFixture();
    const cs = changeSet(['src/math.ts', 'src/index.ts', 'src/calc.ts', 'src/report.ts', 'src/math.test.ts'].map((f) => replaceIn(f, /\badd\b/g, 'sum')), 'Rename add to sum');
    const r = await computeImpact(cs, { root: ws.root });

    expect(r.symbols).toEqual(expect.arrayContaining([
      expect.objectContaining({ file: 'src/math.ts', name: 'add', kind: 'function', change: 'removed', exported: true }),
      expect.objectContaining({ file: 'src/math.ts', name: 'sum', kind: 'function', change: 'added', exported: true }),
      expect.objectContaining({ file: 'src/index.ts', name: 'add', kind: 're-export', change: 'removed' }),
    ]));
    expect(r.symbols.some((s) => s.name === 'sub')).toBe(false);

    const add = r.references.symbols.find((s) => s.name === 'add' && s.file === 'src/math.ts')!;
    // index (re-export), calc, report and the test each import it and use it once.
    expect(add.count).toBe(7);
    expect(r.references.total).toBeGreaterThanOrEqual(7);
    expect(new Set(add.locations.map((l) => l.file))).toEqual(new Set(['src/index.ts', 'src/calc.ts', 'src/report.ts', 'src/math.test.ts']));
    expect(add.locations).toContainEqual({ file: 'src/calc.ts', line: 3, column: 22 });

    expect(r.dependents.files).toEqual(expect.arrayContaining(['src/index.ts', 'src/calc.ts', 'src/report.ts', 'src/math.test.ts']));
    expect(r.dependents.files).not.toContain('src/unrelated.ts');
    expect(r.tests).toEqual(['src/math.test.ts']);

    expect(r.publicApi.entryPoints).toEqual(['src/index.ts']);
    expect(r.publicApi.changes.map((c) => `${c.change} ${c.name}`).sort()).toEqual(['added sum', 'removed add']);
    expect(r.publicApi.changes.find((c) => c.name === 'add')?.before).toContain('(a: number, b: number) => number');

    expect(r.typeCheck).toMatchObject({ status: 'checked', introduced: [], removed: [] });
    expect(r.risk.reasons.map((x) => x.id)).toEqual(expect.arrayContaining(['public-api', 'references']));
    expect(r.risk.reasons.map((x) => x.id)).not.toContain('no-tests');
    expect(r.risk.score).toBe(r.risk.reasons.reduce((n, x) => n + x.points, 0));
    expect(r.risk.level).toBe('medium');
    expect(ws.read('src/math.ts')).toContain('function add('); // nothing written
  });

  it('a change that introduces a type error: listed as introduced (in the dependent), risk high', async () => {
    ws = mathFixture();
    const cs = changeSet([replaceIn('src/math.ts', 'add(a: number, b: number): number', 'add(a: string, b: string): string')]);
    const r = await computeImpact(cs, { root: ws.root });
    expect(r.typeCheck.status).toBe('checked');
    expect(r.typeCheck.introduced.map((d) => `${d.file}:${d.line} TS${d.code}`).sort()).toEqual([
      'src/calc.ts:3 TS2345', 'src/math.test.ts:3 TS2345', 'src/math.test.ts:3 TS2367', 'src/report.ts:4 TS2345',
    ]);
    expect(r.typeCheck.introduced[0]!.message).toMatch(/not assignable to parameter of type 'string'/);
    expect(r.typeCheck.removed).toEqual([]);
    expect(r.symbols).toEqual([expect.objectContaining({ name: 'add', change: 'modified', exported: true })]);
    expect(r.publicApi.changes).toEqual([expect.objectContaining({ name: 'add', change: 'changed', before: expect.stringContaining('number'), after: expect.stringContaining('string') })]);
    expect(r.risk.level).toBe('high');
    expect(r.risk.reasons[0]).toMatchObject({ id: 'type-errors', points: 50 });
    expect(r.risk.reasons[0]!.text).toMatch(/introduces 4 type errors \(first: src\/calc.ts:3 TS2345\)/);
  });

  it('a change that fixes a type error: listed as removed, matched by message even though lines shift', async () => {
    ws = mathFixture({ 'src/calc.ts': "import { add } from './math';\n\nexport const total: string = add(1, 2);\n" });
    const cs = changeSet([modify(ws, 'src/calc.ts', "import { add } from './math';\n\n// Totals are numbers.\n\nexport const total: number = add(1, 2);\n")]);
    const r = await computeImpact(cs, { root: ws.root });
    expect(r.typeCheck.introduced).toEqual([]);
    expect(r.typeCheck.removed).toEqual([{ file: 'src/calc.ts', line: 3, code: 2322, message: "Type 'number' is not assignable to type 'string'." }]);
    expect(r.risk.reasons.map((x) => x.id)).not.toContain('type-errors');
  });

  it('an unrelated shift of lines does not count as introducing or removing an error', async () => {
    ws = mathFixture({ 'src/calc.ts': "import { add } from './math';\n\nexport const total: string = add(1, 2);\n" });
    const cs = changeSet([modify(ws, 'src/calc.ts', "import { add } from './math';\n\n\n\nexport const total: string = add(1, 2);\nexport const two = 2;\n")]);
    const r = await computeImpact(cs, { root: ws.root });
    expect(r.typeCheck).toMatchObject({ status: 'checked', introduced: [], removed: [] });
    expect(r.symbols).toEqual([expect.objectContaining({ name: 'two', change: 'added' })]);
  });

  it('a non-TypeScript change (.md): no type-check, low risk, without loading the project', async () => {
    ws = mathFixture();
    const r = await computeImpact(changeSet([modify(ws, 'README.md', '# fx\n\nMore words.\n')]), { root: ws.root });
    console.log(`impact of a README change: ${r.durationMs} ms`);
    expect(r.files).toEqual([{ path: 'README.md', kind: 'modify', role: 'other' }]);
    expect(r.typeCheck).toEqual({ status: 'skipped', reason: 'no TypeScript or JavaScript file changed', checkedFiles: 0, introduced: [], removed: [] });
    expect(r.risk).toMatchObject({ score: 0, level: 'low' });
    expect(r.timings?.load).toBeUndefined();
  });

  it('deleting a file: its importers break (introduced), deletes-files and type-errors reasons', async () => {
    ws = mathFixture();
    const r = await computeImpact(changeSet([{ kind: 'delete', path: 'src/unrelated.ts', baseHash: ws.hash('src/unrelated.ts') }, { kind: 'delete', path: 'src/math.ts', baseHash: ws.hash('src/math.ts') }]), { root: ws.root });
    expect(r.typeCheck.introduced.map((d) => `${d.file} TS${d.code}`)).toEqual(expect.arrayContaining(['src/calc.ts TS2307', 'src/index.ts TS2307']));
    expect(r.symbols.filter((s) => s.change === 'removed').map((s) => s.name).sort()).toEqual(['add', 'sub', 'unrelated']);
    expect(r.publicApi.changes.map((c) => `${c.change} ${c.name}`)).toEqual(['removed add', 'removed sub']);
    expect(r.risk.reasons.map((x) => x.id)).toEqual(expect.arrayContaining(['type-errors', 'deletes-files', 'public-api']));
    expect(r.risk.level).toBe('high');
  });

  it('moving a file with its importers updated: references counted on the old exports, no errors', async () => {
    ws = mathFixture();
    const cs = changeSet([
      { kind: 'rename', path: 'src/math.ts', to: 'src/lib/math.ts', baseHash: ws.hash('src/math.ts') },
      ...['src/index.ts', 'src/calc.ts', 'src/report.ts', 'src/math.test.ts'].map((f) => replaceIn(f, "'./math'", "'./lib/math'")),
    ]);
    const r = await computeImpact(cs, { root: ws.root });
    expect(r.typeCheck).toMatchObject({ introduced: [], removed: [] });
    expect(r.references.symbols.map((s) => s.name).sort()).toEqual(['add', 'sub']);
    expect(r.publicApi.changes).toEqual([]);
    expect(r.tests).toEqual(['src/math.test.ts']);
  });

  it('a new file that satisfies a dangling import removes the error', async () => {
    ws = mathFixture({ 'src/uses-missing.ts': "import { gone } from './missing';\nexport const g = gone;\n" });
    const r = await computeImpact(changeSet([{ kind: 'create', path: 'src/missing.ts', content: 'export const gone = 1;\n' }]), { root: ws.root });
    expect(r.typeCheck.removed.map((d) => `${d.file} TS${d.code}`)).toEqual(['src/uses-missing.ts TS2307']);
    expect(r.dependents.files).toEqual(['src/uses-missing.ts']);
    expect(r.symbols).toEqual([expect.objectContaining({ file: 'src/missing.ts', name: 'gone', change: 'added' })]);
  });

  it('comment-only change: marked commentsOnly, no references looked up, low risk', async () => {
    ws = mathFixture();
    const r = await computeImpact(changeSet([replaceIn('src/math.ts', '  return a + b;', '  // plain addition\n  return a + b;')]), { root: ws.root });
    expect(r.symbols).toEqual([expect.objectContaining({ name: 'add', change: 'modified', commentsOnly: true })]);
    expect(r.references.symbols).toEqual([]);
    expect(r.typeCheck).toMatchObject({ status: 'checked', introduced: [], removed: [] });
    expect(r.risk.level).toBe('low');
  });

  it('finds dependents through tsconfig paths aliases, and test files the tsconfig leaves out', async () => {
    ws = tempWorkspace({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [], baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } }, include: ['src'] }),
      'src/lib/util.ts': 'export function twice(n: number): number {\n  return n * 2;\n}\n',
      'src/app.ts': "import { twice } from '@lib/util';\nexport const x = twice(2);\n",
      'test/util.spec.ts': "import { twice } from '../src/lib/util';\nif (twice(1) !== 2) throw new Error();\n",
      'test/app.spec.ts': "import { x } from '../src/app';\nif (x !== 4) throw new Error();\n",
      'test/helpers.ts': 'export const nothing = 0;\n',
    });
    const r = await computeImpact(changeSet([modify(ws, 'src/lib/util.ts', 'export function twice(n: number): number {\n  return n + n;\n}\n')]), { root: ws.root });
    expect(r.dependents.files.sort()).toEqual(['src/app.ts', 'test/app.spec.ts', 'test/util.spec.ts']);
    expect(r.dependents.direct).toBe(2);
    expect(r.tests).toEqual(['test/app.spec.ts', 'test/util.spec.ts']);
    expect(r.notes.join(' ')).toMatch(/2 test files outside the TypeScript project/);
    expect(r.references.symbols).toEqual([expect.objectContaining({ name: 'twice', count: 2 })]);
  });

  it('no tests reach the change: +15 with the reason', async () => {
    ws = mathFixture();
    const r = await computeImpact(changeSet([replaceIn('src/unrelated.ts', '= 1', '= 2')]), { root: ws.root });
    expect(r.tests).toEqual([]);
    expect(r.risk.reasons).toContainEqual({ id: 'no-tests', points: 15, text: 'no test file reaches the changed code' });
  });

  it('large-workspace fallback: narrows to direct importers, then skips the type-check, and says so', async () => {
    ws = mathFixture({ 'src/deep.ts': "import { total } from './calc';\nexport const deep = total;\n" });
    const cs = changeSet([replaceIn('src/math.ts', 'add(a: number, b: number): number', 'add(a: string, b: string): string')]);
    const partial = await computeImpact(cs, { root: ws.root, limits: { maxTypeCheckFiles: 5 } });
    expect(partial.typeCheck.status).toBe('partial');
    expect(partial.typeCheck.reason).toMatch(/5 files depend on the change \(limit 5\); checked the 5 changed files and direct importers/);
    expect(partial.typeCheck.introduced.length).toBe(4);
    expect(partial.notes.join(' ')).toMatch(/Type-check partial/);

    const skipped = await computeImpact(cs, { root: ws.root, limits: { maxTypeCheckFiles: 2 } });
    expect(skipped.typeCheck).toMatchObject({ status: 'skipped', checkedFiles: 0, introduced: [], removed: [] });
    expect(skipped.typeCheck.reason).toMatch(/exceed the type-check limit of 2 files/);
    expect(skipped.risk.reasons.map((x) => x.id)).toContain('unchecked');
  });

  it('cancellation: an aborted signal stops the analysis with a cancelled error', async () => {
    ws = mathFixture();
    const cs = changeSet([replaceIn('src/math.ts', 'a + b', 'b + a')]);
    const already = new AbortController();
    already.abort();
    await expect(computeImpact(cs, { root: ws.root, signal: already.signal })).rejects.toMatchObject({ code: 'cancelled' });
    for (const at of ['building the import graph', 'type-checking before the change', 'type-checking with the change']) {
      const ctrl = new AbortController();
      await expect(computeImpact(cs, { root: ws.root, signal: ctrl.signal, onPhase: (p) => p === at && ctrl.abort() }), at).rejects.toMatchObject({ code: 'cancelled' });
    }
  });

  it('a broken tsconfig makes computeImpact throw (the core turns that into impact.error)', async () => {
    ws = mathFixture({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, } "include": [' });
    await expect(computeImpact(changeSet([replaceIn('src/math.ts', 'a + b', 'b + a')]), { root: ws.root })).rejects.toThrow(/Could not load the TypeScript project \(tsconfig\.json\): ',' expected/);
    expect(isImpactFailure({ error: 'x' })).toBe(true);
  });
});
