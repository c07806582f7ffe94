// Engine selection on real folders, switching engines in one session, and the proposal type-check
// delta on each engine (the native one against tsc on a copy with the change really applied).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeImpact } from '../impact/computeImpact';
import type { ImpactReport } from '../impact/types';
import { sha256 } from '../util/hash';
import { describeTypeScript, parseEngineSetting, selectEngine, TsEngines } from './index';
import { FIXTURE_FILES, NATIVE_TS_DIR, tscDiagnostics, useTypeScript, writeFixture, type RefereeDiagnostic } from './fixture';

const native = describeTypeScript(NATIVE_TS_DIR)!;
let tmp: string;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ts-engines-')));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function project(name: string, ts?: { dir: string } | { version: string }): string {
  const root = path.join(tmp, name);
  writeFixture(root);
  if (ts) useTypeScript(root, ts);
  return root;
}

/** Changes add() to return a string: breaks calc.ts's `total` and fixes its `wrong`. */
function changeSet(root: string) {
  const rel = 'src/math.ts';
  const bytes = fs.readFileSync(path.join(root, rel));
  const content = FIXTURE_FILES[rel]!.replace('add(a: number, b: number): number {\n  return a + b;', 'add(a: number, b: number): string {\n  return `${a + b}`;');
  return {
    title: 'add returns a string', source: 'test',
    edits: [
      { kind: 'modify' as const, path: rel, baseHash: sha256(bytes), content },
      { kind: 'create' as const, path: 'src/uses.ts', content: "import { add } from './math';\nexport const n: number = add(1, 1);\n" },
    ],
  };
}

const short = (d: { file: string | null; line: number | null; code: number }) => `${d.file}:${d.line} TS${d.code}`;

/** The referee's delta: tsc on the workspace, and tsc on a copy with the change set applied. */
function refereeDelta(root: string, cs: ReturnType<typeof changeSet>): { introduced: string[]; removed: string[] } {
  const copy = fs.mkdtempSync(path.join(tmp, 'applied-'));
  fs.cpSync(root, copy, { recursive: true, filter: (src) => !src.includes('node_modules') });
  for (const e of cs.edits) writeFixture(copy, { [e.path]: e.content });
  const count = (l: RefereeDiagnostic[]) => l.filter((d) => d.file).map(short);
  const before = count(tscDiagnostics(root));
  const after = count(tscDiagnostics(copy));
  const minus = (a: string[], b: string[]) => { const rest = [...b]; return a.filter((x) => { const i = rest.indexOf(x); if (i < 0) return true; rest.splice(i, 1); return false; }); };
  // Lines shift in changed files; the fixture's change keeps line numbers.
  return { introduced: minus(after, before).sort(), removed: minus(before, after).sort() };
}

describe('engine selection', () => {
  it('auto: a project on TypeScript 7 with its native compiler runs native; on 5.x, bundled', () => {
    const seven = project('on-ts7', { dir: NATIVE_TS_DIR });
    const five = project('on-ts5', { version: '5.9.3' });
    const none = project('no-ts');
    expect(selectEngine({ setting: 'auto', root: seven, rustyNative: null })).toMatchObject({ engine: 'native', version: native.version, source: 'workspace' });
    expect(selectEngine({ setting: 'auto', root: five, rustyNative: native })).toEqual({ engine: 'bundled', reason: 'the workspace uses TypeScript 5.9.3' });
    expect(selectEngine({ setting: 'auto', root: none, rustyNative: native }).engine).toBe('bundled');
    // A TypeScript 7 without its platform binary is not native.
    const noBinary = project('ts7-no-binary', { version: '7.0.2' });
    expect(selectEngine({ setting: 'auto', root: noBinary, rustyNative: null })).toMatchObject({ engine: 'bundled', reason: expect.stringContaining('no native compiler') });
  });

  it('native: the workspace compiler, else Rusty\'s own, else a clear error; bundled always bundled', () => {
    const five = project('on-ts5b', { version: '5.9.3' });
    expect(selectEngine({ setting: 'native', root: five, rustyNative: native })).toMatchObject({ engine: 'native', source: 'rusty', version: native.version });
    expect(() => selectEngine({ setting: 'native', root: five, rustyNative: null })).toThrow(/needs TypeScript 7: the workspace uses TypeScript 5\.9\.3.*--engine auto/);
    expect(selectEngine({ setting: 'bundled', root: project('on-ts7b', { dir: NATIVE_TS_DIR }) }).engine).toBe('bundled');
    expect(parseEngineSetting(undefined, 'x')).toBe('auto');
    expect(() => parseEngineSetting('fast', '--engine')).toThrow('--engine must be one of auto, native, bundled (got "fast").');
  });
});

describe('the proposal type-check delta', () => {
  let root: string;
  let engines: TsEngines;
  beforeAll(() => {
    root = project('delta', { dir: NATIVE_TS_DIR });
    engines = new TsEngines(root);
  });
  afterAll(() => engines.close());

  const delta = (r: ImpactReport) => ({ introduced: r.typeCheck.introduced.map(short).sort(), removed: r.typeCheck.removed.map(short).sort() });

  it('native and bundled agree with tsc on a copy with the change applied; switching engines mid-session', async () => {
    const cs = changeSet(root);
    const expected = refereeDelta(root, cs);
    expect(expected.introduced.length).toBeGreaterThan(0);
    expect(expected.removed.length).toBeGreaterThan(0);

    const first = await engines.get('auto');
    expect(first.native?.compiler).toEqual({ engine: 'native', version: native.version, source: 'workspace' });
    const onNative = await computeImpact(cs, { root, typeChecker: first.native! });
    expect(onNative.compiler).toEqual(first.native!.compiler);
    expect(delta(onNative)).toEqual(expected);
    expect(fs.existsSync(path.join(root, 'src/uses.ts'))).toBe(false);

    // Switch to bundled: the native process is closed, the bundled TypeScript reports the same.
    const second = await engines.get('bundled');
    expect(second.native).toBeUndefined();
    await expect(first.native!.checkWithOverlay({ overlay: new Map() })).rejects.toThrow(/closed/);
    const onBundled = await computeImpact(cs, { root });
    expect(onBundled.compiler?.engine).toBe('bundled');
    expect(onBundled.compiler?.version).toMatch(/^[56]\./);
    expect(delta(onBundled)).toEqual(expected);

    // And back: a fresh native engine, same answer; a second get() reuses it (warm).
    const third = await engines.get('native');
    expect(third.native).not.toBe(first.native);
    expect((await engines.get('auto')).native).toBe(third.native);
    expect(delta(await computeImpact(cs, { root, typeChecker: third.native! }))).toEqual(expected);
  }, 120_000);

  it('the bundled engine keeps its size limit and says so; the native engine checks everything', async () => {
    const cs = changeSet(root);
    const limited = await computeImpact(cs, { root, limits: { maxTypeCheckFiles: 1 } });
    expect(limited.typeCheck.status).toBe('skipped');
    expect(limited.typeCheck.reason).toMatch(/exceed the type-check limit of 1 files/);
    expect(limited.notes.some((n) => n.startsWith('Type-check skipped:'))).toBe(true);

    const { native: engine } = await engines.get('native');
    const full = await computeImpact(cs, { root, limits: { maxTypeCheckFiles: 1, maxDependents: 1 }, typeChecker: engine! });
    expect(full.typeCheck.status).toBe('checked');
    expect(full.typeCheck.reason).toMatch(/whole program was type-checked/);
    expect(delta(full)).toEqual(refereeDelta(root, cs));
  }, 120_000);
});
