// `rusty review` with the analysis: summary, safe fix-alls as proposals, unused exports as suggestions.
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { reviewWorkspace } from '../review';
import { formatAnalysis, formatReviewAnalysis, runAnalyze } from '../../cli/analyze';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const files = {
  'package.json': JSON.stringify({ name: 'fx', exports: './dist/index.js' }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noImplicitOverride: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', noEmit: true, types: [] }, include: ['src'] }),
  'src/index.ts': "export { Dog } from './animals';\nexport { speakAll } from './util';\n",
  'src/animals.ts': 'export class Animal { speak(): string { return "…"; } }\nexport class Dog extends Animal { speak(): string { return "woof"; } }\n',
  'src/util.ts': "import { Dog } from './animals';\nexport function speakAll(xs: Dog[]): string[] { return xs.map((x) => x.speak()); }\nexport const leftover = 1;\n",
};

describe('review with the workspace analysis', () => {
  it('prints the analysis, proposes only behaviour-preserving fix-alls and suggests unused exports', async () => {
    ws = tempWorkspace(files);
    const core = ws.core();
    const before = ws.snapshot();
    const r = await reviewWorkspace(core);
    expect(r.engines).toEqual(['organize-imports', 'analysis', 'fix-all']);
    expect(r.analysis?.summary.diagnostics.byCode).toEqual({ TS4114: 1 });
    const fix = r.proposals.find((p) => p.proposal.source === 'refactoring:fix-all');
    expect(fix?.proposal.files.map((f) => f.path)).toEqual(['src/animals.ts']);
    // Animal is only used inside its own file (Dog extends it), leftover nowhere.
    expect(r.suggestions).toEqual([
      expect.objectContaining({ kind: 'remove-unused-export', file: 'src/animals.ts', name: 'Animal', line: 1 }),
      expect.objectContaining({ kind: 'remove-unused-export', file: 'src/util.ts', name: 'leftover', line: 3, command: 'rusty refactor remove-unused-export src/util.ts leftover' }),
    ]);
    expect(formatReviewAnalysis(r)).toContain('TS4114 ×1');
    expect(formatReviewAnalysis(r)).toContain('rusty refactor remove-unused-export src/util.ts leftover');
    expect(ws.snapshot()).toEqual(before); // nothing written to the workspace
  });

  it('leaves the analysis out of single-engine runs', async () => {
    ws = tempWorkspace(files);
    const r = await reviewWorkspace(ws.core(), { only: ['organize-imports'] });
    expect(r.analysis).toBeUndefined();
    expect(r.engines).toEqual(['organize-imports']);
  });
});

describe('rusty analyze', () => {
  it('returns the schema-1 JSON report and a readable summary', async () => {
    ws = tempWorkspace(files);
    const { json, text } = await runAnalyze(ws.core(), { json: true });
    expect(json.schemaVersion).toBe(1);
    expect(json.workspace).toBe(ws.root);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'workspace', 'summary', 'diagnostics', 'functions', 'unusedExports', 'unusedFiles', 'cycles', 'publicApi', 'compiler']);
    expect(json.diagnostics).toEqual([{ file: 'src/animals.ts', line: 2, column: 35, code: 4114, category: 'error', message: "This member must have an 'override' modifier because it overrides a member in the base class 'Animal'." }]);
    expect(json.unusedExports).toEqual([
      { file: 'src/animals.ts', name: 'Animal', line: 1, kind: 'class', typeOnly: false },
      { file: 'src/util.ts', name: 'leftover', line: 3, kind: 'variable', typeOnly: false },
    ]);
    expect(json.publicApi.map((p) => `${p.entry} ${p.name} ${p.kind}`)).toEqual(['src/index.ts Dog class', 'src/index.ts speakAll function']);
    expect(text).toContain('Diagnostics: 1 (1 error) — TS4114 ×1');
    expect(text).toContain('Unused exports: 2');
    expect(text).toBe(formatAnalysis(json));
  });
});
