// `--engine` through the built CLI (run `npm run build` first): a real child process on real
// folders, the project's TypeScript 7 (a link to the installed one) or a TypeScript 5 project.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, prepareCli, type Cli } from '../testing/cli';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { FIXTURE_FILES, NATIVE_TS_DIR, tscDiagnostics, useTypeScript } from './fixture';
import type { AnalysisReport } from '../analysis/types';
import type { ImpactReport } from '../impact/types';

let cli: Cli;
const spaces: TempWorkspace[] = [];
beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => {
  cli?.dispose();
  for (const w of spaces) w.cleanup();
});

function workspace(ts: { dir: string } | { version: string }): TempWorkspace {
  const w = tempWorkspace(FIXTURE_FILES);
  useTypeScript(w.root, ts);
  spaces.push(w);
  return w;
}

const run = (w: TempWorkspace, args: string[]) => cli.run([...args, '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });

function changeSet(w: TempWorkspace): string {
  const file = path.join(path.dirname(w.root), 'cs.json');
  const content = FIXTURE_FILES['src/math.ts']!.replace('add(a: number, b: number): number {\n  return a + b;', 'add(a: number, b: number): string {\n  return `${a + b}`;');
  fs.writeFileSync(file, JSON.stringify({ title: 'add returns a string', source: 'test', edits: [{ kind: 'modify', path: 'src/math.ts', baseHash: w.hash('src/math.ts'), content }] }));
  return file;
}

async function impactOf(w: TempWorkspace, args: string[]): Promise<ImpactReport> {
  const submitted = await run(w, ['submit', changeSet(w), ...args]);
  expect(submitted.code, submitted.stderr).toBe(0);
  const id = (parseJson<{ id?: string; proposal?: { id: string } }>(submitted).id ?? parseJson<{ proposal: { id: string } }>(submitted).proposal.id);
  const shown = parseJson<{ impact?: ImpactReport; proposal?: { impact?: ImpactReport } }>(await run(w, ['show', id]));
  const impact = shown.impact ?? shown.proposal?.impact;
  expect(impact?.compiler, JSON.stringify(shown).slice(0, 500)).toBeDefined();
  await run(w, ['reject', id, '--reason', 'test']);
  return impact!;
}

describe('rusty --engine', () => {
  it('a project on TypeScript 7 type-checks proposals and analyzes on its own native compiler; --engine bundled switches', async () => {
    const w = workspace({ dir: NATIVE_TS_DIR });
    const auto = await impactOf(w, []);
    expect(auto.compiler).toEqual({ engine: 'native', version: '7.0.2', source: 'workspace' });
    expect(auto.typeCheck.introduced.map((d) => `${d.file}:${d.line} TS${d.code}`)).toEqual(['src/calc.ts:3 TS2322']);
    expect(auto.typeCheck.removed.map((d) => `${d.file}:${d.line} TS${d.code}`)).toEqual(['src/calc.ts:5 TS2322']);

    const bundled = await impactOf(w, ['--engine', 'bundled']);
    expect(bundled.compiler?.engine).toBe('bundled');
    expect(bundled.typeCheck.introduced.map((d) => `${d.file}:${d.line} TS${d.code}`)).toEqual(['src/calc.ts:3 TS2322']);

    const analyzed = await run(w, ['analyze']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const report = parseJson<AnalysisReport>(analyzed);
    expect(report.compiler).toEqual({ engine: 'native', version: '7.0.2', source: 'workspace' });
    expect(report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} TS${d.code}`).sort())
      .toEqual(tscDiagnostics(w.root).map((d) => `${d.file}:${d.line}:${d.column} TS${d.code}`).sort());
    const text = await cli.run(['analyze', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });
    expect(text.stdout).toContain("Type checker: TypeScript 7.0.2 (native, the workspace's)");
  }, 180_000);

  it('a project on TypeScript 5.x keeps the bundled engine; native without any TypeScript 7 is a clear usage error', async () => {
    const w = workspace({ version: '5.9.3' });
    expect((await impactOf(w, [])).compiler?.engine).toBe('bundled');
    // The copied CLI has no typescript-native next to it (like a CLI without its dependency).
    const r = await run(w, ['analyze', '--engine', 'native']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rusty: The native engine needs TypeScript 7: the workspace uses TypeScript 5\.9\.3/);
    const bad = await run(w, ['analyze', '--engine', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('rusty: --engine must be one of auto, native, bundled (got "fast").');
  }, 180_000);
});
