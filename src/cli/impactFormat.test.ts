import { describe, expect, it } from 'vitest';
import { sampleImpactReport } from '../core/impact/fixtures';
import { impactLines } from './format';

describe('rusty show: impact section', () => {
  it('prints risk with reasons, the type-check delta, symbols, references, dependents, tests and public API', () => {
    expect(impactLines(sampleImpactReport()).join('\n')).toBe([
      'Impact: risk high (75/100), computed in 1.2s',
      '   +40  introduces 1 type error (first: src/calc.ts:3 TS2345)',
      '   +30  changes the public API: add changed',
      '    +5  3 references to changed exported symbols',
      'Type check (4 files checked): 1 new error, 1 fixed',
      "  + src/calc.ts:3 TS2345 Argument of type 'number' is not assignable to parameter of type 'string'.",
      "  − src/deep.ts:2 TS2322 Type 'number' is not assignable to type 'string'.",
      'Changed symbols: add (function, modified, exported), helper (function, added)',
      'References to changed exports: 3',
      '  add (src/math.ts): 3 — src/calc.ts:1, src/calc.ts:3, src/index.ts:1',
      'Dependents: 3 (2 direct): src/calc.ts, src/index.ts, src/deep.ts',
      'Tests reaching the change: src/math.test.ts',
      'Public API changes: 1',
      '  changed add in src/index.ts: function (a: number, b: number) => number → function (a: string, b: string) => string',
      'Note: 1 test file outside the TypeScript project (tsconfig include) was searched for imports too.',
    ].join('\n'));
  });

  it('says when the type-check was skipped, when impact failed, and when none was computed', () => {
    const skipped = sampleImpactReport({ typeCheck: { status: 'skipped', reason: 'no TypeScript or JavaScript file changed', checkedFiles: 0, introduced: [], removed: [] }, tests: [], dependents: { total: 0, direct: 0, files: [], truncated: false } });
    const text = impactLines(skipped).join('\n');
    expect(text).toContain('Type check: not run — no TypeScript or JavaScript file changed');
    expect(text).toContain('Dependents: none');
    expect(text).toContain('Tests reaching the change: none');
    expect(impactLines({ error: 'Could not load the TypeScript project (tsconfig.json): boom' })).toEqual(['Impact: could not be computed — Could not load the TypeScript project (tsconfig.json): boom']);
    expect(impactLines(undefined)).toEqual(['Impact: not computed for this proposal.']);
  });

  it('shortens long lists', () => {
    const files = Array.from({ length: 30 }, (_, i) => `src/f${i}.ts`);
    const text = impactLines(sampleImpactReport({ dependents: { total: 250, direct: 5, files, truncated: false } })).join('\n');
    expect(text).toContain('Dependents: 250 (5 direct): src/f0.ts, src/f1.ts, src/f2.ts, src/f3.ts, src/f4.ts, src/f5.ts, src/f6.ts, src/f7.ts … (+242 more)');
  });
});

describe('rusty show with a stored impact', () => {
  it('prints the impact section, and --json includes the report', async () => {
    const { tempWorkspace, modify } = await import('../core/testing/tempWorkspace');
    const { createImpactProvider } = await import('../core/impact');
    const { runCli } = await import('./main');
    const ws = tempWorkspace({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] }, include: ['src'] }),
      'src/a.ts': 'export const a: number = 1;\n',
      'src/b.ts': "import { a } from './a';\nexport const b: number = a;\n",
    });
    const saved = process.env.RUSTY_STATE_DIR;
    try {
      const core = ws.core({ impactProvider: createImpactProvider() });
      const { proposal } = await core.submit({ title: 'Make a a string', source: 'test', edits: [modify(ws, 'src/a.ts', "export const a: string = '1';\n")] });
      process.env.RUSTY_STATE_DIR = ws.stateRoot;
      const run = async (args: string[]) => {
        let out = '';
        const code = await runCli(['-w', ws.root, ...args], { out: (t) => { out += t + '\n'; }, err: () => {}, isTty: false });
        return { code, out };
      };
      const text = await run(['show', proposal.id]);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/Impact: risk high \(\d+\/100\)/);
      expect(text.out).toContain("  + src/b.ts:2 TS2322 Type 'string' is not assignable to type 'number'.");
      expect(text.out).toContain('Dependents: 1 (1 direct): src/b.ts');
      expect(text.out).toContain('Tests reaching the change: none');
      const json = await run(['--json', 'show', proposal.id]);
      expect(JSON.parse(json.out)).toMatchObject({ id: proposal.id, impact: { risk: { level: 'high' }, typeCheck: { status: 'checked', introduced: [{ file: 'src/b.ts', code: 2322 }] } } });
    } finally {
      if (saved === undefined) delete process.env.RUSTY_STATE_DIR;
      else process.env.RUSTY_STATE_DIR = saved;
      ws.cleanup();
    }
  });
});
