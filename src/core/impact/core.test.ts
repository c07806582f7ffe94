// The core computes impact when a proposal is created (CoreOptions.impactProvider) and never lets
// a failed analysis block the proposal.
import { afterEach, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import type { ImpactProvider } from '../rustyCore';
import { createImpactProvider } from './index';
import { isImpactFailure, type ImpactReport } from './types';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] }, include: ['src'] });

function fixture(extra: Record<string, string> = {}) {
  return tempWorkspace({
    'tsconfig.json': TSCONFIG,
    'src/index.ts': "export { greet } from './greet';\n",
    'src/greet.ts': 'export function greet(name: string): string {\n  return `hi ${name}`;\n}\n',
    'src/app.ts': "import { greet } from './greet';\nexport const msg = greet('a');\n",
    'src/greet.test.ts': "import { greet } from './greet';\ngreet('t');\n",
    'NOTES.md': '# notes\n',
    ...extra,
  });
}

const cs = (edits: unknown[]) => ({ title: 'Change', source: 'agent:test', edits });

describe('RustyCore with an impact provider', () => {
  it('stores the impact on the proposal and records the risk in the validated audit entry', async () => {
    ws = fixture();
    const core = ws.core({ impactProvider: createImpactProvider() });
    const { proposal } = await core.submit(cs([modify(ws, 'src/greet.ts', 'export function greet(name: number): string {\n  return `hi ${name}`;\n}\n')]));
    const impact = proposal.impact as ImpactReport;
    expect(isImpactFailure(impact)).toBe(false);
    expect(impact.typeCheck.introduced.map((d) => `${d.file} TS${d.code}`).sort()).toEqual(['src/app.ts TS2345', 'src/greet.test.ts TS2345']);
    expect(impact.tests).toEqual(['src/greet.test.ts']);
    expect(impact.risk.level).toBe('high');
    expect(core.get(proposal.id).impact).toEqual(impact); // persisted
    const validated = core.auditEntries({ proposalId: proposal.id }).find((e) => e.action === 'validated')!;
    expect(validated.details).toMatchObject({
      checks: expect.arrayContaining(['impact']),
      risk: { score: impact.risk.score, level: 'high', reasons: expect.arrayContaining(['type-errors']) },
      typeCheck: { status: 'checked', introduced: 2, removed: 0 },
    });
    expect(ws.read('src/greet.ts')).toContain('name: string'); // nothing written
  });

  it('builds the proposal once: the draft the analysis saw is the one queued, its contents stored', async () => {
    ws = fixture();
    // The clock tells the two builds apart: a build after the analysis would be stamped later.
    let analysed = false;
    const seen: unknown[] = [];
    const core = ws.core({
      now: () => new Date(analysed ? '2026-01-02T00:00:00Z' : '2026-01-01T00:00:00Z'),
      impactProvider: async (_cs, draft) => {
        seen.push(draft.files);
        analysed = true;
        return undefined;
      },
    });
    const { proposal } = await core.submit(cs([modify(ws, 'NOTES.md', '# notes\n\nmore\n'), { kind: 'create', path: 'src/new.ts', content: 'export const n = 1;\n' }]));
    expect(proposal.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(seen).toEqual([proposal.files]);
    await core.approve(proposal.id); // needs the base and new contents in the blob store
    expect(ws.read('NOTES.md')).toBe('# notes\n\nmore\n');
    expect(ws.read('src/new.ts')).toBe('export const n = 1;\n');
    await core.rollback(proposal.id);
    expect(ws.read('NOTES.md')).toBe('# notes\n');
  });

  it('a non-TypeScript change gets a quick impact without a type-check', async () => {
    ws = fixture();
    const core = ws.core({ impactProvider: createImpactProvider() });
    const started = performance.now();
    const { proposal } = await core.submit(cs([modify(ws, 'NOTES.md', '# notes\n\nmore\n')]));
    console.log(`submit of a .md change with impact: ${Math.round(performance.now() - started)} ms`);
    expect(proposal.impact).toMatchObject({ typeCheck: { status: 'skipped' }, risk: { level: 'low', score: 0 } });
  });

  it('a broken tsconfig: the proposal is still created, with impact.error, and the audit says why', async () => {
    ws = fixture({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, } "include": [' });
    const core = ws.core({ impactProvider: createImpactProvider() });
    const { proposal, existing } = await core.submit(cs([modify(ws, 'src/greet.ts', 'export function greet(): string {\n  return "hi";\n}\n')]));
    expect(existing).toBe(false);
    expect(proposal.status).toBe('pending');
    expect(isImpactFailure(proposal.impact)).toBe(true);
    expect(proposal.impact).toMatchObject({ error: expect.stringMatching(/Could not load the TypeScript project \(tsconfig\.json\)/) });
    expect(core.list().map((p) => p.id)).toEqual([proposal.id]);
    const validated = core.auditEntries({ proposalId: proposal.id }).find((e) => e.action === 'validated')!;
    expect(validated.details).toMatchObject({ impactError: expect.stringMatching(/tsconfig/) });
    expect((validated.details as { checks: string[] }).checks).not.toContain('impact');
    // And it can still be approved.
    await core.approve(proposal.id);
    expect(ws.read('src/greet.ts')).toContain('return "hi"');
  });

  it('any provider failure is isolated; a provider may also decline (undefined)', async () => {
    ws = fixture();
    const throwing: ImpactProvider = async () => {
      throw new Error('analysis exploded');
    };
    const a = await ws.core({ impactProvider: throwing }).submit(cs([modify(ws, 'NOTES.md', 'a\n')]));
    expect(a.proposal.impact).toMatchObject({ error: 'analysis exploded' });
    const b = await ws.core({ impactProvider: async () => undefined }).submit(cs([modify(ws, 'NOTES.md', 'b\n')]));
    expect(b.proposal).not.toHaveProperty('impact');
  });

  it('invalid change sets are refused before any analysis, and a queued twin is not analyzed again', async () => {
    ws = fixture();
    let calls = 0;
    const counting: ImpactProvider = async (changeSet, draft, ctx) => {
      calls++;
      expect(draft.files.map((f) => f.path)).toEqual(changeSet.edits.map((e) => e.path));
      expect(ctx.wfs.root).toBe(ws.root);
      return createImpactProvider()(changeSet, draft, ctx);
    };
    const core = ws.core({ impactProvider: counting });
    await expect(core.submit(cs([{ kind: 'modify', path: 'NOTES.md', baseHash: '0'.repeat(64), content: 'x' }]))).rejects.toMatchObject({ code: 'stale' });
    expect(calls).toBe(0);
    const first = await core.submit(cs([modify(ws, 'NOTES.md', 'x\n')]));
    const again = await core.submit(cs([modify(ws, 'NOTES.md', 'x\n')]));
    expect(again).toMatchObject({ existing: true, proposal: { id: first.proposal.id } });
    expect(calls).toBe(1);
  });

  it('cancelling during the analysis queues nothing', async () => {
    ws = fixture();
    const ctrl = new AbortController();
    const provider = createImpactProvider({ onPhase: (p) => p === 'building the import graph' && ctrl.abort() });
    const core = ws.core({ impactProvider: provider });
    await expect(core.submit(cs([modify(ws, 'src/greet.ts', 'export function greet(n: string) {\n  return n;\n}\n')]), { signal: ctrl.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(core.list()).toEqual([]);
  });

  it('refreshImpact computes it again against the workspace as it is now', async () => {
    ws = fixture();
    const core = ws.core({ impactProvider: createImpactProvider() });
    const { proposal } = await core.submit(cs([modify(ws, 'src/greet.ts', 'export function greet(name: number): string {\n  return `hi ${name}`;\n}\n')]));
    expect((proposal.impact as ImpactReport).typeCheck.introduced).toHaveLength(2);
    // Someone fixes the callers meanwhile (outside Rusty)…
    ws.write('src/app.ts', "import { greet } from './greet';\nexport const msg = greet(1 as never);\n");
    ws.write('src/greet.test.ts', "import { greet } from './greet';\ngreet(2 as never);\n");
    const refreshed = await core.refreshImpact(proposal.id);
    expect((refreshed.impact as ImpactReport).typeCheck.introduced).toEqual([]);
    expect(core.get(proposal.id).impact).toEqual(refreshed.impact);
    expect(core.auditEntries({ proposalId: proposal.id }).map((e) => e.action)).toContain('impact');
    await expect(ws.core().refreshImpact(proposal.id)).rejects.toMatchObject({ code: 'usage' });
  });
});

describe('computeImpact on a stored proposal', () => {
  it('reads the proposal texts from the blob store and gives the same report as for the change set', async () => {
    ws = fixture();
    const core = ws.core({ impactProvider: createImpactProvider() });
    const { proposal } = await core.submit(cs([modify(ws, 'src/greet.ts', 'export function greet(name: number): string {\n  return `hi ${name}`;\n}\n')]));
    const { computeImpact } = await import('./computeImpact');
    const again = await computeImpact(proposal, { root: ws.root, readBlob: (h) => core.blobText(h) });
    const strip = (r: ImpactReport) => ({ ...r, computedAt: '', durationMs: 0, timings: {} });
    expect(strip(again)).toEqual(strip(proposal.impact as ImpactReport));
  });
});
