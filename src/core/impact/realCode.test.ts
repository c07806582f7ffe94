// Impact on real code no one here wrote: rxjs 7.8.2's published src/ (see testing/realCode.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRealPackage, fetchRealPackage } from '../testing/realCode';
import { WorkspaceProject } from '../ts/workspaceProject';
import { sha256 } from '../util/hash';
import { computeImpact } from './computeImpact';
import type { ImpactReport } from './types';

let tmp: string;
let root: string;
const MAP = 'src/internal/operators/map.ts';

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-impact-rxjs-'));
  root = copyRealPackage(fetchRealPackage('rxjs', '7.8.2'), tmp);
  // rxjs keeps its specs out of the package; add two, outside the tsconfig like rxjs's own spec/.
  fs.mkdirSync(path.join(root, 'spec', 'operators'), { recursive: true });
  fs.writeFileSync(path.join(root, 'spec/operators/map-spec.ts'), "import { map } from '../../src/internal/operators/map';\nimport { of } from '../../src/index';\nof(1).pipe(map((x: number) => x + 1));\n");
  fs.writeFileSync(path.join(root, 'spec/index.spec.ts'), "import { of } from '../src/index';\nof(1);\n");
  fs.writeFileSync(path.join(root, 'spec/unrelated.spec.ts'), "import { isFunction } from '../src/internal/util/isFunction';\nisFunction(1);\n");
}, 300_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function modifyMap(transform: (text: string) => string) {
  const bytes = fs.readFileSync(path.join(root, MAP));
  const text = bytes.toString('utf8');
  const content = transform(text);
  expect(content).not.toBe(text);
  return { title: 'change map', source: 'test', edits: [{ kind: 'modify' as const, path: MAP, baseHash: sha256(bytes), content }] };
}

function summarize(label: string, r: ImpactReport) {
  console.log(`${label}: ${r.durationMs} ms (${Object.entries(r.timings ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}); ` +
    `${r.dependents.total} dependents, ${r.tests.length} tests, type-check ${r.typeCheck.status} of ${r.typeCheck.checkedFiles} files ` +
    `(+${r.typeCheck.introduced.length} −${r.typeCheck.removed.length}), risk ${r.risk.score} ${r.risk.level}`);
}

describe('impact on rxjs (real code)', () => {
  it('a comment in an operator: dependents and tests found, empty type-check delta, only affected files checked', async () => {
    const r = await computeImpact(modifyMap((t) => t.replace('return operate((source, subscriber) => {', '// a note for readers\n  return operate((source, subscriber) => {')), { root });
    summarize('rxjs map.ts + comment', r);
    expect(r.symbols).toEqual([expect.objectContaining({ name: 'map', kind: 'function', change: 'modified', exported: true, commentsOnly: true })]);
    expect(r.dependents.files).toEqual(expect.arrayContaining(['src/index.ts', 'src/operators/index.ts', 'src/internal/operators/mergeMap.ts']));
    expect(r.dependents.total).toBeGreaterThan(20);
    expect(r.tests).toEqual(['spec/index.spec.ts', 'spec/operators/map-spec.ts']);
    expect(r.publicApi.entryPoints).toEqual(expect.arrayContaining(['src/index.ts', 'src/operators/index.ts']));
    expect(r.publicApi.changes).toEqual([]);
    expect(r.typeCheck.status).toBe('checked');
    expect(r.typeCheck.introduced).toEqual([]);
    expect(r.typeCheck.removed).toEqual([]);
    const wp = await WorkspaceProject.load({ root });
    expect(r.typeCheck.checkedFiles).toBeLessThan(wp.files().length / 2); // not the whole program
    expect(r.risk.level).toBe('low');

    // For scale (printed, not asserted): a full type-check of the same program.
    const t0 = performance.now();
    const all = wp.project.getPreEmitDiagnostics().length;
    console.log(`rxjs: full program type-check ${Math.round(performance.now() - t0)} ms (${wp.files().length} files, ${all} diagnostics) vs impact type-check of ${r.typeCheck.checkedFiles} files`);
  }, 300_000);

  it('renaming the operator in its file only: errors introduced in its importers, public API removal, high risk', async () => {
    const r = await computeImpact(modifyMap((t) => t.replace(/export function map</g, 'export function mapValues<')), { root });
    summarize('rxjs map → mapValues (file only)', r);
    expect(r.symbols.map((s) => `${s.change} ${s.name}`).sort()).toEqual(['added mapValues', 'removed map']);
    expect(r.references.symbols[0]).toMatchObject({ name: 'map', file: MAP });
    expect(r.references.total).toBeGreaterThan(10);
    const files = new Set(r.typeCheck.introduced.map((d) => d.file));
    expect(files).toContain('src/index.ts');
    expect(files).toContain('src/internal/operators/mergeMap.ts');
    // Every importer loses the export (TS2305); some inferred types break in turn.
    expect(r.typeCheck.introduced.filter((d) => d.code === 2305).length).toBeGreaterThanOrEqual(7);
    expect(r.typeCheck.introduced.every((d) => d.message.length <= 500)).toBe(true);
    expect(r.publicApi.changes).toEqual(expect.arrayContaining([expect.objectContaining({ entry: 'src/index.ts', name: 'map', change: 'removed' })]));
    expect(r.risk.level).toBe('high');
  }, 300_000);
});
