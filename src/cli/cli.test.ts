// The `rusty` command-line contract, checked by spawning the built CLI (dist/cli.js; run
// `npm run build` first): exit codes (0 ok, 1 refused / conflict, 2 usage), the --json shapes,
// `{"error":{"code","message"}}` plus a one-line stderr reason on refusal, stdin, -w vs cwd,
// and hunk ids from `show --diff` that `approve --hunks` accepts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { NodeWorkspaceFs } from '../core/ports/nodeWorkspaceFs';
import type { BatchOp } from '../core/ports/workspaceFs';
import { parseJson, prepareCli, treeSnapshot, type Cli, type CliResult } from '../core/testing/cli';

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
const cs = (edits: unknown[], title = 'CLI test change') => ({ title, source: 'test:cli', edits });

interface Opts { json?: boolean; cwd?: string; input?: string; workspace?: string | null; env?: NodeJS.ProcessEnv }

/** `rusty ARGS [--json] -w ROOT`; `workspace: null` leaves -w out (the cwd is the workspace). */
function rusty(w: TempWorkspace, args: string[], opts: Opts = {}): Promise<CliResult> {
  const ws = opts.workspace === null ? [] : ['-w', opts.workspace ?? w.root];
  return cli.run([...args, ...(opts.json === false ? [] : ['--json']), ...ws], {
    cwd: opts.cwd, input: opts.input, env: { RUSTY_STATE_DIR: w.stateRoot, ...opts.env },
  });
}

function writeChangeSet(w: TempWorkspace, name: string, set: unknown): string {
  const file = path.join(path.dirname(w.root), name);
  fs.writeFileSync(file, typeof set === 'string' ? set : JSON.stringify(set));
  return file;
}

interface ErrorJson { error: { code: string; message: string; details?: unknown } }

/** A refusal: the exit code, `{"error":{code,message}}` on stdout, one `rusty: …` line on stderr. */
function expectRefusal(r: CliResult, exit: 1 | 2, code: string, message: RegExp): ErrorJson['error'] {
  expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(exit);
  const { error } = parseJson<ErrorJson>(r);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(r.stderr.trim().split('\n')).toEqual([`rusty: ${error.message.split('\n')[0]}`]);
  return error;
}

function keys(o: object): string[] {
  return Object.keys(o).sort();
}

/** A workspace and a change set that modifies (two hunks), creates, deletes and renames. */
function fixture(): { w: TempWorkspace; set: ReturnType<typeof cs>; newA: string } {
  const w = (ws = tempWorkspace({ 'src/a.ts': lines(40), 'src/b.ts': lines(5, 'b'), 'old.ts': 'old\n', 'mv.ts': 'move me\n' }));
  const newA = lines(40).replace('line 3\n', 'LINE 3\n').replace('line 30\n', 'LINE 30\n');
  const set = cs([
    modify(w, 'src/a.ts', newA),
    modify(w, 'src/b.ts', lines(5, 'B')),
    { kind: 'create', path: 'src/new/c.ts', content: 'export const c = 1;\n' },
    { kind: 'delete', path: 'old.ts', baseHash: w.hash('old.ts') },
    { kind: 'rename', path: 'mv.ts', to: 'moved.ts', baseHash: w.hash('mv.ts') },
  ]);
  return { w, set, newA };
}

describe('the proposal lifecycle: exit 0 and the --json shapes', () => {
  it('submit (file and stdin), list, show, approve, rollback, redo', async () => {
    const { w, set } = fixture();
    const initial = treeSnapshot(w.root);

    const sub = await rusty(w, ['submit', writeChangeSet(w, 'cs.json', set)]);
    expect(sub.code, sub.stderr).toBe(0);
    const { id } = parseJson<{ id: string }>(sub);
    expect(parseJson(sub)).toEqual({ id, status: 'pending', existing: false });
    expect(id).toMatch(/^p[0-9a-z]+$/);
    expect(treeSnapshot(w.root)).toEqual(initial); // submitting writes nothing
    const again = await rusty(w, ['submit', '-'], { input: JSON.stringify(set) });
    expect(parseJson(again)).toEqual({ id, status: 'pending', existing: true });

    const other = await rusty(w, ['submit', '-'], { input: JSON.stringify(cs([{ kind: 'create', path: 'other.ts', content: 'o\n' }], 'From stdin')) });
    expect(other.code, other.stderr).toBe(0);
    const otherId = parseJson<{ id: string }>(other).id;
    expect(otherId).not.toBe(id);

    const list = await rusty(w, ['list']);
    expect(list.code).toBe(0);
    const { proposals } = parseJson<{ proposals: Record<string, unknown>[] }>(list);
    expect(proposals.map((p) => p.id).sort()).toEqual([id, otherId].sort());
    const mine = proposals.find((p) => p.id === id)!;
    expect(keys(mine)).toEqual(['createdAt', 'files', 'id', 'priority', 'source', 'status', 'title']);
    expect(mine).toMatchObject({ title: 'CLI test change', status: 'pending', priority: 'normal', source: 'test:cli' });
    expect(mine.files).toEqual([
      { path: 'src/a.ts', kind: 'modify', added: 2, removed: 2 },
      { path: 'src/b.ts', kind: 'modify', added: 5, removed: 5 },
      { path: 'src/new/c.ts', kind: 'create', added: 1, removed: 0 },
      { path: 'old.ts', kind: 'delete', added: 0, removed: 1 },
      { path: 'mv.ts', to: 'moved.ts', kind: 'rename', added: 0, removed: 0 },
    ]);
    expect(parseJson<{ proposals: unknown[] }>(await rusty(w, ['list', '--status', 'applied'])).proposals).toEqual([]);

    const show = await rusty(w, ['show', id]);
    expect(show.code).toBe(0);
    const shown = parseJson<Record<string, unknown> & { files: { hunks: { id: string }[] }[] }>(show);
    expect(shown).toMatchObject({ id, status: 'pending', fingerprint: expect.any(String), history: [{ status: 'pending' }] });
    expect(shown).not.toHaveProperty('diff');
    expect(shown.files[0]!.hunks).toHaveLength(2);
    const withDiff = parseJson<{ diff: string }>(await rusty(w, ['show', id, '--diff']));
    expect(withDiff.diff).toContain('--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,6 +1,6 @@ hunk ');

    const approve = await rusty(w, ['approve', id]);
    expect(approve.code, approve.stderr).toBe(0);
    const applied = parseJson<{ checkpoint: string }>(approve);
    expect(applied).toEqual({
      id, status: 'applied', checkpoint: expect.stringMatching(/^cp/), merged: [], partial: false,
      applied: ['src/a.ts', 'src/b.ts', 'src/new/c.ts', 'old.ts', 'moved.ts', 'mv.ts'],
    });
    const afterApply = treeSnapshot(w.root);
    expect(w.read('moved.ts')).toBe('move me\n');

    const rollback = await rusty(w, ['rollback', id]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(parseJson(rollback)).toEqual({
      id, status: 'rolled-back', files: expect.arrayContaining(['src/a.ts', 'mv.ts', 'moved.ts']),
      checkpoint: expect.stringMatching(/^cp/), merged: [], forced: false,
    });
    expect(treeSnapshot(w.root)).toEqual(initial);

    const redo = await rusty(w, ['redo', id]);
    expect(redo.code, redo.stderr).toBe(0);
    expect(parseJson(redo)).toEqual({ id, status: 'redone', files: expect.arrayContaining(['src/a.ts']), checkpoint: expect.stringMatching(/^cp/), merged: [] });
    expect(treeSnapshot(w.root)).toEqual(afterApply);
  }, 60_000);

  it('reject needs a reason (exit 2), records it, and a rejected proposal cannot be approved (exit 1)', async () => {
    const { w, set } = fixture();
    const { id } = parseJson<{ id: string }>(await rusty(w, ['submit', '-'], { input: JSON.stringify(set) }));
    const noReason = await rusty(w, ['reject', id]);
    expect(noReason.code).toBe(2);
    expect(parseJson<ErrorJson>(noReason).error).toMatchObject({ code: 'usage', message: expect.stringMatching(/--reason/) });
    expectRefusal(await rusty(w, ['reject', id, '--reason', '   ']), 2, 'usage', /reason is required/);

    const rejected = await rusty(w, ['reject', id, '--reason', 'not now']);
    expect(rejected.code).toBe(0);
    expect(parseJson(rejected)).toEqual({ id, status: 'rejected', reason: 'not now' });
    expectRefusal(await rusty(w, ['approve', id]), 1, 'bad-state', new RegExp(`Cannot approve proposal ${id}: it was rejected`));
    expect(w.read('src/a.ts')).toBe(lines(40));
  }, 30_000);

  it('audit lists entries, --proposal filters, --verify checks the chain (exit 1 once edited)', async () => {
    const { w, set } = fixture();
    const { id } = parseJson<{ id: string }>(await rusty(w, ['submit', '-'], { input: JSON.stringify(set), env: { RUSTY_ACTOR: 'agent:tester' } }));
    await rusty(w, ['approve', id]);
    const audit = await rusty(w, ['audit']);
    expect(audit.code).toBe(0);
    const { entries } = parseJson<{ entries: Record<string, unknown>[] }>(audit);
    expect(entries.map((e) => e.action)).toEqual(['created', 'validated', 'approved', 'applied']);
    expect(keys(entries[0]!)).toEqual(['action', 'actor', 'details', 'hash', 'prevHash', 'proposalId', 'seq', 'time']);
    expect(entries.map((e) => e.actor)).toEqual(['agent:tester', 'agent:tester', 'cli', 'cli']);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);

    await rusty(w, ['submit', '-'], { input: JSON.stringify(cs([{ kind: 'create', path: 'z.ts', content: 'z\n' }])) });
    const filtered = parseJson<{ entries: { proposalId: string }[] }>(await rusty(w, ['audit', '--proposal', id]));
    expect(filtered.entries).toHaveLength(4);
    expect(filtered.entries.every((e) => e.proposalId === id)).toBe(true);

    const ok = await rusty(w, ['audit', '--verify']);
    expect(ok.code).toBe(0);
    expect(parseJson(ok)).toMatchObject({ ok: true, entries: 6, witnesses: [{ status: 'matches', seq: 6 }], limits: expect.stringMatching(/cannot prove/) });

    const file = w.core().paths.audit;
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"action":"approved"', '"action":"rejected"'));
    const bad = await rusty(w, ['audit', '--verify']);
    expect(bad.code).toBe(1);
    expect(parseJson(bad)).toMatchObject({ ok: false, line: 3, problem: 'edited', message: expect.any(String) });
    const text = await rusty(w, ['audit', '--verify'], { json: false });
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/^rusty: audit log FAILED verification \(.*audit\.jsonl\): line 3 was edited/);
  }, 30_000);

  it('recover and gc', async () => {
    const { w, set } = fixture();
    const recover = await rusty(w, ['recover']);
    expect(recover.code).toBe(0);
    expect(parseJson(recover)).toEqual({ recovered: [] });
    expect((await rusty(w, ['recover'], { json: false })).stdout).toMatch(/^Nothing to recover/);

    const { id } = parseJson<{ id: string }>(await rusty(w, ['submit', '-'], { input: JSON.stringify(set) }));
    await rusty(w, ['reject', id, '--reason', 'no']);
    const kept = await rusty(w, ['gc']);
    expect(kept.code).toBe(0);
    const report = parseJson<Record<string, number>>(kept);
    expect(keys(report)).toEqual(['bytesFreed', 'bytesKept', 'keptBlobs', 'removedBlobs', 'removedCheckpoints', 'removedProposals', 'retentionDays']);
    expect(report).toMatchObject({ retentionDays: 30, removedProposals: 0 });
    const swept = parseJson<Record<string, number>>(await rusty(w, ['gc', '--retention-days', '0']));
    expect(swept).toMatchObject({ retentionDays: 0, removedProposals: 1 });
    expect(swept.removedBlobs).toBeGreaterThan(0);
    const bad = await rusty(w, ['gc', '--retention-days', 'soon']);
    expect(bad.code, bad.stderr).toBe(2);
    expect(parseJson<ErrorJson>(bad).error).toEqual({ code: 'usage', message: expect.stringMatching(/argument 'soon' is invalid\. --retention-days must be a number ≥ 0/) });
    expect(bad.stderr).not.toMatch(/internal error|\n\s+at /);
  }, 30_000);
});

/** A workspace port whose process "dies" on the second file write (in-process, for set-up). */
/** The process "dies" right after the first file of a batch is renamed into place: nothing after that runs. */
class DiesOnSecondWrite extends NodeWorkspaceFs {
  private dead = false;

  private alive(): void {
    if (this.dead) throw new Error('simulated crash');
  }

  override async applyBatch(ops: BatchOp[], opts: { tag: string; onEach?: (done: number, total: number, rel: string) => void }): Promise<void> {
    return super.applyBatch(ops, { ...opts, onEach: (done) => { if (done >= 1) { this.dead = true; this.alive(); } } });
  }

  override async read(rel: string) { this.alive(); return super.read(rel); }
  override async writeAtomic(rel: string, bytes: Uint8Array, opts: { tag: string; mode?: number }) { this.alive(); return super.writeAtomic(rel, bytes, opts); }
  override async remove(rel: string) { this.alive(); return super.remove(rel); }
  override async removeTemp(rel: string, tag: string) { this.alive(); return super.removeTemp(rel, tag); }
}

describe('recovery of an interrupted apply', () => {
  it('`recover --json` lists what it undid; any other locking command recovers first and says so on stderr', async () => {
    const { w, set } = fixture();
    const initial = treeSnapshot(w.root);
    const { proposal } = await w.core().submit(set);
    await expect(w.core({ wfs: new DiesOnSecondWrite(w.root) }).approve(proposal.id)).rejects.toThrow('simulated crash');
    expect(w.read('src/a.ts')).not.toBe(lines(40)); // the first file was written

    const r = await rusty(w, ['recover']);
    expect(r.code, r.stderr).toBe(0);
    const { recovered } = parseJson<{ recovered: Record<string, unknown>[] }>(r);
    expect(recovered).toEqual([{
      txid: expect.stringMatching(/^tx/), proposalId: proposal.id, kind: 'apply', outcome: 'undone',
      files: ['src/a.ts', 'src/b.ts', 'src/new/c.ts', 'old.ts', 'moved.ts', 'mv.ts'], rescued: [],
    }]);
    expect(r.stderr).toMatch(new RegExp(`^rusty: recovered an interrupted apply of ${proposal.id}: restored the files to before it \\(6 files\\)\\.\n$`));
    expect(treeSnapshot(w.root)).toEqual(initial);
    expect(parseJson(await rusty(w, ['recover']))).toEqual({ recovered: [] });

    // Interrupted again; this time the next command (a submit) does the recovery.
    const { proposal: second } = await w.core().submit(cs([modify(w, 'src/b.ts', 'x\n'), modify(w, 'src/a.ts', 'y\n')], 'second'));
    await expect(w.core({ wfs: new DiesOnSecondWrite(w.root) }).approve(second.id)).rejects.toThrow('simulated crash');
    const sub = await rusty(w, ['submit', '-'], { input: JSON.stringify(cs([{ kind: 'create', path: 'z.ts', content: 'z\n' }], 'third')) });
    expect(sub.code, sub.stderr).toBe(0);
    expect(sub.stderr).toMatch(new RegExp(`^rusty: recovered an interrupted apply of ${second.id}: restored the files to before it \\(2 files\\)\\.\n$`));
    expect(treeSnapshot(w.root)).toEqual(initial);
    expect(w.core().auditEntries().filter((e) => e.action === 'recovered')).toHaveLength(2);
  }, 30_000);
});

describe('refusals: exit 1 with {"error":{code,message}} and one stderr line', () => {
  it('an unknown proposal id', async () => {
    const { w } = fixture();
    for (const cmd of [['show', 'p0nope'], ['approve', 'p0nope'], ['rollback', 'p0nope'], ['redo', 'p0nope'], ['reject', 'p0nope', '--reason', 'x']]) {
      expectRefusal(await rusty(w, cmd), 1, 'not-found', /No proposal p0nope in this workspace \(see `rusty list`\)/);
    }
    expectRefusal(await rusty(w, ['show', '../../etc/passwd']), 1, 'not-found', /ids contain only letters, digits/);
  }, 30_000);

  it('a file that is not JSON, on a path or on stdin', async () => {
    const { w } = fixture();
    const file = writeChangeSet(w, 'broken.json', '{"title": "x", "edits": [');
    const err = expectRefusal(await rusty(w, ['submit', file]), 1, 'invalid-change-set', /broken\.json is not valid JSON: /);
    expect(err.message).toContain(file);
    expectRefusal(await rusty(w, ['submit', '-'], { input: 'not json at all' }), 1, 'invalid-change-set', /^Standard input is not valid JSON: /);
    expectRefusal(await rusty(w, ['submit', '-'], { input: '' }), 1, 'invalid-change-set', /^Standard input is not valid JSON/);
    // Text mode: nothing on stdout, the reason on stderr.
    const text = await rusty(w, ['submit', file], { json: false });
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/^rusty: .*broken\.json is not valid JSON: .*\n$/);
  }, 30_000);

  it('a change set that does not match the schema names every bad field', async () => {
    const { w } = fixture();
    const err = expectRefusal(await rusty(w, ['submit', '-'], { input: JSON.stringify({ title: '', source: 'x', edits: [{ kind: 'modify', path: 'src/a.ts', baseHash: 'abc', content: 'x' }, { kind: 'explode', path: 'a' }] }) }),
      1, 'invalid-change-set', /^Invalid change set — /);
    expect(err.message).toMatch(/title: must not be empty/);
    expect(err.message).toMatch(/edits\[0\]\.baseHash: must be a sha256 hex string/);
    expect(err.message).toMatch(/edits\[1\]\.kind: must have a 'kind' of modify, create, delete or rename/);
    expectRefusal(await rusty(w, ['submit', '-'], { input: JSON.stringify(cs([{ kind: 'create', path: '../escape.ts', content: 'x' }])) }),
      1, 'invalid-change-set', /edits\[0\]\.path: path "\.\.\/escape\.ts" contains '\.\.'/);
    expect(w.core().list()).toEqual([]);
  }, 30_000);

  it('a base hash that no longer matches is stale', async () => {
    const { w } = fixture();
    const set = cs([{ kind: 'modify', path: 'src/a.ts', baseHash: 'a'.repeat(64), content: 'x\n' }]);
    expectRefusal(await rusty(w, ['submit', '-'], { input: JSON.stringify(set) }), 1, 'stale', /^src\/a\.ts: changed since the change set was computed/);
  }, 30_000);

  it('a rollback over later overlapping edits is a conflict; --force restores exactly', async () => {
    const { w } = fixture();
    const { id } = parseJson<{ id: string }>(await rusty(w, ['submit', '-'], { input: JSON.stringify(cs([modify(w, 'src/a.ts', lines(40).replace('line 10', 'PROPOSED 10'))])) }));
    await rusty(w, ['approve', id]);
    w.write('src/a.ts', lines(40).replace('line 10', 'PROPOSED 10 and mine'));
    const err = expectRefusal(await rusty(w, ['rollback', id]), 1, 'conflict', /Cannot roll back .* line 10\. Nothing was written\. A forced rollback restores the checkpoint exactly.* Run `rusty rollback p\w+ --force` to do that\./);
    expect(err.details).toMatchObject({ conflicts: [{ path: 'src/a.ts', lines: [10] }] });
    const forced = await rusty(w, ['rollback', id, '--force']);
    expect(forced.code).toBe(0);
    expect(parseJson(forced)).toMatchObject({ id, status: 'rolled-back', forced: true });
    expect(w.read('src/a.ts')).toBe(lines(40));
    expectRefusal(await rusty(w, ['rollback', id]), 1, 'bad-state', /it is rolled back; you can redo it/);
  }, 30_000);

  it('approving an applied proposal again, and an unknown hunk', async () => {
    const { w, set } = fixture();
    const { id } = parseJson<{ id: string }>(await rusty(w, ['submit', '-'], { input: JSON.stringify(set) }));
    expectRefusal(await rusty(w, ['approve', id, '--hunks', 'deadbeef']), 1, 'not-found', new RegExp(`has no hunk deadbeef; see \`rusty show ${id} --diff\``));
    expectRefusal(await rusty(w, ['approve', id, '--files', 'nope.ts']), 1, 'not-found', /has no file nope\.ts/);
    expect((await rusty(w, ['approve', id])).code).toBe(0);
    expectRefusal(await rusty(w, ['approve', id]), 1, 'bad-state', /is already applied; nothing was written/);
  }, 30_000);
});

describe('usage errors: exit 2', () => {
  it('an unknown command, a missing argument, an unknown option or status, no arguments at all', async () => {
    const { w } = fixture();
    const unknown = await rusty(w, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(parseJson<ErrorJson>(unknown).error).toEqual({ code: 'usage', message: "unknown command 'frobnicate'" });
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);

    const missing = await rusty(w, ['approve']);
    expect(missing.code).toBe(2);
    expect(parseJson<ErrorJson>(missing).error).toEqual({ code: 'usage', message: "missing required argument 'id'" });
    const missingFile = await rusty(w, ['submit'], { json: false });
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toMatch(/missing required argument 'file'/);

    const option = await rusty(w, ['list', '--colour']);
    expect(option.code).toBe(2);
    expect(parseJson<ErrorJson>(option).error.message).toMatch(/unknown option '--colour'/);
    expectRefusal(await rusty(w, ['list', '--status', 'done']), 2, 'usage', /Unknown status done; use one of pending, /);

    const bare = await cli.run([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toMatch(/Usage: rusty/);
    const help = await cli.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/approve \[options\] <id>/);
  }, 30_000);

  it('a change-set file that cannot be read', async () => {
    const { w } = fixture();
    expectRefusal(await rusty(w, ['submit', path.join(w.root, 'missing.json')]), 2, 'usage', /^Cannot read .*missing\.json: ENOENT/);
  }, 30_000);

  it('a workspace folder that does not exist (or is a file) is named in the error', async () => {
    const { w } = fixture();
    const nowhere = path.join(path.dirname(w.root), 'no-such-folder');
    expectRefusal(await rusty(w, ['list'], { workspace: nowhere }), 2, 'usage', new RegExp(`^Workspace folder ${nowhere} does not exist\\.$`));
    expectRefusal(await rusty(w, ['submit', '-'], { workspace: nowhere, input: '{}' }), 2, 'usage', /does not exist/);
    expectRefusal(await rusty(w, ['list'], { workspace: path.join(w.root, 'old.ts') }), 2, 'usage', /old\.ts does not exist/);
    expect(fs.existsSync(nowhere)).toBe(false);
  }, 30_000);
});

describe('where the workspace is', () => {
  it('-w, a relative -w and the current folder all name the same workspace and share its state', async () => {
    const { w, set } = fixture();
    const fromCwd = await rusty(w, ['submit', '-'], { workspace: null, cwd: w.root, input: JSON.stringify(set) });
    expect(fromCwd.code, fromCwd.stderr).toBe(0);
    const { id } = parseJson<{ id: string }>(fromCwd);
    const listed = async (opts: Opts) => parseJson<{ proposals: { id: string }[] }>(await rusty(w, ['list'], opts)).proposals.map((p) => p.id);
    expect(await listed({})).toEqual([id]);
    expect(await listed({ workspace: path.basename(w.root), cwd: path.dirname(w.root) })).toEqual([id]);
    expect(await listed({ workspace: './ws/../ws', cwd: path.dirname(w.root) })).toEqual([id]);
    // Another folder is another workspace, with its own (empty) queue.
    const elsewhere = path.join(path.dirname(w.root), 'elsewhere');
    fs.mkdirSync(elsewhere);
    expect(await listed({ workspace: null, cwd: elsewhere })).toEqual([]);
    // Approve from the current folder writes into it.
    expect((await rusty(w, ['approve', id], { workspace: null, cwd: w.root })).code).toBe(0);
    expect(w.read('moved.ts')).toBe('move me\n');
  }, 30_000);
});

describe('partial approval', () => {
  it('`show --diff` prints hunk ids that `approve --hunks` accepts', async () => {
    const { w, set, newA } = fixture();
    const { id } = parseJson<{ id: string }>(await rusty(w, ['submit', '-'], { input: JSON.stringify(set) }));
    const text = await rusty(w, ['show', id, '--diff'], { json: false });
    expect(text.code).toBe(0);
    const hunkIds = [...text.stdout.matchAll(/^@@ -\d+,\d+ \+\d+,\d+ @@ hunk (\S+)$/gm)].map((m) => m[1]!);
    expect(hunkIds.length).toBeGreaterThanOrEqual(4); // two in src/a.ts, one each for b, c, old
    expect(text.stdout).toContain('--- a/src/a.ts\n+++ b/src/a.ts');
    expect(text.stdout).toContain('--- /dev/null\n+++ b/src/new/c.ts');
    const jsonDiff = parseJson<{ diff: string }>(await rusty(w, ['show', id, '--diff'])).diff;
    for (const h of hunkIds) expect(jsonDiff).toContain(`hunk ${h}`);

    // The second hunk of src/a.ts (line 30) only.
    const r = await rusty(w, ['approve', id, '--hunks', hunkIds[1]!]);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson(r)).toMatchObject({ id, status: 'partially-applied', applied: ['src/a.ts'], partial: true });
    expect(w.read('src/a.ts')).toBe(lines(40).replace('line 30\n', 'LINE 30\n'));
    expect(w.read('src/b.ts')).toBe(lines(5, 'b'));
    expect(w.exists('old.ts')).toBe(true);
    expect(newA).toContain('LINE 3\n');
  }, 30_000);

  it('`approve --files` applies only the named files (both names of a rename work)', async () => {
    const { w, set } = fixture();
    const { id } = parseJson<{ id: string }>(await rusty(w, ['submit', '-'], { input: JSON.stringify(set) }));
    const r = await rusty(w, ['approve', id, '--files', 'src/b.ts', 'moved.ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson(r)).toMatchObject({ status: 'partially-applied', applied: ['src/b.ts', 'moved.ts', 'mv.ts'], partial: true });
    expect(w.read('src/b.ts')).toBe(lines(5, 'B'));
    expect(w.read('src/a.ts')).toBe(lines(40));
    expect([w.exists('mv.ts'), w.exists('moved.ts'), w.exists('src/new/c.ts')]).toEqual([false, true, false]);
  }, 30_000);

  it('text output (without --json) is for people: it says what happened and what to run next', async () => {
    const { w, set } = fixture();
    const sub = await rusty(w, ['submit', '-'], { json: false, input: JSON.stringify(set) });
    expect(sub.code).toBe(0);
    const id = /^Queued (p[0-9a-z]+)\s/.exec(sub.stdout)?.[1];
    expect(id).toBeDefined();
    const applied = await rusty(w, ['approve', id!], { json: false });
    expect(applied.stdout).toMatch(new RegExp(`^Applied ${id}: 6 files written, checkpoint cp\\S+\\.`));
    expect(applied.stdout).toContain(`Undo with: rusty rollback ${id}`);
    expect(applied.stderr).toBe('');
  }, 30_000);
});

describe('cancellation', () => {
  it('Ctrl-C during `review` stops the analysis, queues nothing and writes nothing', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) files[`src/m${i}.ts`] = `import { a } from './a';\nimport { unused${i} } from './b';\nexport const v${i} = a + ${i};\n`;
    files['src/a.ts'] = 'export const a = 1;\n';
    ws = tempWorkspace(files);
    const before = treeSnapshot(ws.root);
    const started = Date.now();
    const child = cli.spawn(['review', '--json', '-w', ws.root], { env: { RUSTY_STATE_DIR: ws.stateRoot } });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const r = await cli.collect(child, started);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/stopping…/);
    expect(parseJson<{ error: { code: string; message: string } }>(r).error).toMatchObject({ code: 'cancelled', message: expect.stringMatching(/nothing was written/) });
    expect(parseJson<{ proposals: unknown[] }>(await rusty(ws, ['list'])).proposals).toEqual([]);
    expect(treeSnapshot(ws.root)).toEqual(before);
  }, 60_000);
});
