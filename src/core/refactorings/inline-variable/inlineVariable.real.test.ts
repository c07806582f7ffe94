// Inline variable on real code no one here wrote: rxjs 7.8.2's `const LOADSTART = 'loadstart'`
// (src/internal/ajax/ajax.ts), used three times inside nested callbacks. The proposal is applied
// in a copy through the pipeline; the compiler must report exactly the same diagnostics as before.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRealPackage } from '../../testing/realCode';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { applyThroughPipeline, compilerDiagnostics, realCopy } from '../rename/testSupport';
import { proposeInlineVariable } from './index';

const FILE = 'src/internal/ajax/ajax.ts';

describe('inline variable on rxjs 7.8.2', () => {
  let copy: { root: string; cleanup(): void };
  beforeAll(() => {
    copy = realCopy(fetchRealPackage('rxjs', '7.8.2'));
  });
  afterAll(() => copy.cleanup());

  it('inlines LOADSTART into its three uses and removes it: same diagnostics after applying', async () => {
    const original = fs.readFileSync(path.join(copy.root, FILE), 'utf8');
    const lines = original.split('\n');
    const line = lines.indexOf("const LOADSTART = 'loadstart';") + 1;
    expect(line).toBeGreaterThan(0);
    expect(original.match(/\bLOADSTART\b/g)).toHaveLength(4);

    const before = await compilerDiagnostics(copy.root);
    const wp = await WorkspaceProject.load({ root: copy.root });
    const t0 = performance.now();
    const cs = await proposeInlineVariable({ project: wp }, { file: FILE, at: { line, column: 7 } });
    console.log(`rxjs inline: ${cs.title} in ${(performance.now() - t0).toFixed(0)} ms; ${cs.rationale}`);
    expect(cs.edits.map((e) => e.path)).toEqual([FILE]);
    const edit = cs.edits[0]!;
    const content = edit.kind === 'modify' ? edit.content : '';
    expect(content).not.toMatch(/\bLOADSTART\b/);
    expect(content).toContain("['loadstart', PROGRESS, LOAD].forEach((type) => addProgressEvent(xhr.upload, type, UPLOAD));");
    expect(content.match(/\['loadstart', PROGRESS\]/g)).toHaveLength(2);
    // Only those lines changed.
    const changed = content.split('\n');
    expect(changed.length).toBe(lines.length - 1);

    expect(await applyThroughPipeline(copy.root, cs)).toEqual([FILE]);
    const after = await compilerDiagnostics(copy.root);
    expect(after).toEqual(before);
  }, 240_000);
});
