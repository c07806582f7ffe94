// The native engine against the compiler itself: TypeScript 7's own `tsc --noEmit` is the referee
// (real files in a temp folder, the real compiler process; nothing mocked).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTypeScript } from './select';
import { NativeTsEngine } from './native';
import { FIXTURE_FILES, NATIVE_TS_DIR, refereeKey, tscDiagnostics, writeFixture } from './fixture';

const native = describeTypeScript(NATIVE_TS_DIR)!;
let tmp: string;
let root: string;
let engine: NativeTsEngine;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ts7-'));
  root = fs.realpathSync(tmp);
  writeFixture(root);
  engine = await NativeTsEngine.open({ root, apiPath: native.nativeApi!, version: native.version, source: 'rusty' });
}, 60_000);
afterAll(async () => {
  await engine?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('NativeTsEngine', () => {
  it('reports the same diagnostics as tsc --noEmit (files, lines, columns, codes)', async () => {
    const ours = await engine.projectDiagnostics();
    const referee = tscDiagnostics(root);
    expect(referee.length).toBeGreaterThanOrEqual(5);
    expect(ours.map(refereeKey).sort()).toEqual(referee.map(refereeKey).sort());
    expect(engine.compiler).toEqual({ engine: 'native', version: native.version, source: 'rusty' });
    const wrong = ours.find((d) => d.file === 'src/calc.ts' && d.code === 2322)!;
    expect(wrong.message).toBe("Type 'number' is not assignable to type 'string'.");
  });

  it('type-checks an overlay without writing it, and the delta equals applying it to a copy', async () => {
    const overlay = new Map<string, string | null>([
      ['src/math.ts', FIXTURE_FILES['src/math.ts']!.replace('add(a: number, b: number): number {\n  return a + b;', 'add(a: number, b: number): string {\n  return `${a + b}`;')],
      ['src/extra/new.ts', "import { twice } from '../deep';\nexport const t: string = twice();\n"],
      ['src/crlf.ts', null],
    ]);
    const before = fs.readFileSync(path.join(root, 'src/math.ts'), 'utf8');
    const r = await engine.checkWithOverlay({ overlay });
    expect(fs.readFileSync(path.join(root, 'src/math.ts'), 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(root, 'src/extra'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'src/crlf.ts'))).toBe(true);

    // The referee: the same change really applied to a copy, checked by tsc.
    const copy = fs.mkdtempSync(path.join(tmp, 'applied-'));
    writeFixture(copy);
    fs.rmSync(path.join(copy, 'src/crlf.ts'));
    for (const [rel, text] of overlay) if (text !== null) writeFixture(copy, { [rel]: text });
    const applied = tscDiagnostics(copy);
    expect(r.after.map(refereeKey).sort()).toEqual(applied.map(refereeKey).sort());
    expect(r.before.map(refereeKey).sort()).toEqual(tscDiagnostics(root).filter((d) => d.file).map(refereeKey).sort());
    expect(r.after.some((d) => d.file === 'src/extra/new.ts' && d.code === 2322)).toBe(true);

    // The overlay is gone afterwards: the engine is back on the workspace as it is.
    expect((await engine.projectDiagnostics()).map(refereeKey).sort()).toEqual(tscDiagnostics(root).map(refereeKey).sort());
  });

  it('checks named files only, and picks up a file changed on disk', async () => {
    const r1 = await engine.checkWithOverlay({ overlay: new Map(), before: ['src/deep.ts'], after: ['src/deep.ts'] });
    expect(r1.before.map((d) => `${d.line}:${d.code}`)).toEqual(['6:2322']);
    fs.writeFileSync(path.join(root, 'src/deep.ts'), FIXTURE_FILES['src/deep.ts']!.replace("'nope'", '1'));
    const future = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(root, 'src/deep.ts'), future, future);
    const r2 = await engine.checkWithOverlay({ overlay: new Map(), before: ['src/deep.ts'], after: ['src/deep.ts'] });
    expect(r2.before).toEqual([]);
    writeFixture(root, { 'src/deep.ts': FIXTURE_FILES['src/deep.ts']! });
  });
});

describe('NativeTsEngine, concurrent proposals', () => {
  it('checks overlapping proposals one at a time, each against the workspace as it is', async () => {
    const a = new Map([['src/deep.ts', "export const x: number = 'a';\n"]]);
    const b = new Map([['src/math.ts', 'export const add = 1;\nexport const label = 2;\n']]);
    const [ra, rb] = await Promise.all([engine.checkWithOverlay({ overlay: a }), engine.checkWithOverlay({ overlay: b })]);
    expect(ra.after.filter((d) => d.file === 'src/deep.ts').map((d) => d.code)).toEqual([2322]);
    expect(ra.after.some((d) => d.file === 'src/calc.ts' && d.code === 2349)).toBe(false);
    expect(rb.after.some((d) => d.file === 'src/calc.ts' && d.code === 2349)).toBe(true);
    expect(rb.after.filter((d) => d.file === 'src/deep.ts').map((d) => `${d.line}:${d.code}`)).toEqual(['6:2322']);
  });
});
