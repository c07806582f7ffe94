// Real code no one here wrote. zod 3.25.76 ships src/v4/core/config.ts, a module nothing imports
// any more (core.ts has its own `config`): its exports are really unused. rxjs exports every
// module under src/internal through package.json `exports["./internal/*"]`, so an export there
// nobody imports is still public API.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyRealPackage, fetchRealPackage } from '../../testing/realCode';
import { RustyError } from '../../util/errors';
import { applyThroughCore, compilerDiagnostics, loadProject, readTree } from '../move-file/testSupport';
import { removeUnusedExport } from './index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-unused-real-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('remove unused export on real code', () => {
  it('zod: removes the unused exports of src/v4/core/config.ts and the compiler sees the same diagnostics', async () => {
    const root = copyRealPackage(fetchRealPackage('zod', '3.25.76'), tmp);
    const before = await compilerDiagnostics(root);
    const tree = readTree(root);

    // globalConfig is used by config() in the same file: only `export` goes.
    let started = performance.now();
    const first = await removeUnusedExport({ project: await loadProject(root) }, { file: 'src/v4/core/config.ts', name: 'globalConfig' });
    const firstMs = performance.now() - started;
    expect(readTree(root)).toEqual(tree);
    expect(first.removed).toBe('export');
    await applyThroughCore(root, first.changeSet);
    expect(await compilerDiagnostics(root)).toEqual(before);

    // config() is used nowhere: the whole function goes.
    started = performance.now();
    const second = await removeUnusedExport({ project: await loadProject(root) }, { file: 'src/v4/core/config.ts', name: 'config' });
    const secondMs = performance.now() - started;
    expect(second.removed).toBe('declaration');
    await applyThroughCore(root, second.changeSet);
    const text = fs.readFileSync(path.join(root, 'src/v4/core/config.ts'), 'utf8');
    expect(text).toContain('\nconst globalConfig: $ZodConfig = {};\n');
    expect(text).not.toContain('function config');
    expect(await compilerDiagnostics(root)).toEqual(before);
    console.info(`zod remove-unused-export: ${Math.round(firstMs)} ms and ${Math.round(secondMs)} ms (${second.searched.program} files searched, ${second.searched.outsideProject} outside the project)`);
  }, 300_000);

  it('rxjs: refuses a used export (naming its users) and an unused one that package.json exports', async () => {
    const project = await loadProject(fetchRealPackage('rxjs', '7.8.2').root);
    const refusal = async (file: string, name: string) => {
      const err = await removeUnusedExport({ project }, { file, name }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(RustyError);
      return (err as RustyError).message;
    };
    expect(await refusal('src/internal/util/isFunction.ts', 'isFunction')).toMatch(/^`isFunction` is used outside src\/internal\/util\/isFunction\.ts, in \d\d files: (src\/internal\/\S+:\d+:\d+, ){4}src\/internal\/\S+:\d+:\d+, and \d+ more\.$/);
    expect(await refusal('src/internal/NotificationFactories.ts', 'createNotification')).toBe(
      '`createNotification` is part of the public API of package rxjs: src/internal/NotificationFactories.ts is an entry point (package.json exports["./internal/*"]["types"]: "./dist/types/internal/*.d.ts").',
    );
  }, 300_000);
});
