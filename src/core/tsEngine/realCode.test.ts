// The native engine on real code no one here wrote (rxjs 7.8.2 and zod 3.25.76 sources, see
// testing/realCode.ts): the same diagnostics as TypeScript 7's own `tsc --noEmit -p`, and a
// one-file proposal's delta on the overlay equal to tsc on a copy with it applied.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRealPackage, fetchRealPackage } from '../testing/realCode';
import { describeTypeScript } from './select';
import { NativeTsEngine } from './native';
import { NATIVE_TS_DIR, refereeKey, tscDiagnostics } from './fixture';

const native = describeTypeScript(NATIVE_TS_DIR)!;
let tmp: string;
beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ts7-real-')));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const open = (root: string) => NativeTsEngine.open({ root, apiPath: native.nativeApi!, version: native.version, source: 'rusty' });

describe.each([['rxjs', '7.8.2', 'src/internal/operators/map.ts'], ['zod', '3.25.76', 'src/v3/types.ts']])('%s %s', (name, version, file) => {
  let root: string;
  let engine: NativeTsEngine;
  beforeAll(async () => {
    root = copyRealPackage(fetchRealPackage(name, version), tmp);
    engine = await open(root);
  }, 300_000);
  afterAll(() => engine?.close());

  it('reports what tsc --noEmit reports', async () => {
    const ours = (await engine.projectDiagnostics()).map(refereeKey).sort();
    expect(ours).toEqual(tscDiagnostics(root).map(refereeKey).sort());
  }, 120_000);

  it('a one-file proposal: the overlay delta equals tsc after applying it', async () => {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    // A deliberate error at the end of a real, much-imported file, plus one its importers see.
    const changed = `${text}\nexport const rustyProbe: number = 'not a number';\n`;
    const r = await engine.checkWithOverlay({ overlay: new Map([[file, changed]]) });
    const copy = path.join(tmp, `${name}-applied`);
    fs.cpSync(root, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, file), changed);
    expect(r.after.map(refereeKey).sort()).toEqual(tscDiagnostics(copy).filter((d) => d.file).map(refereeKey).sort());
    expect(r.after.length).toBe(r.before.length + 1);
    expect(fs.readFileSync(path.join(root, file), 'utf8')).toBe(text);
  }, 120_000);
});
