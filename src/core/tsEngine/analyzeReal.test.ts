// `rusty analyze` on the native engine (built CLI; run `npm run build` first) on real code no one
// here wrote (rxjs 7.8.2, zod 3.25.76 from .cache/real-code): the facts are exactly the bundled
// analysis' (they need no type checker, so the bundled type check is not run), the diagnostics are
// exactly TypeScript 7's own `tsc --noEmit`, and the report is a full one naming that compiler.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, prepareCli, type Cli } from '../testing/cli';
import { copyRealPackage, fetchRealPackage } from '../testing/realCode';
import { NATIVE_TS_DIR, refereeKey, tscDiagnostics, useTypeScript } from './fixture';
import type { AnalysisReport } from '../analysis/types';

let cli: Cli;
let tmp: string;
beforeAll(() => {
  cli = prepareCli();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-ts7-analyze-')));
});
afterAll(() => {
  cli?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** What does not depend on the compiler: everything but the diagnostics, timings and cache counts. */
function facts(r: AnalysisReport): unknown {
  const { diagnostics: _d, compiler: _c, summary, ...rest } = r;
  const { diagnostics: _sd, durationMs: _ms, cache: _cache, mode: _mode, ...sum } = summary;
  return { ...rest, summary: sum };
}

describe.each([['rxjs', '7.8.2'], ['zod', '3.25.76']])('rusty analyze --engine native on %s %s', (name, version) => {
  it('same facts as the bundled analysis, diagnostics equal to tsc', async () => {
    const root = copyRealPackage(fetchRealPackage(name, version), tmp);
    useTypeScript(root, { dir: NATIVE_TS_DIR });
    const analyze = async (engine: string) => {
      // A fresh state folder each: no facts from the other run's cache.
      const r = await cli.run(['analyze', '--json', '--engine', engine, '-w', root], { env: { RUSTY_STATE_DIR: fs.mkdtempSync(path.join(tmp, 'state-')) }, timeoutMs: 400_000 });
      expect(r.code, r.stderr).toBe(0);
      return parseJson<AnalysisReport>(r);
    };
    const native = await analyze('native');
    const bundled = await analyze('bundled');
    expect(native.compiler).toEqual({ engine: 'native', version: '7.0.2', source: 'workspace' });
    expect(native.summary.mode).toBe('full');
    expect(native.summary.diagnostics.semantic).toBe(true);
    expect(bundled.summary.mode).toBe('full');
    expect(native.functions.length).toBeGreaterThan(10);
    expect(facts(native)).toEqual(facts(bundled));
    expect(native.diagnostics.map(refereeKey).sort()).toEqual(tscDiagnostics(root).map(refereeKey).sort());
  }, 600_000);
});
