// Audit tampering against the chain, the `.head` file and the witnesses kept outside the state
// folder: every tamper, with and without a witness. The cases no local check can catch are tests
// too, stating why (an attacker who can also rewrite every witness can forge everything).
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../util/hash';
import { canonicalJson } from './canonicalJson';
import { AuditLog, FileAuditWitness, MemoryAuditWitness, witnessFileFor, GENESIS_HASH } from './index';
import type { AuditEntry, VerifyResult } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Setup { log: AuditLog; bare: AuditLog; witness: FileAuditWitness; file: string }

/** A log of `n` entries written with a file witness; `bare` reads the same file without it. */
function setup(n: number): Setup {
  const root = mkdtempSync(join(tmpdir(), 'rusty-witness-'));
  dirs.push(root);
  const file = join(root, 'ws-state', 'audit.jsonl');
  const witness = new FileAuditWitness(witnessFileFor(file, { RUSTY_STATE_DIR: root }));
  let tick = 0;
  const now = () => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++));
  const log = new AuditLog(file, { now, witnesses: [witness] });
  for (let i = 0; i < n; i++) log.append({ actor: 'user:alice', action: 'created', proposalId: `p-${i}`, details: { i } });
  return { log, bare: new AuditLog(file, { now }), witness, file };
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').slice(0, -1);
const writeLines = (file: string, ls: string[]) => writeFileSync(file, ls.map((l) => `${l}\n`).join(''));
const failure = (r: VerifyResult) => {
  if (r.ok) throw new Error('expected verify to fail');
  return r;
};

/** Rewrite lines into a consistent chain from the genesis hash (what an attacker can compute). */
function rechain(ls: string[]): string[] {
  let prev = GENESIS_HASH;
  return ls.map((l, i) => {
    const e = JSON.parse(l) as AuditEntry;
    const body: Omit<AuditEntry, 'hash'> = { ...e, seq: i + 1, prevHash: prev };
    delete (body as Partial<AuditEntry>).hash;
    const hash = sha256(`${prev}\n${canonicalJson(body)}`);
    prev = hash;
    return JSON.stringify({ ...body, hash });
  });
}

const head = (file: string) => `${file}.head`;
const writeHead = (file: string, ls: string[]) => {
  const last = JSON.parse(ls[ls.length - 1]!) as AuditEntry;
  writeFileSync(head(file), JSON.stringify({ seq: last.seq, hash: last.hash }));
};

describe('audit witness', () => {
  it('lives outside the per-workspace state folder, in the state root, and follows every append', () => {
    const s = setup(3);
    expect(s.witness.file.startsWith(join(s.file, '..', '..', 'witness'))).toBe(true);
    const last = JSON.parse(lines(s.file)[2]!) as AuditEntry;
    expect(s.witness.read()).toMatchObject({ seq: 3, hash: last.hash });
    const v = s.log.verify();
    expect(v).toEqual({ ok: true, entries: 3, witnesses: [{ name: s.witness.name, status: 'matches', seq: 3 }] });
  });

  it('a witness behind the log (another tool appended) is fine; one that was never written proves nothing', () => {
    const s = setup(2);
    const lagging = new MemoryAuditWitness('extension global state');
    lagging.write({ seq: 1, hash: (JSON.parse(lines(s.file)[0]!) as AuditEntry).hash, at: 'x' });
    const never = new MemoryAuditWitness('fresh');
    const v = new AuditLog(s.file, { witnesses: [s.witness, lagging, never] }).verify();
    expect(v.ok && v.witnesses?.map((w) => w.status)).toEqual(['matches', 'behind', 'absent']);
    // Appending through the lagging witness checks the entry it recorded (still there) and catches up.
    new AuditLog(s.file, { witnesses: [lagging] }).append({ actor: 'a', action: 'shown' });
    expect(lagging.read()?.seq).toBe(3);
    expect(s.log.verify()).toMatchObject({ ok: true, entries: 3 });
  });

  describe('each tamper, with and without the witness', () => {
    it('editing a line: the chain catches it either way', () => {
      const s = setup(5);
      writeFileSync(s.file, readFileSync(s.file, 'utf8').replace('"proposalId":"p-2"', '"proposalId":"p-9"'));
      expect(failure(s.log.verify())).toMatchObject({ line: 3, problem: 'edited' });
      expect(failure(s.bare.verify())).toMatchObject({ line: 3, problem: 'edited' });
    });

    it('deleting a middle line: the chain catches it either way', () => {
      const s = setup(5);
      const ls = lines(s.file);
      writeLines(s.file, [...ls.slice(0, 2), ...ls.slice(3)]);
      expect(failure(s.log.verify())).toMatchObject({ line: 3, problem: 'removed' });
      expect(failure(s.bare.verify())).toMatchObject({ line: 3, problem: 'removed' });
    });

    it('reordering lines: the chain catches it either way', () => {
      const s = setup(5);
      const ls = lines(s.file);
      writeLines(s.file, [ls[0]!, ls[2]!, ls[1]!, ls[3]!, ls[4]!]);
      expect(failure(s.log.verify())).toMatchObject({ line: 2, problem: 'reordered' });
      expect(failure(s.bare.verify())).toMatchObject({ line: 2, problem: 'reordered' });
    });

    it('truncating the tail: the head file catches it, and the witness too', () => {
      const s = setup(5);
      writeLines(s.file, lines(s.file).slice(0, 3));
      expect(failure(s.bare.verify())).toMatchObject({ line: 4, problem: 'removed' });
      unlinkSync(head(s.file)); // only the witness is left to tell
      const r = failure(s.log.verify());
      expect(r).toMatchObject({ line: 4, problem: 'removed', entries: 3 });
      expect(r.message).toContain(`the ${s.witness.name} records seq 5: entries seq 4–5 were deleted from line 4 on and the head file was removed`);
    });

    it('truncating the tail and deleting the .head file: only the witness catches it', () => {
      const s = setup(5);
      writeLines(s.file, lines(s.file).slice(0, 3));
      unlinkSync(head(s.file));
      expect(failure(s.log.verify())).toMatchObject({ line: 4, problem: 'removed' });
      // Without a witness, a shorter log with no head is exactly what a log of 3 entries looks
      // like: nothing inside the state folder remembers entries 4 and 5. Undetectable by design.
      expect(s.bare.verify()).toEqual({ ok: true, entries: 3 });
    });

    it('truncating and rewriting .head consistently: only the witness catches it', () => {
      const s = setup(5);
      const kept = lines(s.file).slice(0, 3);
      writeLines(s.file, kept);
      writeHead(s.file, kept);
      const r = failure(s.log.verify());
      expect(r).toMatchObject({ line: 4, problem: 'removed' });
      expect(r.message).toMatch(/head file was rewritten to match/);
      // Undetectable without a witness: the log and its head agree, and both are in the attacker's reach.
      expect(s.bare.verify()).toEqual({ ok: true, entries: 3 });
    });

    it('rewriting the whole log as a consistent chain of the same length: the witness catches it', () => {
      const s = setup(4);
      const forged = rechain(lines(s.file).map((l) => l.replace('user:alice', 'user:mallory')));
      writeLines(s.file, forged);
      writeHead(s.file, forged);
      const r = failure(s.log.verify());
      expect(r).toMatchObject({ line: 4, problem: 'edited' });
      expect(r.message).toMatch(/is not the entry the witness file .* recorded: the log was rewritten/);
      // Undetectable without a witness: every hash is recomputable by whoever can write the file.
      expect(s.bare.verify()).toEqual({ ok: true, entries: 4 });
    });

    it('a truncation stays in the chain after later appends, even once the witness has moved on', () => {
      const s = setup(5);
      const kept = lines(s.file).slice(0, 3);
      writeLines(s.file, kept);
      writeHead(s.file, kept);
      const e = s.log.append({ actor: 'a', action: 'shown' });
      expect(e.details).toMatchObject({ witnessMismatch: [{ witness: s.witness.name, witnessSeq: 5, fileSeq: 3 }] });
      expect(s.witness.read()?.seq).toBe(4);
      const r = failure(s.log.verify());
      expect(r).toMatchObject({ line: 4, problem: 'removed' });
      expect(r.message).toMatch(/seq 4–5 had been deleted from the end of the log \(the witness file .* had recorded seq 5\)/);
      expect(failure(s.bare.verify())).toMatchObject({ line: 4, problem: 'removed' });
    });

    it('a rewrite past a lagging witness is recorded by the next append through it', () => {
      const s = setup(3);
      const lagging = new MemoryAuditWitness('extension global state');
      lagging.write({ seq: 2, hash: (JSON.parse(lines(s.file)[1]!) as AuditEntry).hash, at: 'x' });
      const forged = rechain([...lines(s.file).map((l) => l.replace('user:alice', 'user:mallory')), lines(s.file)[2]!]);
      writeLines(s.file, forged);
      writeHead(s.file, forged);
      rmSync(s.witness.file);
      const e = new AuditLog(s.file, { witnesses: [lagging] }).append({ actor: 'a', action: 'shown' });
      expect(e.details).toMatchObject({ witnessMismatch: [{ witness: 'extension global state', witnessSeq: 2, fileSeq: 4 }] });
      expect(failure(s.bare.verify())).toMatchObject({ line: 5, problem: 'edited' });
    });

    it('undetectable: truncating and rewriting the .head file and every witness consistently', () => {
      const s = setup(5);
      const kept = lines(s.file).slice(0, 3);
      writeLines(s.file, kept);
      writeHead(s.file, kept);
      const last = JSON.parse(kept[2]!) as AuditEntry;
      s.witness.write({ seq: last.seq, hash: last.hash, at: 'forged' });
      // A local hash chain cannot prove anything against someone who can write the log and every
      // witness: the result is indistinguishable from a log that only ever had 3 entries.
      expect(s.log.verify()).toMatchObject({ ok: true, entries: 3 });
    });

    it('deleting the witness too (with the .head file) leaves it absent, which proves nothing', () => {
      const s = setup(5);
      writeLines(s.file, lines(s.file).slice(0, 3));
      unlinkSync(head(s.file));
      unlinkSync(s.witness.file);
      expect(existsSync(s.witness.file)).toBe(false);
      const v = s.log.verify();
      expect(v).toMatchObject({ ok: true, entries: 3, witnesses: [{ status: 'absent' }] });
    });
  });
});

describe('the batching writer (appendManyAsync)', () => {
  it('moves the .head file and a file witness to the new tail, off the event loop, even for a witness folder not made yet', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rusty-witness-'));
    dirs.push(root);
    const file = join(root, 'ws-state', 'audit.jsonl');
    const witness = new FileAuditWitness(join(root, 'not-yet', 'witness.json'));
    const log = new AuditLog(file, { witnesses: [witness] });
    const entries = await log.appendManyAsync([{ actor: 'a', action: 'x' }, { actor: 'a', action: 'y' }]);
    const last = entries[1]!;
    expect(JSON.parse(readFileSync(log.headFile, 'utf8'))).toEqual({ seq: 2, hash: last.hash });
    expect(witness.read()).toMatchObject({ seq: 2, hash: last.hash });
    await log.appendManyAsync([{ actor: 'a', action: 'z' }]);
    expect(witness.read()?.seq).toBe(3);
    expect(log.verify()).toMatchObject({ ok: true, entries: 3 });
  });
});
