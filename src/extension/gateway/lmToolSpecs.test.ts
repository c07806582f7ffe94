import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LM_TOOLS } from './lmToolSpecs';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('language-model tools', () => {
  it('package.json contributes exactly these tools, each with an object input schema and a model description', () => {
    const contributed = pkg.contributes.languageModelTools as { name: string; inputSchema: { type: string }; modelDescription: string; displayName: string }[];
    expect(contributed.map((t) => t.name).sort()).toEqual(LM_TOOLS.map((t) => t.name).sort());
    for (const t of contributed) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.modelDescription).toMatch(/Rusty/);
      expect(t.displayName).toBeTruthy();
    }
  });

  it('the messages say what will happen, and keep model text on one line without markdown', () => {
    const propose = LM_TOOLS.find((t) => t.name === 'rusty_propose_change')!;
    const p = propose.prepare({ title: 'Fix\n[link](http://x) `code`', edits: [{ path: 'src/a.ts' }, { path: 'src/a.ts' }, { path: 'src/b.ts' }] });
    expect(p.confirmation!.message).toMatch(/nothing is written until you approve/);
    expect(p.confirmation!.message).toMatch(/2 files \(src\/a\.ts, src\/b\.ts\)/);
    expect(p.invocationMessage).not.toMatch(/[\n`[\]]/);
    expect(propose.args({ title: 't', edits: [] })).toEqual({ title: 't', edits: [], wait: 60 });
    const refactor = LM_TOOLS.find((t) => t.name === 'rusty_refactor')!;
    expect(refactor.prepare({ refactoring: 'rename', params: { newName: 'x' } }).confirmation!.message).toMatch(/queues it as a proposal/);
    expect(LM_TOOLS.find((t) => t.name === 'rusty_analyze')!.prepare({}).confirmation).toBeUndefined();
  });
});
