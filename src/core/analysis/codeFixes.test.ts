import { afterEach, describe, expect, it } from 'vitest';
import { fixAll } from '../refactorings/fix-all';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { WorkspaceProject } from '../ts/workspaceProject';
import { AnalysisSession } from './index';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', types: [], noUnusedLocals: true },
  include: ['src'],
});

describe('which diagnostic codes TypeScript can fix (issue 10)', () => {
  it('marks a code fixable only when a fix-all or a quick fix edits code, and fix-all then proposes edits', async () => {
    ws = tempWorkspace({
      'tsconfig.json': TSCONFIG,
      'src/lib.ts': 'export function helper(): number { return 1; }\n',
      // TS1375 (top-level await in a script): its one quick fix, "Add 'export {}'", has no fix-all.
      'src/script.ts': 'await Promise.resolve(1);\n',
      'src/a.ts': [
        "import { missing } from 'no-such-package';", // TS2307: its fix installs types (a command)
        "export const r = require('x');", // TS2591: likewise
        "export const s = 'text'.nope;", // TS2339 on a library type: nothing to declare
        'export const h = helper();', // TS2304: "Add all missing imports"
        'export function f() {',
        '  const unusedOne = 1;', // TS6133 twice: "Delete all unused declarations"
        '  const unusedTwo = 2;',
        '  return missing;',
        '}',
        '',
      ].join('\n'),
    });
    const session = await AnalysisSession.open({ root: ws.root });
    const codes = Object.keys(session.report().summary.diagnostics.byCode).sort();
    expect(codes).toEqual(['TS1375', 'TS2304', 'TS2307', 'TS2339', 'TS2591', 'TS6133']);
    expect(session.report().codeFixes).toBeUndefined(); // only when asked for
    const fixes = await session.codeFixes();
    expect(fixes).toEqual({ TS1375: 'each', TS2304: 'all', TS2307: 'none', TS2339: 'none', TS2591: 'none', TS6133: 'all' });
    expect(session.report().codeFixes).toEqual(fixes);

    // What the verdicts promise, checked with the fix-all that "Fix all" runs.
    const project = await WorkspaceProject.load({ root: ws.root });
    const all = await fixAll({ project }, { code: 6133 });
    expect(all.fixed).toBe(2);
    expect(all.changeSet.edits[0]).toMatchObject({ path: 'src/a.ts', content: expect.not.stringContaining('unusedOne') });
    const imports = await fixAll({ project }, { code: 2304 });
    expect(imports.changeSet.edits[0]).toMatchObject({ path: 'src/a.ts', content: expect.stringContaining("import { helper } from './lib';") });
    const each = await fixAll({ project }, { code: 1375 });
    expect(each.changeSet.edits).toEqual([expect.objectContaining({ path: 'src/script.ts', content: 'await Promise.resolve(1);\n\nexport { };\n' })]);
    expect(each.changeSet.rationale).toContain('one diagnostic at a time');
    for (const code of [2307, 2339, 2591]) {
      await expect(fixAll({ project }, { code })).rejects.toThrow(`TypeScript has no fix for TS${code} in the project`);
    }
  }, 240_000);
});
