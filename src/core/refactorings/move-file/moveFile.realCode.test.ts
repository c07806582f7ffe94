// Real code no one here wrote: move a module imported from many places in rxjs and in zod, apply
// the proposal to a copy through the real pipeline, and require the compiler's exact diagnostics.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyRealPackage, fetchRealPackage } from '../../testing/realCode';
import { moveFile } from './index';
import { applyThroughCore, compilerDiagnostics, loadProject, readTree } from './testSupport';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-move-real-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function moveInCopy(name: string, version: string, from: string, to: string) {
  const root = copyRealPackage(fetchRealPackage(name, version), path.join(tmp, name));
  const before = await compilerDiagnostics(root);
  const treeBefore = readTree(root);
  const project = await loadProject(root);
  const started = performance.now();
  const result = await moveFile({ project }, { from, to });
  const ms = performance.now() - started;
  expect(readTree(root)).toEqual(treeBefore); // the engine wrote nothing
  await applyThroughCore(root, result.changeSet);
  const after = await compilerDiagnostics(root, { [to]: from });
  return { root, result, before, after, ms };
}

describe('move file on real code', () => {
  it('rxjs: moves src/internal/util/isFunction.ts (imported from 28 modules) and the compiler sees the same diagnostics', async () => {
    const { root, result, before, after, ms } = await moveInCopy('rxjs', '7.8.2', 'src/internal/util/isFunction.ts', 'src/internal/predicates/isFunction.ts');
    console.info(`rxjs move: ${Math.round(ms)} ms, ${result.references.length} references in ${result.filesChanged} files`);
    const importers = new Set(result.references.map((r) => r.path));
    expect(importers.size).toBeGreaterThanOrEqual(20);
    expect(after).toEqual(before);
    expect(fs.existsSync(path.join(root, 'src/internal/util/isFunction.ts'))).toBe(false);
    const observable = fs.readFileSync(path.join(root, 'src/internal/Observable.ts'), 'utf8');
    expect(observable).toContain("from './predicates/isFunction'");
    const lift = fs.readFileSync(path.join(root, 'src/internal/util/lift.ts'), 'utf8');
    expect(lift).toContain("from '../predicates/isFunction'");
  }, 300_000);

  it('zod: moves src/v4/core/util.ts (`.js` specifiers, imported from many modules and excluded tests)', async () => {
    const { root, result, before, after, ms } = await moveInCopy('zod', '3.25.76', 'src/v4/core/util.ts', 'src/v4/core/shared/util.ts');
    console.info(`zod move: ${Math.round(ms)} ms, ${result.references.length} references in ${result.filesChanged} files, ${result.outsideProject.length} outside the project`);
    expect(new Set(result.references.map((r) => r.path)).size).toBeGreaterThanOrEqual(10);
    expect(after).toEqual(before);
    // `.js` endings are kept: every updated specifier still ends in .js.
    for (const r of result.references) if (r.from.endsWith('.js')) expect(r.to, `${r.path}:${r.line}`).toMatch(/\.js$/);
    const moved = fs.readFileSync(path.join(root, 'src/v4/core/shared/util.ts'), 'utf8');
    expect(moved).toMatch(/from "\.\.\/[a-z-]+\.js"/);
  }, 300_000);
});
