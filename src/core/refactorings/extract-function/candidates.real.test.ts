// What "Extract function…" offers on zod 3.25.76's top hot spot, `JSONSchemaGenerator.process`
// (src/v4/core/to-json-schema.ts): its whole body is refused ("Cannot extract range containing
// conditional return statement"), so the choices are the largest runs of statements TypeScript
// accepts. Each offered choice must really extract (proposeExtractFunction type-checks the result).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRealPackage } from '../../testing/realCode';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { realCopy } from '../rename/testSupport';
import { extractCandidates } from './candidates';
import { proposeExtractFunction } from './index';

const FILE = 'src/v4/core/to-json-schema.ts';

describe('extract function choices on zod 3.25.76', () => {
  let copy: { root: string; cleanup(): void };
  beforeAll(() => {
    copy = realCopy(fetchRealPackage('zod', '3.25.76'));
  });
  afterAll(() => copy.cleanup());

  it('offers the largest runs of statements TypeScript accepts inside a hot spot with a conditional return, and each extracts', async () => {
    const text = fs.readFileSync(path.join(copy.root, FILE), 'utf8');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.startsWith('  process(schema: schemas.$ZodType')) + 1;
    const last = lines.findIndex((l, i) => i >= line && l === '  }') + 1;
    expect(line).toBeGreaterThan(0);
    const wp = await WorkspaceProject.load({ root: copy.root });
    // The whole body, as the lens used to extract it: refused.
    const body = { start: { line: line + 1, column: 5 }, end: { line: last - 1, column: lines[last - 2]!.length + 1 } };
    await expect(proposeExtractFunction({ project: wp }, { file: FILE, ...body, name: 'whole' })).rejects.toThrow(/conditional return statement/);

    const t0 = performance.now();
    const { candidates, functionLines } = extractCandidates({ project: wp }, { file: FILE, line, lines: last - line + 1 });
    console.log(`zod process: ${candidates.length} choices in ${(performance.now() - t0).toFixed(0)} ms: ${candidates.map((c) => `${c.start.line}–${c.end.line} (${c.statements} st., ${c.scopes.map((s) => s.index).join('/')})`).join(', ')}`);
    expect(functionLines).toEqual({ first: line, last });
    expect(candidates.length).toBeGreaterThan(0);
    // Largest first, inside the function, none inside another, each with its scopes.
    expect(candidates.map((c) => c.lines)).toEqual([...candidates.map((c) => c.lines)].sort((a, b) => b - a));
    for (const c of candidates) {
      expect(c.start.line).toBeGreaterThan(line);
      expect(c.end.line).toBeLessThan(last);
      expect(c.scopes.length).toBeGreaterThan(0);
      expect(candidates.filter((o) => o !== c && o.start.line <= c.start.line && o.end.line >= c.end.line && (o.start.line < c.start.line || o.end.line > c.end.line))).toEqual([]);
    }
    expect(candidates[0]!.lines).toBeGreaterThan(20);
    const doNotSet = lines.findIndex((l) => l.includes('// do not set')) + 1;
    let checkedComment = false;
    for (const c of candidates.slice(0, 3)) {
      const scope = c.scopes[c.scopes.length - 1]!.index; // the outermost offered
      const cs = await proposeExtractFunction({ project: wp }, { file: FILE, start: c.start, end: c.end, name: 'extracted', scope });
      expect(cs.edits.map((e) => e.path)).toEqual([FILE]);
      const edit = cs.edits[0]!;
      const content = edit.kind === 'modify' ? edit.content : '';
      // Issue 10 item 4: the comment inside the extracted `formatMap` literal stays (it moves with the code).
      if (c.start.line <= doNotSet && c.end.line >= doNotSet) {
        checkedComment = true;
        expect(content).toContain('regex: "", // do not set');
      }
      // No comment of the range is lost.
      for (const comment of text.split('\n').slice(c.start.line - 1, c.end.line).flatMap((l) => /\/\/.*$/.exec(l)?.[0] ?? [])) expect(content).toContain(comment);
    }
    expect(checkedComment).toBe(true);
  }, 600_000);
});
