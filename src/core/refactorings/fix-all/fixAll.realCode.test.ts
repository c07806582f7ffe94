// Real code no one here wrote: with a stricter compiler option switched on in a copy of rxjs and of
// zod, fix all of one code, apply the proposal through the real pipeline, and require the
// compiler's diagnostics to be exactly the ones before minus the fixed ones.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyRealPackage, fetchRealPackage } from '../../testing/realCode';
import { applyThroughCore, compilerDiagnostics, loadProject, minus, readTree } from '../move-file/testSupport';
import { fixAll } from './index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-fixall-real-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function fixAllInCopy(name: string, version: string, options: Record<string, unknown>, code: number) {
  const root = copyRealPackage(fetchRealPackage(name, version), path.join(tmp, name));
  const configPath = path.join(root, 'tsconfig.json');
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { compilerOptions: Record<string, unknown> };
  Object.assign(config.compilerOptions, options);
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n');
  const before = await compilerDiagnostics(root);
  const treeBefore = readTree(root);
  const project = await loadProject(root);
  const started = performance.now();
  const result = await fixAll({ project }, { code });
  const ms = performance.now() - started;
  expect(readTree(root)).toEqual(treeBefore);
  await applyThroughCore(root, result.changeSet);
  const after = await compilerDiagnostics(root);
  const fixedOnes = before.filter((d) => d.includes(`|TS${code}|`));
  return { result, before, after, fixedOnes, ms };
}

describe('fix all on real code', () => {
  it('rxjs with noImplicitOverride: adds every missing `override` (TS4114) and nothing else', async () => {
    const { result, before, after, fixedOnes, ms } = await fixAllInCopy('rxjs', '7.8.2', { noImplicitOverride: true }, 4114);
    console.info(`rxjs fix-all TS4114: ${Math.round(ms)} ms, ${result.fixed} fixed in ${result.files.length} files (${result.oneByOne.length} one by one)`);
    expect(fixedOnes.length).toBeGreaterThanOrEqual(30);
    expect(result).toMatchObject({ found: fixedOnes.length, fixed: fixedOnes.length, remaining: 0, alsoFixed: {}, introduced: {} });
    // TS4115 (parameter properties) shares the fix; it is left alone.
    expect(before.some((d) => d.includes('|TS4115|'))).toBe(true);
    expect(after).toEqual(minus(before, fixedOnes));
  }, 300_000);

  it('zod with noPropertyAccessFromIndexSignature: rewrites every `o.key` on an index signature as `o["key"]` (TS4111)', async () => {
    const { result, before, after, fixedOnes, ms } = await fixAllInCopy('zod', '3.25.76', { noPropertyAccessFromIndexSignature: true }, 4111);
    console.info(`zod fix-all TS4111: ${Math.round(ms)} ms, ${result.fixed} fixed in ${result.files.length} files`);
    expect(fixedOnes.length).toBeGreaterThanOrEqual(20);
    expect(result).toMatchObject({ found: fixedOnes.length, fixed: fixedOnes.length, remaining: 0 });
    expect(after).toEqual(minus(before, fixedOnes));
  }, 300_000);
});
