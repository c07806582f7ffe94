// A warm native engine follows the workspace as the person sees it: unsaved editor text wins over
// the disk, and files created or deleted on disk are noticed (folder re-stat, and the filesChanged
// hook a file watcher calls). TypeScript 7's own tsc on a copy in the same state is the referee.
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
const unsaved = new Map<string, string>();

const keys = (list: Parameters<typeof refereeKey>[0][]) => list.map(refereeKey).sort();
/** tsc on a copy of the fixture with `files` written over it. */
function refereeWith(files: Record<string, string>, drop: string[] = []): string[] {
  const copy = fs.mkdtempSync(path.join(tmp, 'copy-'));
  writeFixture(copy);
  writeFixture(copy, files);
  for (const rel of drop) fs.rmSync(path.join(copy, rel));
  return keys(tscDiagnostics(copy));
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ts7-ws-'));
  root = path.join(fs.realpathSync(tmp), 'ws');
  writeFixture(root);
  engine = await NativeTsEngine.open({ root, apiPath: native.nativeApi!, version: native.version, source: 'rusty', fs: { unsaved: () => unsaved } });
}, 60_000);
afterAll(async () => {
  await engine?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('NativeTsEngine and the workspace state', () => {
  it('unsaved editor text changes the diagnostics, then the disk wins again when it is gone', async () => {
    expect(keys(await engine.projectDiagnostics())).toEqual(keys(tscDiagnostics(root)));
    const fixed = FIXTURE_FILES['src/calc.ts']!.replace('export const wrong: string = add(2, 3);', 'export const wrong: string = label(5);');
    const broken = FIXTURE_FILES['src/math.ts']! + 'export const oops: number = "x";\n';
    unsaved.set('src/calc.ts', fixed);
    unsaved.set('src/math.ts', broken);
    const withUnsaved = keys(await engine.projectDiagnostics());
    expect(withUnsaved).toEqual(refereeWith({ 'src/calc.ts': fixed, 'src/math.ts': broken }));
    expect(withUnsaved).not.toContain('src/calc.ts:5:16 TS2322');
    expect(withUnsaved.some((k) => k.startsWith('src/math.ts:') && k.endsWith('TS2322'))).toBe(true);
    expect(fs.readFileSync(path.join(root, 'src/calc.ts'), 'utf8')).toBe(FIXTURE_FILES['src/calc.ts']);

    // A proposal's delta: both sides on the unsaved text, the proposal on top of it.
    const proposal = new Map<string, string | null>([['src/deep.ts', FIXTURE_FILES['src/deep.ts']!.replace("const unused: number = 'nope';", 'const unused: number = 1;')]]);
    const r = await engine.checkWithOverlay({ overlay: proposal });
    expect(keys(r.before)).toEqual(withUnsaved.filter((k) => !k.startsWith('-')));
    expect(keys(r.after)).toEqual(refereeWith({ 'src/calc.ts': fixed, 'src/math.ts': broken, 'src/deep.ts': proposal.get('src/deep.ts')! }).filter((k) => !k.startsWith('-')));

    unsaved.clear();
    expect(keys(await engine.projectDiagnostics())).toEqual(keys(tscDiagnostics(root)));
  }, 120_000);

  it('a file created on disk that fixes an import is seen by the warm engine (folder re-stat), and its deletion too', async () => {
    const before = keys(await engine.projectDiagnostics());
    expect(before.some((k) => k.startsWith('src/index.ts:') && k.endsWith('TS2307'))).toBe(true);
    fs.writeFileSync(path.join(root, 'src/nowhere.ts'), 'export function missing(): void {}\n');
    const after = keys(await engine.projectDiagnostics());
    expect(after.some((k) => k.endsWith('TS2307'))).toBe(false);
    expect(after).toEqual(keys(tscDiagnostics(root)));

    fs.rmSync(path.join(root, 'src/nowhere.ts'));
    expect(keys(await engine.projectDiagnostics())).toEqual(before);
  }, 120_000);

  it('filesChanged reports what the folder re-stat cannot see (same folder mtime)', async () => {
    const dir = path.join(root, 'src');
    const pinned = 1_700_000_000; // whole seconds: the folder's mtime is restored exactly
    fs.utimesSync(dir, pinned, pinned);
    const before = keys(await engine.projectDiagnostics());
    fs.writeFileSync(path.join(dir, 'nowhere.ts'), 'export function missing(): void {}\n');
    fs.utimesSync(dir, pinned, pinned);
    // Unreported and the folder looks unchanged: the warm engine still has the old state.
    expect(keys(await engine.projectDiagnostics())).toEqual(before);
    engine.filesChanged([path.join(dir, 'nowhere.ts')]);
    const after = keys(await engine.projectDiagnostics());
    expect(after).toEqual(keys(tscDiagnostics(root)));
    expect(after.some((k) => k.endsWith('TS2307'))).toBe(false);

    fs.rmSync(path.join(dir, 'nowhere.ts'));
    fs.utimesSync(dir, pinned, pinned);
    engine.filesChanged(['src/nowhere.ts']);
    expect(keys(await engine.projectDiagnostics())).toEqual(before);
  }, 120_000);
});
