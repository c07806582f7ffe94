// Corrupt state files and `rusty doctor`, through the built CLI (`npm run build` first) on real
// temp workspaces and state folders: a damaged file is named, quarantined and audited, the rest
// keeps working, and doctor finds, repairs and then reports a clean folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { parseJson, prepareCli, type Cli, type CliResult } from '../core/testing/cli';
import type { DoctorReport } from '../core/doctor/doctor';

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

function rusty(w: TempWorkspace, args: string[], json = true): Promise<CliResult> {
  return cli.run([...args, ...(json ? ['--json'] : []), '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });
}

const cs = (title: string, edits: unknown[]) => JSON.stringify({ title, source: 'test:doctor', edits });

/** A workspace with three pending proposals and one applied; returns their ids and the state folder. */
async function queued(): Promise<{ w: TempWorkspace; ids: string[]; applied: string; stateDir: string }> {
  const w = (ws = tempWorkspace({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n', 'd.txt': 'd\n' }));
  const ids: string[] = [];
  for (const f of ['a', 'b', 'c', 'd']) {
    const r = await cli.run(['submit', '-', '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot }, input: cs(`change ${f}`, [modify(w, `${f}.txt`, `${f}${f}\n`)]) });
    expect(r.code, r.stderr).toBe(0);
    ids.push(parseJson<{ id: string }>(r).id);
  }
  const applied = ids.pop()!;
  expect((await rusty(w, ['approve', applied])).code).toBe(0);
  return { w, ids, applied, stateDir: w.core().stateDir };
}

const proposalFile = (stateDir: string, id: string) => path.join(stateDir, 'proposals', `${id}.json`);
const quarantined = (stateDir: string) => fs.existsSync(path.join(stateDir, 'quarantine')) ? fs.readdirSync(path.join(stateDir, 'quarantine')) : [];

function truncate(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
}

describe('corrupt state files', () => {
  it('a truncated proposal: list shows the others and warns, show names it as corrupt and quarantined, gc works', async () => {
    const { w, ids, applied, stateDir } = await queued();
    const bad = ids[1]!;
    truncate(proposalFile(stateDir, bad));

    const list = await rusty(w, ['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(parseJson<{ proposals: { id: string }[] }>(list).proposals.map((p) => p.id).sort()).toEqual([ids[0], ids[2], applied].sort());
    const warning = list.stderr.trim().split('\n');
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatch(new RegExp(`^rusty: warning: 1 corrupt proposal file was quarantined \\(proposals/${bad}\\.json\\).*rusty doctor`));
    expect(fs.existsSync(proposalFile(stateDir, bad))).toBe(false);
    const q = quarantined(stateDir);
    expect(q.filter((n) => n.endsWith('.reason.json'))).toHaveLength(1);
    const reason = JSON.parse(fs.readFileSync(path.join(stateDir, 'quarantine', q.find((n) => n.endsWith('.reason.json'))!), 'utf8')) as Record<string, string>;
    expect(reason).toMatchObject({ kind: 'proposal', original: `proposals/${bad}.json`, reason: expect.stringMatching(/not valid JSON.*truncated or garbled/) });
    // The quarantine is in the audit log, and the chain still verifies.
    expect(w.core().auditEntries().filter((e) => e.action === 'quarantined').map((e) => e.details.original)).toEqual([`proposals/${bad}.json`]);
    expect((await rusty(w, ['audit', '--verify'])).code).toBe(0);

    // Listed again: same proposals, the warning stays while the file sits in quarantine.
    const again = await rusty(w, ['list'], false);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/1 corrupt proposal file was quarantined/);

    const show = await rusty(w, ['show', bad]);
    expect(show.code).toBe(1);
    const { error } = parseJson<{ error: { code: string; message: string } }>(show);
    expect(error.code).toBe('bad-state');
    expect(error.message).toMatch(new RegExp(`^Proposal ${bad} is corrupt and has been quarantined \\(.*proposals/${bad}\\.json: not valid JSON.*\\); it is kept at .*quarantine.*rusty doctor`));

    expect((await rusty(w, ['show', ids[0]!])).code).toBe(0);
    const gc = await rusty(w, ['gc', '--retention-days', '0']);
    expect(gc.code, gc.stderr).toBe(0);
    expect((await rusty(w, ['approve', ids[0]!])).code).toBe(0);
  }, 60_000);

  it('a proposal missing fields is named with the fields, not a property error', async () => {
    const { w, ids, stateDir } = await queued();
    const file = proposalFile(stateDir, ids[0]!);
    const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete p.createdAt;
    delete p.files;
    fs.writeFileSync(file, JSON.stringify(p));

    const show = await rusty(w, ['show', ids[0]!]);
    expect(show.code).toBe(1);
    const msg = parseJson<{ error: { message: string } }>(show).error.message;
    expect(msg).toMatch(/missing or invalid fields — createdAt: missing \(expected string\); files: missing \(expected array\)/);
    expect(msg).not.toMatch(/localeCompare|undefined/);
    const list = await rusty(w, ['list']);
    expect(list.code).toBe(0);
    expect(parseJson<{ proposals: unknown[] }>(list).proposals).toHaveLength(3);
  }, 60_000);

  it('a garbled checkpoint manifest: rollback names the file and says what to do; the rest still works', async () => {
    const { w, ids, applied, stateDir } = await queued();
    const cp = w.core().get(applied).applied!.checkpointId;
    const file = path.join(stateDir, 'checkpoints', `${cp}.json`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"files"/, '"fil\u0000es'));

    const r = await rusty(w, ['rollback', applied]);
    expect(r.code).toBe(1);
    const { error } = parseJson<{ error: { code: string; message: string } }>(r);
    expect(error.code).toBe('checkpoint-missing');
    expect(error.message).toContain(`Checkpoint ${cp} is corrupt (${file}: not valid JSON`);
    expect(error.message).toMatch(/moved to .*quarantine.*cannot be undone automatically: restore the files from version control/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(w.read('d.txt')).toBe('dd\n');
    // Asked again, the same explanation (the manifest is in quarantine now).
    expect(parseJson<{ error: { message: string } }>(await rusty(w, ['rollback', applied])).error.message).toContain(`Checkpoint ${cp} is corrupt`);
    expect((await rusty(w, ['gc'])).code).toBe(0);
    expect((await rusty(w, ['approve', ids[0]!])).code).toBe(0);
  }, 60_000);
});

describe('a damaged journal record', () => {
  it('every command names it and points at doctor --repair, which moves it aside so the rest works again', async () => {
    const { w, ids, stateDir } = await queued();
    const journal = path.join(stateDir, 'journal', 'tx-1.json');
    fs.writeFileSync(journal, JSON.stringify({ txid: 'tx-1', state: 'intent', kind: 'apply' }));
    const list = await rusty(w, ['list']);
    expect(list.code).toBe(1);
    expect(parseJson<{ error: { message: string } }>(list).error.message)
      .toMatch(new RegExp(`^Journal record ${journal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(checkpointId: missing.*rusty doctor --repair`));
    const repair = await rusty(w, ['doctor', '--repair']);
    expect(repair.code, repair.stdout).toBe(0);
    expect(parseJson<DoctorReport>(repair).repaired).toEqual([{ file: journal, action: expect.stringMatching(/^moved to .*quarantine/) }]);
    expect((await rusty(w, ['approve', ids[0]!])).code).toBe(0);
  }, 60_000);
});

describe('rusty doctor', () => {
  it('reports each kind of problem, --repair fixes them and says what it did, a second doctor is clean', async () => {
    const { w, ids, applied, stateDir } = await queued();
    const core = w.core();
    const clean = await rusty(w, ['doctor']);
    expect(clean.code, clean.stdout).toBe(0);
    expect(parseJson<DoctorReport>(clean)).toMatchObject({ ok: true, problems: [], repaired: [], checked: { proposals: 4, checkpoints: 1, journal: 0 } });

    // One of each: truncated proposal, garbled checkpoint, damaged journal record, garbled grants
    // file, stale lock of a dead process, old temp files, unreadable audit head.
    truncate(proposalFile(stateDir, ids[0]!));
    const cpFile = path.join(stateDir, 'checkpoints', `${core.get(applied).applied!.checkpointId}.json`);
    fs.writeFileSync(cpFile, '{"id": 1}');
    fs.writeFileSync(path.join(stateDir, 'journal', 'tx-broken.json'), '{"txid": "tx-broken", "state": "intent"}');
    fs.mkdirSync(path.join(stateDir, 'mcp'), { recursive: true });
    fs.writeFileSync(path.join(stateDir, 'mcp', 'grants.json'), '{"version": 1, "grants": ');
    fs.writeFileSync(path.join(stateDir, 'state.lock'), JSON.stringify({ pid: 2 ** 22 + 4321, host: (await import('node:os')).hostname(), since: 'x', purpose: 'approve' }));
    const temps = [path.join(stateDir, 'proposals', `.x.json.rusty-tmp-abc`), path.join(stateDir, 'blobs', '.tmp.rusty-tmp-def')];
    for (const t of temps) {
      fs.writeFileSync(t, 'partial');
      fs.utimesSync(t, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    }
    fs.writeFileSync(`${core.paths.audit}.head`, 'garbage');

    const found = await rusty(w, ['doctor']);
    expect(found.code).toBe(1);
    const report = parseJson<DoctorReport>(found);
    expect(report.ok).toBe(false);
    const byKind = (k: string) => report.problems.filter((p) => p.kind === k);
    expect(byKind('proposal')).toEqual([expect.objectContaining({ file: proposalFile(stateDir, ids[0]!), problem: expect.stringMatching(/not valid JSON/), repair: 'quarantine' })]);
    expect(byKind('checkpoint')).toEqual([expect.objectContaining({ file: cpFile, problem: expect.stringMatching(/missing or invalid fields — id: /), repair: 'quarantine' })]);
    expect(byKind('journal')).toEqual([expect.objectContaining({ problem: expect.stringMatching(/kind: .*checkpointId: /), repair: 'quarantine' })]);
    expect(byKind('grants')).toEqual([expect.objectContaining({ problem: expect.stringMatching(/not valid JSON/), repair: 'quarantine' })]);
    expect(byKind('lock')).toEqual([expect.objectContaining({ problem: expect.stringMatching(/stale lock: its owner, process \d+ \(approve\), is no longer running/), repair: 'remove' })]);
    expect(byKind('temp').map((p) => p.file).sort()).toEqual([...temps].sort());
    expect(byKind('audit-head')).toEqual([expect.objectContaining({ repair: 'rewrite-head' })]);
    for (const p of report.problems) expect(p.fix.length).toBeGreaterThan(5);
    // Checking changed nothing.
    expect(fs.existsSync(proposalFile(stateDir, ids[0]!))).toBe(true);
    expect(fs.existsSync(temps[0]!)).toBe(true);

    const text = await rusty(w, ['doctor'], false);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/8 problems:/);
    expect(text.stdout).toContain(`  ${cpFile}\n    problem: missing or invalid fields`);
    expect(text.stdout).toMatch(/fix: .*\(`rusty doctor --repair` does this\)/);

    const repair = await rusty(w, ['doctor', '--repair']);
    expect(repair.code, repair.stdout).toBe(0);
    const repaired = parseJson<DoctorReport>(repair);
    expect(repaired.ok).toBe(true);
    expect(repaired.problems).toEqual([]);
    expect(repaired.repaired.map((a) => a.action)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^took over the stale lock/), expect.stringMatching(/^moved to .*quarantine/), 'removed the temp file', expect.stringMatching(/^rewrote it from the log/),
    ]));
    expect(repaired.repaired).toHaveLength(8);
    expect(repaired.quarantined.map((q) => q.kind).sort()).toEqual(['checkpoint', 'grants', 'journal', 'proposal']);
    for (const t of temps) expect(fs.existsSync(t)).toBe(false);

    const second = await rusty(w, ['doctor']);
    expect(second.code).toBe(0);
    expect(parseJson<DoctorReport>(second)).toMatchObject({ ok: true, problems: [] });
    expect((await rusty(w, ['doctor'], false)).stdout).toMatch(/No problems found\.\n\nQuarantined \(kept for you to inspect; delete them when done\): 4/);
    expect((await rusty(w, ['audit', '--verify'])).code).toBe(0);
    expect(w.core().auditEntries().filter((e) => e.action === 'doctor')).toHaveLength(1);
    expect((await rusty(w, ['list'])).code).toBe(0);
  }, 90_000);

  it('a damaged blob and a tampered audit log are reported; what --repair cannot fix keeps exit 1', async () => {
    const { w, applied, stateDir } = await queued();
    const cp = w.core().checkpoints.get(w.core().get(applied).applied!.checkpointId);
    const blob = cp.files[0]!.after!;
    const blobFile = path.join(stateDir, 'blobs', blob.slice(0, 2), blob.slice(2));
    fs.chmodSync(blobFile, 0o644);
    fs.writeFileSync(blobFile, 'not the bytes\n');
    const audit = w.core().paths.audit;
    fs.writeFileSync(audit, fs.readFileSync(audit, 'utf8').replace('"action":"approved"', '"action":"rejected"'));

    const r = parseJson<DoctorReport>(await rusty(w, ['doctor']));
    expect(r.problems.map((p) => p.kind).sort()).toEqual(['audit', 'blob', 'checkpoint']);
    expect(r.problems.find((p) => p.kind === 'audit')).toMatchObject({ problem: expect.stringMatching(/was edited after it was written/), fix: expect.stringMatching(/evidence/) });
    expect(r.problems.find((p) => p.kind === 'audit')!.repair).toBeUndefined();
    expect(r.problems.find((p) => p.kind === 'checkpoint')!.problem).toMatch(new RegExp(`blob ${blob.slice(0, 12)} is damaged`));

    const repair = await rusty(w, ['doctor', '--repair']);
    expect(repair.code).toBe(1);
    const after = parseJson<DoctorReport>(repair);
    expect(after.repaired).toEqual([{ file: blobFile, action: expect.stringMatching(/^moved to /) }]);
    expect(after.problems.map((p) => p.kind).sort()).toEqual(['audit', 'checkpoint']);
    expect(after.problems.find((p) => p.kind === 'checkpoint')!.problem).toMatch(/is missing/);
  }, 60_000);

  it('the gateway\'s files: a damaged queue, clients file, policy and plan and a stale gateway lock are reported and repaired', async () => {
    const w = (ws = tempWorkspace({ 'a.txt': 'a\n' }));
    expect((await rusty(w, ['gateway', 'add', 'bot', '--scope', 'propose'])).code).toBe(0);
    const stateDir = w.core().stateDir;
    const gw = path.join(stateDir, 'gateway');
    const dead = { id: 't-1', client: 'bot', kind: 'change-set', priority: 'normal', payloadHash: 'h', receivedAt: 'x', failedAt: 'y', code: 'validation', reason: 'path outside the workspace' };
    fs.writeFileSync(path.join(gw, 'queue.json'), JSON.stringify({ version: 1, seq: 1, entries: [], done: [], dead: [dead] }));
    fs.writeFileSync(path.join(gw, 'policy.json'), JSON.stringify({ ratePerMinute: 10 }));
    expect(parseJson<DoctorReport>(await rusty(w, ['doctor']))).toMatchObject({ ok: true, problems: [] });

    fs.writeFileSync(path.join(gw, 'queue.json'), JSON.stringify({ version: 1, seq: 1, entries: [], done: [], dead: [{ ...dead, reason: undefined }] }));
    truncate(path.join(gw, 'clients.json'));
    fs.writeFileSync(path.join(gw, 'policy.json'), JSON.stringify({ ratePerMinute: 10, autoApprove: ['everything'] }));
    fs.mkdirSync(path.join(gw, 'plans'), { recursive: true });
    fs.writeFileSync(path.join(gw, 'plans', 'pl-1.json'), '{"id": "pl-2"');
    fs.writeFileSync(path.join(gw, 'gateway.lock'), JSON.stringify({ pid: 2 ** 22 + 4321, host: (await import('node:os')).hostname(), since: 'x', purpose: 'gateway-queue' }));
    // The gateway refuses to work with them, naming the file.
    const clients = await rusty(w, ['gateway', 'clients']);
    expect(clients.code).not.toBe(0);
    expect(clients.stderr).toContain('clients.json');

    const report = parseJson<DoctorReport>(await rusty(w, ['doctor']));
    expect(report.ok).toBe(false);
    const gateway = report.problems.filter((p) => p.kind === 'gateway');
    expect(gateway.map((p) => path.relative(gw, p.file)).sort()).toEqual(['clients.json', path.join('plans', 'pl-1.json'), 'policy.json', 'queue.json']);
    expect(gateway.find((p) => p.file.endsWith('queue.json'))).toMatchObject({ problem: 'missing or invalid fields — dead[0].reason: missing (expected string)', fix: expect.stringMatching(/empty queue.*quarantine folder/), repair: 'quarantine' });
    expect(gateway.find((p) => p.file.endsWith('clients.json'))).toMatchObject({ problem: expect.stringMatching(/not valid JSON/), fix: expect.stringMatching(/rusty gateway add NAME/) });
    expect(gateway.find((p) => p.file.endsWith('policy.json'))).toMatchObject({ problem: expect.stringMatching(/autoApprove/), fix: expect.stringMatching(/defaults/) });
    expect(report.problems.filter((p) => p.kind === 'lock')).toEqual([expect.objectContaining({ file: path.join(gw, 'gateway.lock'), repair: 'remove' })]);
    expect((await rusty(w, ['doctor'], false)).stdout).toMatch(/5 problems:[\s\S]*gateway\/queue\.json\n {4}problem: .*dead\[0\]\.reason/);

    const repaired = parseJson<DoctorReport>(await rusty(w, ['doctor', '--repair']));
    expect(repaired).toMatchObject({ ok: true, problems: [] });
    expect(repaired.quarantined.map((q) => q.original).sort()).toEqual(['gateway/clients.json', 'gateway/plans/pl-1.json', 'gateway/policy.json', 'gateway/queue.json']);
    expect(fs.existsSync(path.join(gw, 'gateway.lock'))).toBe(false);
    expect(parseJson<DoctorReport>(await rusty(w, ['doctor']))).toMatchObject({ ok: true, problems: [] });
    // The gateway works again: no clients until one is added.
    expect(parseJson<{ clients: unknown[] }>(await rusty(w, ['gateway', 'clients'])).clients).toEqual([]);
    expect((await rusty(w, ['gateway', 'add', 'bot', '--scope', 'propose'])).code).toBe(0);
  }, 90_000);

  it('--json shape', async () => {
    const { w } = await queued();
    const r = parseJson<Record<string, unknown>>(await rusty(w, ['doctor']));
    expect(Object.keys(r).sort()).toEqual(['checked', 'ok', 'problems', 'quarantined', 'repaired', 'stateDir']);
    expect(Object.keys(r.checked as object).sort()).toEqual(['auditEntries', 'blobs', 'checkpoints', 'journal', 'proposals']);
  }, 60_000);
});

describe('audit --verify with the witness outside the state folder', () => {
  it('truncating the tail and deleting the .head file is caught (it passed before); failures go to stderr, and stdout with --json', async () => {
    const { w } = await queued();
    const audit = w.core().paths.audit;
    const witness = path.join(w.stateRoot, 'witness');
    expect(fs.readdirSync(witness)).toHaveLength(1);
    const all = fs.readFileSync(audit, 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(audit, all.slice(0, -2).map((l) => `${l}\n`).join(''));
    fs.rmSync(`${audit}.head`);

    const json = await rusty(w, ['audit', '--verify']);
    expect(json.code).toBe(1);
    const v = parseJson<{ ok: boolean; problem: string; message: string; witnesses: { status: string }[]; limits: string }>(json);
    expect(v).toMatchObject({ ok: false, problem: 'removed', witnesses: [{ status: 'ahead' }] });
    expect(v.message).toMatch(new RegExp(`records seq ${all.length}: entries seq ${all.length - 1}–${all.length} were deleted .* and the head file was removed`));
    expect(v.limits).toMatch(/cannot prove anything against someone with write access to the log and to every witness/);
    expect(json.stderr).toMatch(/^rusty: audit log FAILED verification/);

    const text = await rusty(w, ['audit', '--verify'], false);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/FAILED verification .*witness file .* records seq/);
    expect(text.stderr).toMatch(/What this can prove: /);
    // doctor names it too, as a problem only a person can settle.
    expect(parseJson<DoctorReport>(await rusty(w, ['doctor'])).problems).toEqual([expect.objectContaining({ kind: 'audit', problem: expect.stringMatching(/deleted/) })]);
  }, 60_000);

  it('an intact log verifies with the witness matching, and says what that proves', async () => {
    const { w } = await queued();
    const r = await rusty(w, ['audit', '--verify'], false);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Audit log verified: \d+ entries, hash chain intact/);
    expect(r.stdout).toMatch(/witness file .*: matches \(seq \d+\)/);
    expect(r.stdout).toMatch(/What this proves: The hash chain proves the order of entries/);
  }, 60_000);
});
