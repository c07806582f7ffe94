// Hash-chained, append-only audit log: one JSON line per entry, each carrying the hash of the
// previous one, so editing, deleting or reordering lines is detectable by verify().
//
// Concurrency: append() does read-tail → maybe-repair → write → write head, which is NOT safe
// against a concurrent appender (two writers would chain from the same entry). Callers hold the
// state folder's inter-process lock around append(); this class deliberately takes no lock of
// its own so it never nests or deadlocks with the caller's.
//
// Durability: the line is fsynced before the sidecar head file (`<file>.head`, `{seq, hash}`) is
// replaced atomically. A crash between the two leaves the head one entry behind, which append()
// notices and ignores (the file wins). A head *ahead* of the file means entries were deleted
// from its end; append() records that in the next entry so the evidence survives.

import { closeSync, existsSync, fsyncSync, ftruncateSync, fstatSync, mkdirSync, openSync, readFileSync, appendFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactSecrets, redactString } from './redact';
import { computeEntryHash, GENESIS_HASH, parseEntryLine } from './entry';
import type { AuditAction, AuditEntry, ParsedLine } from './entry';
import { fsyncDir, lineEndingAt, readByteAt, writeAll } from './fileIo';
import { replaceFileAsync, writeFileDurable } from '../util/fsx';
import type { AuditWitness, WitnessRecord } from './witness';

export { AUDIT_ACTIONS, GENESIS_HASH } from './entry';
export type { AuditAction, AuditEntry } from './entry';

export type VerifyProblem = 'edited' | 'removed' | 'reordered' | 'malformed' | 'truncated';

/**
 * `entries` is the number of entries that verified before the problem (all of them when ok).
 * `line` is 1-based; for entries deleted from the end it is the line after the last one.
 */
export type VerifyResult =
  | { ok: true; entries: number; witnesses?: WitnessStatus[] }
  | { ok: false; line: number; problem: VerifyProblem; message: string; entries: number; witnesses?: WitnessStatus[] };

/**
 * How each witness compared with the log: `matches` (records the last entry), `behind` (records an
 * earlier entry that is still in the chain: it missed later appends, e.g. made by another tool),
 * `absent` (never written or deleted: proves nothing), `ahead`/`mismatch` (truncation or rewrite).
 */
export interface WitnessStatus { name: string; status: 'matches' | 'behind' | 'absent' | 'ahead' | 'mismatch'; seq?: number }

export interface AuditAppendInput {
  actor: string;
  action: AuditAction;
  proposalId?: string;
  details?: Record<string, unknown>;
}

export interface AuditReadFilter {
  proposalId?: string;
  action?: string;
  /** Keep only the last `limit` matching entries (the most recent), still oldest first. */
  limit?: number;
}

interface Head { seq: number; hash: string }

interface Batch { entries: AuditEntry[]; bytes: Buffer; last: Head; created: boolean }

export class AuditLog {
  readonly headFile: string;
  private readonly now: () => Date;
  private readonly witnesses: readonly AuditWitness[];

  constructor(readonly file: string, opts?: { now?: () => Date; witnesses?: readonly AuditWitness[] }) {
    this.headFile = `${file}.head`;
    this.now = opts?.now ?? (() => new Date());
    this.witnesses = opts?.witnesses ?? [];
  }

  /** Synchronous and durable: when it returns, the entry is fsynced. Caller holds the lock. */
  append(input: AuditAppendInput): AuditEntry {
    return this.appendMany([input])[0]!;
  }

  /**
   * Several entries, chained in order, with one tail check, one write and one fsync (for
   * batching writers such as the MCP audit sink). Same guarantees as append(); caller holds the lock.
   */
  appendMany(inputs: readonly AuditAppendInput[]): AuditEntry[] {
    const batch = this.prepareBatch(inputs);
    if (!batch) return [];
    const fd = openSync(this.file, 'a');
    try {
      writeAll(fd, batch.bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.finishBatch(batch);
    return batch.entries;
  }

  /**
   * appendMany whose write and fsync run off the event loop (an fsync can take milliseconds on a
   * busy disk; the extension host must stay responsive). The caller holds the lock until it resolves.
   */
  async appendManyAsync(inputs: readonly AuditAppendInput[]): Promise<AuditEntry[]> {
    const batch = this.prepareBatch(inputs);
    if (!batch) return [];
    const fh = await open(this.file, 'a');
    try {
      await fh.writeFile(batch.bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.finishBatchAsync(batch);
    return batch.entries;
  }

  /** Tail check (repairing a torn line), redaction and hashing: everything before the write. */
  private prepareBatch(inputs: readonly AuditAppendInput[]): Batch | undefined {
    for (const input of inputs) {
      if (typeof input.actor !== 'string' || typeof input.action !== 'string' || input.action === '') {
        throw new TypeError('audit append needs a string actor and a non-empty string action');
      }
    }
    if (inputs.length === 0) return undefined;
    mkdirSync(dirname(this.file), { recursive: true });
    const repairs: Record<string, unknown> = {};
    const tail = this.prepareTail(repairs);
    let last: Head = tail.last ?? { seq: 0, hash: GENESIS_HASH };

    const head = readHead(this.headFile);
    if (head && (head.seq > last.seq || (head.seq === last.seq && head.hash !== last.hash))) {
      // Entries vanished from the end (or the last one was replaced) since the head was written.
      // Chain from the file as it is, but keep the evidence in the chain itself.
      repairs.headMismatch = { headSeq: head.seq, fileSeq: last.seq };
    }
    const witnessMismatch = this.witnessMismatches(last);
    if (witnessMismatch.length) repairs.witnessMismatch = witnessMismatch;

    const entries: AuditEntry[] = [];
    for (const input of inputs) {
      // Redact before hashing: whatever is hashed is what is written, and it can never be removed.
      const details = toJsonData(redactSecrets(input.details ?? {})) as Record<string, unknown>;
      const body: Omit<AuditEntry, 'hash'> = {
        seq: last.seq + 1,
        time: this.now().toISOString(),
        actor: redactString(input.actor),
        action: input.action,
        ...(input.proposalId !== undefined ? { proposalId: redactString(String(input.proposalId)) } : {}),
        // Repairs are recorded once, in the first entry written after them.
        details: entries.length === 0 ? { ...details, ...repairs } : details,
        prevHash: last.hash,
      };
      const entry: AuditEntry = { ...body, hash: computeEntryHash(body) };
      entries.push(entry);
      last = { seq: entry.seq, hash: entry.hash };
    }
    // A complete last line that only lacks its '\n' gets it back in the same write.
    const text = `${tail.needsNewline ? '\n' : ''}${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;
    return { entries, bytes: Buffer.from(text, 'utf8'), last, created: !existsSync(this.file) };
  }

  private finishBatch(batch: Batch): void {
    if (batch.created) fsyncDir(dirname(this.file));
    try {
      // Not fsynced: a head one entry behind after a crash is tolerated (the file wins).
      writeFileDurable(this.headFile, `${JSON.stringify({ seq: batch.last.seq, hash: batch.last.hash })}\n`, { sync: false });
    } catch {
      // The entries are already durable; the head is only a cross-check that the next append
      // rebuilds from the file. Failing here would make the caller think nothing was logged.
    }
    const record: WitnessRecord = { seq: batch.last.seq, hash: batch.last.hash, at: this.now().toISOString() };
    for (const w of this.witnesses) {
      try {
        w.write(record);
      } catch {
        // Same as the head: a witness that cannot be written is behind, which verify tolerates.
      }
    }
  }

  /** finishBatch whose head and witness renames run off the event loop (a rename can stall on a busy disk). */
  private async finishBatchAsync(batch: Batch): Promise<void> {
    if (batch.created) fsyncDir(dirname(this.file));
    const head = `${JSON.stringify({ seq: batch.last.seq, hash: batch.last.hash })}\n`;
    const record: WitnessRecord = { seq: batch.last.seq, hash: batch.last.hash, at: this.now().toISOString() };
    // Failures are tolerated as in finishBatch: the entries are already durable.
    await Promise.all([
      replaceFileAsync(this.headFile, head).catch(() => undefined),
      ...this.witnesses.map(async (w) => (w.writeAsync ? w.writeAsync(record) : w.write(record))).map((p) => p.catch(() => undefined)),
    ]);
  }

  /**
   * Witnesses that no longer agree with the log's tail: ahead of it (entries deleted from the end),
   * or recording a hash the chain does not hold at that seq (rewritten). Recorded in the next entry
   * before the witness is overwritten, so the evidence stays in the chain. A witness behind the tail
   * costs a backward read of the entries since (usually a few).
   */
  private witnessMismatches(last: Head): { witness: string; witnessSeq: number; witnessHash: string; fileSeq: number }[] {
    const out: { witness: string; witnessSeq: number; witnessHash: string; fileSeq: number }[] = [];
    for (const w of this.witnesses) {
      let rec: WitnessRecord | undefined;
      try {
        rec = w.read();
      } catch {
        rec = undefined;
      }
      if (!rec || rec.seq === 0) continue;
      const found = rec.seq === last.seq ? last.hash : rec.seq < last.seq ? this.hashAtSeqFromEnd(rec.seq) : undefined;
      if (found !== rec.hash) out.push({ witness: w.name, witnessSeq: rec.seq, witnessHash: rec.hash, fileSeq: last.seq });
    }
    return out;
  }

  /** The hash of entry `seq`, reading lines backwards from the end of the file. */
  private hashAtSeqFromEnd(seq: number): string | undefined {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return undefined;
    }
    try {
      let end = fstatSync(fd).size;
      if (end > 0 && readByteAt(fd, end - 1) === 0x0a) end--;
      while (end > 0) {
        const line = lineEndingAt(fd, end);
        const parsed = parseEntryLine(line.bytes.toString('utf8'));
        if (parsed.ok && parsed.entry.seq === seq) return parsed.entry.hash;
        if (parsed.ok && parsed.entry.seq < seq) return undefined;
        end = line.start - 1;
      }
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** Entries in file order. Throws (naming the line) on any line it cannot parse. */
  read(filter: AuditReadFilter = {}): AuditEntry[] {
    const lines = this.readLines();
    const entries: AuditEntry[] = [];
    lines.forEach((line, i) => {
      const parsed = parseLine(line);
      if (!parsed.ok) throw new Error(`audit log ${this.file}: ${describeBadLine(i + 1, parsed, line.terminated)}`);
      const e = parsed.entry;
      if (filter.proposalId !== undefined && e.proposalId !== filter.proposalId) return;
      if (filter.action !== undefined && e.action !== filter.action) return;
      entries.push(e);
    });
    if (filter.limit !== undefined) {
      return filter.limit <= 0 ? [] : entries.slice(-Math.floor(filter.limit));
    }
    return entries;
  }

  /** Walk the whole chain and report the first problem, in words a person can act on. */
  verify(): VerifyResult {
    const lines = this.readLines();
    const parsed = lines.map(parseLine);
    let prev = { seq: 0, hash: GENESIS_HASH, line: 0 };
    let count = 0;
    const hashes: string[] = []; // hashes[seq - 1], filled while the chain verifies
    const fail = (line: number, problem: VerifyProblem, message: string): VerifyResult =>
      ({ ok: false, line, problem, message, entries: count, ...(this.witnesses.length ? { witnesses: this.witnessStatuses(hashes) } : {}) });

    for (let i = 0; i < parsed.length; i++) {
      const lineNo = i + 1;
      const p = parsed[i]!;
      const terminated = lines[i]!.terminated;
      if (!p.ok) return fail(lineNo, !terminated && p.notJson ? 'truncated' : 'malformed', describeBadLine(lineNo, p, terminated));
      const e = p.entry;

      if (computeEntryHash(e) !== e.hash) {
        return fail(lineNo, 'edited', `line ${lineNo} was edited after it was written (hash mismatch for seq ${e.seq})`);
      }
      if (e.seq <= prev.seq) {
        return fail(lineNo, 'reordered', e.seq === prev.seq
          ? `line ${lineNo} repeats seq ${e.seq} from line ${prev.line}: a line was duplicated or lines were reordered`
          : `line ${lineNo} has seq ${e.seq}, which belongs before seq ${prev.seq} on line ${prev.line}: lines were reordered`);
      }
      if (e.seq > prev.seq + 1) {
        // A gap is a deletion, unless a missing seq turns up further down: then lines were moved.
        const expected = prev.seq + 1;
        const laterIdx = parsed.findIndex((q, j) => j > i && q.ok && q.entry.seq > prev.seq && q.entry.seq < e.seq);
        if (laterIdx >= 0) {
          const later = parsed[laterIdx] as { ok: true; entry: AuditEntry };
          return fail(lineNo, 'reordered',
            `line ${lineNo} has seq ${e.seq} where seq ${expected} was expected, and seq ${later.entry.seq} appears later on line ${laterIdx + 1}: lines were reordered`);
        }
        const missing = e.seq - 1 === expected ? `seq ${expected} is` : `seqs ${expected}–${e.seq - 1} are`;
        return fail(lineNo, 'removed',
          `entry ${missing} missing before line ${lineNo} (which has seq ${e.seq}${prev.line ? `, after seq ${prev.seq} on line ${prev.line}` : ''}): it was removed from the log`);
      }
      if (e.prevHash !== prev.hash) {
        return fail(lineNo, 'removed', prev.line
          ? `line ${lineNo} (seq ${e.seq}) does not chain to line ${prev.line} (seq ${prev.seq}): the entry it followed was removed or replaced`
          : `line 1 (seq 1) does not start the chain (its prevHash is not the genesis hash): earlier entries were removed or the log was spliced`);
      }
      const recorded = recordedHeadMismatch(e);
      if (recorded) {
        return recorded.headSeq > recorded.fileSeq
          ? fail(lineNo, 'removed',
            `line ${lineNo} (seq ${e.seq}) was appended after entries seq ${recorded.fileSeq + 1}–${recorded.headSeq} had been deleted from the end of the log (the head file had recorded seq ${recorded.headSeq})`)
          : fail(lineNo, 'edited',
            `line ${lineNo} (seq ${e.seq}) was appended after the entry seq ${recorded.fileSeq} had been replaced (it no longer matched the head file)`);
      }
      const witnessed = recordedWitnessMismatch(e);
      if (witnessed) {
        return fail(lineNo, witnessed.witnessSeq > witnessed.fileSeq ? 'removed' : 'edited', witnessed.witnessSeq > witnessed.fileSeq
          ? `line ${lineNo} (seq ${e.seq}) was appended after entries seq ${witnessed.fileSeq + 1}–${witnessed.witnessSeq} had been deleted from the end of the log (the ${witnessed.witness} had recorded seq ${witnessed.witnessSeq})`
          : `line ${lineNo} (seq ${e.seq}) was appended after the log had been rewritten: the ${witnessed.witness} had recorded seq ${witnessed.witnessSeq} with a hash the log no longer holds`);
      }
      prev = { seq: e.seq, hash: e.hash, line: lineNo };
      hashes.push(e.hash);
      count++;
    }

    // The chain can't see deletions at its end; the head file remembers how far it went.
    const head = readHead(this.headFile);
    if (head && head.seq > prev.seq) {
      const lineNo = prev.line + 1;
      return fail(lineNo, 'removed', prev.line === 0
        ? `the log is empty but its head file records seq ${head.seq}: all entries were deleted`
        : `the log ends at seq ${prev.seq} on line ${prev.line} but its head file records seq ${head.seq}: entries seq ${prev.seq + 1}–${head.seq} were deleted from line ${lineNo} on`);
    }
    if (head && head.seq === prev.seq && prev.line > 0 && head.hash !== prev.hash) {
      return fail(prev.line, 'edited',
        `line ${prev.line} (seq ${prev.seq}) is not the entry the head file recorded: the last entry was replaced`);
    }
    if (!this.witnesses.length) return { ok: true, entries: count };
    const statuses = this.witnessStatuses(hashes);
    const bad = statuses.find((s) => s.status === 'ahead' || s.status === 'mismatch');
    if (bad) {
      const lineNo = bad.status === 'ahead' ? prev.line + 1 : bad.seq!;
      const reset = ' (if you deleted the state folder on purpose, delete the witness too)';
      return fail(lineNo, bad.status === 'ahead' ? 'removed' : 'edited', bad.status === 'ahead'
        ? prev.line === 0
          ? `the log is empty but the ${bad.name} records seq ${bad.seq}: all entries were deleted${reset}`
          : `the log ends at seq ${prev.seq} on line ${prev.line} but the ${bad.name} records seq ${bad.seq}: entries seq ${prev.seq + 1}–${bad.seq} were deleted from line ${lineNo} on${head && head.seq === prev.seq ? ' and the head file was rewritten to match' : head ? '' : ' and the head file was removed'}${reset}`
        : `entry seq ${bad.seq} (line ${bad.seq}) is not the entry the ${bad.name} recorded: the log was rewritten from there on${reset}`);
    }
    return { ok: true, entries: count, witnesses: statuses };
  }

  /** Each witness against the verified prefix of the chain (`hashes[seq - 1]`). */
  private witnessStatuses(hashes: readonly string[]): WitnessStatus[] {
    return this.witnesses.map((w): WitnessStatus => {
      let rec: WitnessRecord | undefined;
      try {
        rec = w.read();
      } catch {
        rec = undefined;
      }
      if (!rec) return { name: w.name, status: 'absent' };
      if (rec.seq === 0) return { name: w.name, status: hashes.length ? 'behind' : 'matches', seq: 0 };
      if (rec.seq > hashes.length) return { name: w.name, status: 'ahead', seq: rec.seq };
      if (hashes[rec.seq - 1] !== rec.hash) return { name: w.name, status: 'mismatch', seq: rec.seq };
      return { name: w.name, status: rec.seq === hashes.length ? 'matches' : 'behind', seq: rec.seq };
    });
  }

  /**
   * Look at the end of the file (tail only) before appending: find the last entry, and repair a
   * torn final line left by a crash mid-write by moving its bytes to `<file>.torn` and truncating.
   */
  private prepareTail(repairs: Record<string, unknown>): { last: Head | null; needsNewline: boolean } {
    let fd: number;
    try {
      fd = openSync(this.file, 'r+');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { last: null, needsNewline: false };
      throw err;
    }
    try {
      let size = fstatSync(fd).size;
      if (size === 0) return { last: null, needsNewline: false };
      let needsNewline = false;
      if (readByteAt(fd, size - 1) !== 0x0a) {
        const torn = lineEndingAt(fd, size);
        const parsed = parseEntryLine(torn.bytes.toString('utf8'));
        if (parsed.ok || !parsed.notJson) {
          // Complete JSON that only lost its '\n': keep it (verify judges its content).
          needsNewline = true;
          return { last: this.lastEntry(parsed, 'the last line'), needsNewline };
        }
        appendFileSync(`${this.file}.torn`, Buffer.concat([torn.bytes, Buffer.from('\n')]));
        ftruncateSync(fd, torn.start);
        fsyncSync(fd);
        repairs.repairedTornLine = true;
        repairs.tornBytes = size - torn.start;
        size = torn.start;
        if (size === 0) return { last: null, needsNewline };
      }
      const line = lineEndingAt(fd, size - 1);
      return { last: this.lastEntry(parseEntryLine(line.bytes.toString('utf8')), 'the last line'), needsNewline };
    } finally {
      closeSync(fd);
    }
  }

  private lastEntry(parsed: ParsedLine, where: string): Head {
    if (!parsed.ok) {
      // Chaining onto garbage would hide the damage; refuse and point at verify.
      throw new Error(`cannot append to audit log ${this.file}: ${where} is not a valid entry (${parsed.reason}); run verify to locate the damage`);
    }
    return { seq: parsed.entry.seq, hash: parsed.entry.hash };
  }

  private readLines(): Line[] {
    let content: string;
    try {
      content = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    if (content === '') return [];
    const parts = content.split('\n');
    const lastPart = parts.pop()!;
    const lines: Line[] = parts.map((text) => ({ text, terminated: true }));
    if (lastPart !== '') lines.push({ text: lastPart, terminated: false });
    return lines;
  }
}

interface Line { text: string; terminated: boolean }

function parseLine(line: Line): ParsedLine {
  return parseEntryLine(line.text);
}

function describeBadLine(lineNo: number, p: { notJson: boolean; reason: string }, terminated: boolean): string {
  if (!terminated && p.notJson) {
    return `line ${lineNo} is incomplete (a write was cut off, probably by a crash); the next append moves it aside`;
  }
  return `line ${lineNo} is malformed: ${p.reason}`;
}

function readHead(file: string): Head | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<Head>;
    if (typeof v.seq === 'number' && Number.isSafeInteger(v.seq) && v.seq >= 0 && typeof v.hash === 'string') {
      return { seq: v.seq, hash: v.hash };
    }
  } catch {
    // Missing or unreadable head: it is only a cache/cross-check, the file is the truth.
  }
  return null;
}

function recordedHeadMismatch(e: AuditEntry): { headSeq: number; fileSeq: number } | null {
  const m = e.details.headMismatch as { headSeq?: unknown; fileSeq?: unknown } | undefined;
  if (m && typeof m === 'object' && typeof m.headSeq === 'number' && typeof m.fileSeq === 'number') {
    return { headSeq: m.headSeq, fileSeq: m.fileSeq };
  }
  return null;
}

function recordedWitnessMismatch(e: AuditEntry): { witness: string; witnessSeq: number; fileSeq: number } | null {
  const list = e.details.witnessMismatch;
  if (!Array.isArray(list) || !list.length) return null;
  const m = list[0] as { witness?: unknown; witnessSeq?: unknown; fileSeq?: unknown };
  if (m && typeof m === 'object' && typeof m.witnessSeq === 'number' && typeof m.fileSeq === 'number') {
    return { witness: typeof m.witness === 'string' ? m.witness : 'witness', witnessSeq: m.witnessSeq, fileSeq: m.fileSeq };
  }
  return null;
}

/** Exactly what JSON.parse(line) will give back, so the hash computed now verifies later. */
function toJsonData(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? {} : JSON.parse(text);
}
