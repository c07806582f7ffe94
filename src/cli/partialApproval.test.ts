// Approving a proposal in parts with the real CLI on real files (build first: `npm run build`):
// the rest stays approvable (`partially-applied`), each later approval is its own checkpointed,
// journaled and audited apply, each part rolls back alone, and what the views are told follows.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { parseJson, prepareCli, treeSnapshot, type Cli, type CliResult } from '../core/testing/cli';
import { RustyCore } from '../core/rustyCore';
import type { Proposal } from '../core/proposals/model';
import { toCardView, toDetailView } from '../extension/views/proposalViews';

let cli: Cli;
let ws: TempWorkspace | undefined;

beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';

function rusty(w: TempWorkspace, args: string[], json = true): Promise<CliResult> {
  return cli.run([...args, ...(json ? ['--json'] : []), '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });
}

async function ok<T = Record<string, unknown>>(w: TempWorkspace, args: string[]): Promise<T> {
  const r = await rusty(w, args);
  expect(r.code, `${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return parseJson<T>(r);
}

function stored(w: TempWorkspace, id: string): Proposal {
  return new RustyCore({ workspace: w.root, actor: 'test', env: { RUSTY_STATE_DIR: w.stateRoot } }).get(id);
}

/** src/a.ts with two hunks (line 3 and line 30), src/b.ts, and a created src/c.ts. */
function fixture() {
  const w = (ws = tempWorkspace({ 'src/a.ts': lines(40), 'src/b.ts': lines(5, 'b') }));
  const newA = lines(40).replace('line 3\n', 'LINE 3\n').replace('line 30\n', 'LINE 30\n');
  const set = {
    title: 'Three files', source: 'test:partial',
    edits: [modify(w, 'src/a.ts', newA), modify(w, 'src/b.ts', lines(5, 'B')), { kind: 'create', path: 'src/c.ts', content: 'export const c = 1;\n' }],
  };
  return { w, set, newA, onlyLine30: lines(40).replace('line 30\n', 'LINE 30\n') };
}

async function submit(w: TempWorkspace, set: unknown): Promise<{ id: string; hunks: string[] }> {
  const r = await cli.run(['submit', '-', '--json', '-w', w.root], { input: JSON.stringify(set), env: { RUSTY_STATE_DIR: w.stateRoot } });
  const { id } = parseJson<{ id: string }>(r);
  const diff = await rusty(w, ['show', id, '--diff'], false);
  return { id, hunks: [...diff.stdout.matchAll(/^@@ -\d+,\d+ \+\d+,\d+ @@ hunk (\S+)$/gm)].map((m) => m[1]!) };
}

describe('partial approval keeps the rest approvable', () => {
  it('approve in three parts, refuse what is applied, roll back per part, redo, and the views follow', async () => {
    const { w, set, newA, onlyLine30 } = fixture();
    const initial = treeSnapshot(w.root);
    const { id, hunks } = await submit(w, set);
    const [a3, a30] = hunks; // src/a.ts line 3, line 30

    // Part 1: one hunk of src/a.ts.
    const p1 = await ok(w, ['approve', id, '--hunks', a30!]);
    expect(p1).toMatchObject({ status: 'partially-applied', applied: ['src/a.ts'], partial: true, part: 1 });
    expect(p1.remaining).toBe(`src/a.ts (hunk ${a3}), src/b.ts, src/c.ts`);
    expect(w.read('src/a.ts')).toBe(onlyLine30);
    expect(stored(w, id).status).toBe('partially-applied');

    // The views: the applied hunk is "applied", the card's +/- split into applied and not applied.
    const card1 = toCardView(stored(w, id));
    expect(card1.progress).toEqual({ applied: { added: 1, removed: 1 }, pending: { added: 7, removed: 6 } });
    const detail1 = toDetailView(stored(w, id));
    expect(detail1.applied?.hunks).toEqual([a30]);
    expect(detail1.pendingHunks).toEqual(hunks.filter((h) => h !== a30));

    // An applied hunk cannot be approved twice; nothing is written and the status stays.
    const again = await rusty(w, ['approve', id, '--hunks', a30!]);
    expect(again.code).toBe(1);
    expect(parseJson<{ error: { code: string; message: string } }>(again).error.message).toMatch(new RegExp(`hunk ${a30} is already applied; nothing was written\\. Still to approve: src/a\\.ts \\(hunk ${a3}\\), src/b\\.ts, src/c\\.ts\\.`));
    expect(w.read('src/a.ts')).toBe(onlyLine30);

    // Part 2: a whole file, with a later edit of src/a.ts by the user in between (kept: it does not overlap).
    w.write('src/a.ts', onlyLine30.replace('line 20\n', 'line 20 (mine)\n'));
    const p2 = await ok(w, ['approve', id, '--files', 'src/b.ts']);
    expect(p2).toMatchObject({ status: 'partially-applied', applied: ['src/b.ts'], part: 2 });
    expect(w.read('src/b.ts')).toBe(lines(5, 'B'));
    w.write('src/a.ts', onlyLine30);

    // Part 3: the rest (the other hunk of src/a.ts and the new file).
    const p3 = await ok(w, ['approve', id]);
    expect(p3).toMatchObject({ status: 'applied', applied: ['src/a.ts', 'src/c.ts'], partial: false, part: 3 });
    expect(w.read('src/a.ts')).toBe(newA);
    expect(w.read('src/c.ts')).toBe('export const c = 1;\n');
    expect(toCardView(stored(w, id)).progress?.pending).toEqual({ added: 0, removed: 0 });

    // `show` lists the parts.
    const shown = await rusty(w, ['show', id], false);
    expect(shown.stdout).toMatch(/Parts:\n {2}1\. \S+ {2}applied {2}src\/a\.ts {2}\(hunk \S+\)\n {2}2\. \S+ {2}applied {2}src\/b\.ts/);

    // Each part is its own checkpointed, audited apply.
    const audit = await ok<{ entries: { action: string; details: { part?: number; checkpoint?: string } }[] }>(w, ['audit', '--proposal', id]);
    const applies = audit.entries.filter((e) => e.action === 'applied');
    expect(applies.map((e) => e.details.part)).toEqual([1, 2, 3]);
    expect(new Set(applies.map((e) => e.details.checkpoint)).size).toBe(3);

    // Roll back the latest part: the other parts stay.
    const r1 = await ok(w, ['rollback', id]);
    expect(r1).toMatchObject({ status: 'partially-applied', part: 3, parts: 3, files: ['src/a.ts', 'src/c.ts'] });
    expect(w.read('src/a.ts')).toBe(onlyLine30);
    expect(w.exists('src/c.ts')).toBe(false);
    expect(w.read('src/b.ts')).toBe(lines(5, 'B'));

    // Roll back part 1 (not the latest): its hunk goes, part 2 stays; the views no longer call it applied.
    const r2 = await ok(w, ['rollback', id, '--part', '1']);
    expect(r2).toMatchObject({ status: 'partially-applied', part: 1 });
    expect(w.read('src/a.ts')).toBe(lines(40));
    const detail2 = toDetailView(stored(w, id));
    expect(detail2.applied?.hunks).toEqual(stored(w, id).files[1]!.hunks.map((h) => h.id));
    expect(detail2.pendingHunks).toEqual(expect.arrayContaining([a3, a30]));
    expect(toCardView(stored(w, id)).progress).toEqual({ applied: { added: 5, removed: 5 }, pending: { added: 3, removed: 2 } });
    expect(detail2.parts?.map((x) => x.rolledBack)).toEqual([true, false, true]);

    // A part rolled back already cannot be rolled back again.
    const twice = await rusty(w, ['rollback', id, '--part', '1']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('has no applied part 1; its applied parts are 2.');

    // What was rolled back is approvable again.
    const p4 = await ok(w, ['approve', id, '--hunks', a3!, a30!]);
    expect(p4).toMatchObject({ status: 'partially-applied', part: 4 });
    expect(w.read('src/a.ts')).toBe(newA);

    // Roll everything back: the workspace is exactly as it was, and the card shows nothing applied.
    await ok(w, ['rollback', id]);
    const last = await ok(w, ['rollback', id]);
    expect(last).toMatchObject({ status: 'rolled-back', part: 2 });
    expect(treeSnapshot(w.root)).toEqual(initial);
    const card3 = toCardView(stored(w, id));
    expect(card3.progress?.applied).toEqual({ added: 0, removed: 0 });
    expect(toDetailView(stored(w, id)).applied).toBeUndefined();

    // Redo brings back the latest rolled-back part only.
    const redo = await ok(w, ['redo', id]);
    expect(redo).toMatchObject({ status: 'partially-applied', part: 2, files: ['src/b.ts'] });
    expect(w.read('src/b.ts')).toBe(lines(5, 'B'));
    expect(w.read('src/a.ts')).toBe(lines(40));

    const verify = await ok<{ ok: boolean }>(w, ['audit', '--verify']);
    expect(verify.ok).toBe(true);
  }, 240_000);

  it('a conflict in the rest leaves the applied part applied (status kept, nothing written)', async () => {
    const { w, set, onlyLine30 } = fixture();
    const { id, hunks } = await submit(w, set);
    await ok(w, ['approve', id, '--hunks', hunks[1]!]);
    w.write('src/a.ts', onlyLine30.replace('line 3\n', 'line three\n'));
    const before = treeSnapshot(w.root);
    const r = await rusty(w, ['approve', id, '--hunks', hunks[0]!]);
    expect(r.code).toBe(1);
    expect(parseJson<{ error: { code: string } }>(r).error.code).toBe('conflict');
    expect(treeSnapshot(w.root)).toEqual(before);
    expect(stored(w, id).status).toBe('partially-applied');
    // The parts that do not conflict are still approvable, and the applied one still rolls back.
    expect(await ok(w, ['approve', id, '--files', 'src/b.ts', 'src/c.ts'])).toMatchObject({ status: 'partially-applied', part: 2 });
    await ok(w, ['rollback', id]);
    expect(await ok(w, ['rollback', id])).toMatchObject({ status: 'rolled-back', part: 1 });
    expect(w.read('src/a.ts')).toBe(lines(40).replace('line 3\n', 'line three\n'));
  }, 240_000);
});
