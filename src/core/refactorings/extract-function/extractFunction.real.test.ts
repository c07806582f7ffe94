// Extract function on real code no one here wrote: three statements of zod 3.25.76's
// `floatSafeRemainder` (src/v3/types.ts) that compute a decimal count from both parameters. The
// proposal is applied in a copy through the pipeline; the compiler must report exactly the same
// diagnostics as before.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRealPackage } from '../../testing/realCode';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { applyThroughPipeline, compilerDiagnostics, realCopy } from '../rename/testSupport';
import { proposeExtractFunction } from './index';

const FILE = 'src/v3/types.ts';

describe('extract function on zod 3.25.76', () => {
  let copy: { root: string; cleanup(): void };
  beforeAll(() => {
    copy = realCopy(fetchRealPackage('zod', '3.25.76'));
  });
  afterAll(() => copy.cleanup());

  it('extracts the decimal-count computation of floatSafeRemainder: parameters, return value, same diagnostics', async () => {
    const original = fs.readFileSync(path.join(copy.root, FILE), 'utf8');
    const lines = original.split('\n');
    const first = lines.findIndex((l) => l.includes('const valDecCount = (val.toString().split(".")[1] || "").length;'));
    expect(lines[first - 1]).toBe('function floatSafeRemainder(val: number, step: number) {');
    const third = lines[first + 2]!;
    expect(third).toBe('  const decCount = valDecCount > stepDecCount ? valDecCount : stepDecCount;');

    const before = await compilerDiagnostics(copy.root);
    const wp = await WorkspaceProject.load({ root: copy.root });
    const t0 = performance.now();
    const cs = await proposeExtractFunction({ project: wp }, {
      file: FILE, start: { line: first + 1, column: 3 }, end: { line: first + 3, column: third.length + 1 }, name: 'decimalCount',
    });
    console.log(`zod extract: ${cs.title} in ${(performance.now() - t0).toFixed(0)} ms; ${cs.rationale}`);
    expect(cs.edits.map((e) => e.path)).toEqual([FILE]);
    const edit = cs.edits[0]!;
    const content = edit.kind === 'modify' ? edit.content : '';
    expect(content).toContain('function floatSafeRemainder(val: number, step: number) {\n  const decCount = decimalCount(val, step);\n  const valInt =');
    expect(content).toMatch(/\nfunction decimalCount\(val: number, step: number\) \{\n {2}const valDecCount = .*\n {2}const stepDecCount = .*\n {2}const decCount = .*\n {2}return decCount;\n\}\n/);

    expect(await applyThroughPipeline(copy.root, cs)).toEqual([FILE]);
    expect(fs.readFileSync(path.join(copy.root, FILE), 'utf8')).toBe(content);
    const after = await compilerDiagnostics(copy.root);
    expect(after).toEqual(before);
  }, 240_000);
});
