import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fetchRealPackage } from './realCode';
import { WorkspaceProject } from '../ts/workspaceProject';

describe('real code from the npm registry', () => {
  it('rxjs and zod sources load and type-check (nearly) cleanly under the generated tsconfig', async () => {
    for (const [name, version] of [['rxjs', '7.8.2'], ['zod', '3.25.76']] as const) {
      const pkg = fetchRealPackage(name, version);
      expect(fs.existsSync(`${pkg.root}/src`)).toBe(true);
      const wp = await WorkspaceProject.load({ root: pkg.root });
      expect(wp.files().length).toBeGreaterThan(50);
      const errors = wp.project.getPreEmitDiagnostics().map((d) => `${d.getSourceFile()?.getFilePath()}:${d.getLineNumber()} TS${d.getCode()} ${String(d.getMessageText()).slice(0, 120)}`);
      // The baseline refactoring tests compare against: a handful at most (rxjs has one DOM-lib
      // mismatch under the TypeScript that ts-morph bundles), never a broken load.
      expect(errors.length, `${name}: ${errors.join('\n')}`).toBeLessThanOrEqual(3);
    }
  }, 300_000);
});
