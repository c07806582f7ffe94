// Validation is never skipped for size without saying so (issue 16 item 4), through the built CLI
// (run `npm run build` first): the bundled engine over its limit (lowered here with
// RUSTY_MAX_TYPECHECK_FILES) says so and offers `rusty check ID`, which computes the full delta;
// the native engine computes it directly whatever the limit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, prepareCli, type Cli } from '../testing/cli';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { FIXTURE_FILES, NATIVE_TS_DIR, useTypeScript } from './fixture';
import type { ImpactReport } from '../impact/types';

let cli: Cli;
let w: TempWorkspace;
beforeAll(() => {
  cli = prepareCli();
  w = tempWorkspace(FIXTURE_FILES);
  useTypeScript(w.root, { dir: NATIVE_TS_DIR });
});
afterAll(() => {
  cli?.dispose();
  w?.cleanup();
});

const env = () => ({ RUSTY_STATE_DIR: w.stateRoot, RUSTY_MAX_TYPECHECK_FILES: '1' });
const run = (args: string[], json = true) => cli.run([...args, ...(json ? ['--json'] : []), '-w', w.root], { env: env() });
const delta = (r: ImpactReport) => r.typeCheck.introduced.map((d) => `${d.file}:${d.line} TS${d.code}`);

async function submit(engine: string): Promise<string> {
  const file = path.join(path.dirname(w.root), `cs-${engine}.json`);
  const content = FIXTURE_FILES['src/math.ts']!.replace('add(a: number, b: number): number {\n  return a + b;', 'add(a: number, b: number): string {\n  return `${a + b}`;');
  fs.writeFileSync(file, JSON.stringify({ title: `add returns a string (${engine})`, source: 'test', edits: [{ kind: 'modify', path: 'src/math.ts', baseHash: w.hash('src/math.ts'), content }] }));
  const r = await run(['submit', file, '--engine', engine]);
  expect(r.code, r.stderr).toBe(0);
  return parseJson<{ id?: string; proposal?: { id: string } }>(r).id ?? parseJson<{ proposal: { id: string } }>(r).proposal!.id;
}

describe('type check over the size limit', () => {
  it('bundled: the proposal says the check was skipped and offers check now; `rusty check` computes the full delta', async () => {
    const id = await submit('bundled');
    const shown = parseJson<{ impact: ImpactReport }>(await run(['show', id]));
    expect(shown.impact.typeCheck.status).toBe('skipped');
    expect(shown.impact.typeCheck.limit).toBe(1);
    const text = (await run(['show', id], false)).stdout;
    expect(text).toContain('Type check: not run — 3 changed files and direct importers exceed the type-check limit of 1 files (large workspace).');
    expect(text).toContain(`Run \`rusty check ${id}\` to type-check it in full now.`);

    const checked = await run(['check', id, '--engine', 'bundled']);
    expect(checked.code, checked.stderr).toBe(0);
    const full = parseJson<{ id: string; impact: ImpactReport }>(checked).impact;
    expect(full.typeCheck).toMatchObject({ status: 'checked', full: true });
    expect(full.typeCheck.limit).toBeUndefined();
    expect(delta(full)).toEqual(['src/calc.ts:3 TS2322']);
    expect(full.compiler?.engine).toBe('bundled');
    // Stored with the proposal: `show` has it, and `show --check` runs it again first.
    expect(parseJson<{ impact: ImpactReport }>(await run(['show', id])).impact.typeCheck.full).toBe(true);
    const again = (await run(['show', id, '--check', '--engine', 'bundled'], false)).stdout;
    expect(again).toMatch(/Type check \(\d+ files checked, in full on request, TypeScript [\d.]+ \(bundled\)\): 1 new error/);
    expect(again).not.toContain('rusty check');
    await run(['reject', id, '--reason', 'test']);
  }, 240_000);

  it('native: the full delta is computed directly, whatever the limit', async () => {
    const id = await submit('native');
    const impact = parseJson<{ impact: ImpactReport }>(await run(['show', id])).impact;
    expect(impact.compiler?.engine).toBe('native');
    expect(impact.typeCheck.status).toBe('checked');
    expect(impact.typeCheck.limit).toBeUndefined();
    expect(delta(impact)).toEqual(['src/calc.ts:3 TS2322']);
    expect((await run(['show', id], false)).stdout).not.toContain('rusty check');
    await run(['reject', id, '--reason', 'test']);
  }, 240_000);
});
