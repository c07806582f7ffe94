// Journaled apply. Every change to the workspace — apply, rollback, redo — is one transaction:
//   1. checkpoint: the before/after blobs of every touched file are stored (fsynced);
//   2. intent record written to the journal (fsynced) — from here recovery can undo;
//   3. each file written atomically (temp file, fsync, rename) or removed;
//   4. commit record — from here recovery completes instead of undoing;
//   5. proposal status + audit entry, then the journal record is removed.
// `recoverTransactions` runs on every start, so the workspace is always entirely before or
// entirely after a transaction, never a mix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceFs } from '../ports/workspaceFs';
import type { Proposal } from '../proposals/model';
import type { BlobStore } from './blobStore';
import type { Checkpoint, CheckpointFile, CheckpointStore, TransactionKind } from './checkpointStore';
import type { AuditLog } from '../audit';
import { readJson, removeDurable, writeJsonDurable } from '../util/fsx';
import { newId } from '../util/ids';
import { sha256 } from '../util/hash';
import { pathRefused } from '../ports/pathGuard';
import { journalRecordSchema, schemaProblem } from '../state/schemas';
import { RustyError } from '../util/errors';

export interface Target {
  path: string;
  /** Bytes to leave at `path`, or null to remove it. */
  bytes: Uint8Array | null;
  mode?: number;
  /** Folders to remove (when empty) after removing the file: undoes folders an apply created. */
  removeDirs?: string[];
  /** This target is the new path of a rename from that path (kept so undo can merge across it). */
  renamedFrom?: string;
}

export interface JournalRecord {
  txid: string;
  state: 'intent' | 'committed';
  kind: TransactionKind;
  checkpointId: string;
  proposalBefore: Proposal;
  proposalAfter: Proposal;
  audit: { actor: string; action: string; details: Record<string, unknown> };
}

export interface TransactionContext {
  wfs: WorkspaceFs;
  blobs: BlobStore;
  checkpoints: CheckpointStore;
  audit: AuditLog;
  journalDir: string;
  now: () => Date;
  proposals: { save(p: Proposal, opts?: { durable?: boolean }): void };
  /** Called between file writes; tests use it to observe progress, the UI to report it. */
  onFileWritten?: (done: number, total: number, path: string) => void;
}

export interface TransactionInput {
  kind: TransactionKind;
  proposalBefore: Proposal;
  /** Status the proposal shows while files are being written (e.g. `applying`), if any. */
  during?: Proposal;
  /** The proposal as it should be once committed; receives the checkpoint id. */
  after: (checkpointId: string) => Proposal;
  targets: Target[];
  audit: { actor: string; action: string; details: Record<string, unknown> };
}

function journalFile(dir: string, txid: string): string {
  return path.join(dir, `${txid}.json`);
}

async function missingParents(wfs: WorkspaceFs, rel: string): Promise<string[]> {
  const out: string[] = [];
  const parts = rel.split('/').slice(0, -1);
  for (let i = parts.length; i > 0; i--) {
    const dir = parts.slice(0, i).join('/');
    if (await wfs.stat(dir)) break;
    out.push(dir);
  }
  return out; // deepest first, the order they must be removed in
}

/** Store before/after blobs and the manifest; nothing in the workspace changes yet. */
async function takeCheckpoint(ctx: TransactionContext, input: TransactionInput, id: string): Promise<Checkpoint> {
  const files: CheckpointFile[] = [];
  let bytesStored = 0;
  const put = (bytes: Uint8Array): string => {
    const hash = sha256(bytes);
    if (!ctx.blobs.has(hash)) bytesStored += bytes.byteLength;
    return ctx.blobs.put(bytes);
  };
  for (const t of input.targets) {
    const current = await ctx.wfs.read(t.path);
    const info = current ? await ctx.wfs.stat(t.path) : undefined;
    const before = current ? put(current) : null;
    const after = t.bytes ? put(t.bytes) : null;
    if (before === after) continue;
    const createdDirs = !current && t.bytes ? await missingParents(ctx.wfs, t.path) : [];
    files.push({
      path: t.path, before, after, mode: t.mode ?? info?.mode,
      ...(createdDirs.length ? { createdDirs } : {}),
      ...(t.removeDirs?.length ? { removeDirs: t.removeDirs } : {}),
      ...(t.renamedFrom ? { renamedFrom: t.renamedFrom } : {}),
    });
  }
  const checkpoint: Checkpoint = { id, createdAt: ctx.now().toISOString(), proposalId: input.proposalBefore.id, kind: input.kind, files, bytesStored };
  ctx.checkpoints.save(checkpoint);
  return checkpoint;
}

async function writeFiles(ctx: TransactionContext, checkpoint: Checkpoint, txid: string): Promise<void> {
  await ctx.wfs.applyBatch(
    checkpoint.files.map((f) => ({ rel: f.path, bytes: f.after === null ? null : ctx.blobs.get(f.after), mode: f.mode, ...(f.renamedFrom ? { renamedFrom: f.renamedFrom } : {}) })),
    { tag: txid, onEach: ctx.onFileWritten },
  );
  for (const f of checkpoint.files) if (f.after === null) for (const dir of f.removeDirs ?? []) await ctx.wfs.removeEmptyDir(dir);
}

/**
 * Refuse before anything is stored when a path cannot be written safely now (a folder on it became
 * a link leading outside, a file, or the file itself became a link). The adapters check again at
 * the moment of each write.
 */
export async function refuseUnsafePaths(wfs: WorkspaceFs, paths: Iterable<string>): Promise<void> {
  for (const rel of new Set(paths)) {
    const problem = await wfs.writeProblem(rel);
    if (problem) throw pathRefused(rel, problem);
  }
}

export async function runTransaction(ctx: TransactionContext, input: TransactionInput): Promise<{ proposal: Proposal; checkpoint: Checkpoint }> {
  await refuseUnsafePaths(ctx.wfs, input.targets.map((t) => t.path));
  const txid = newId('tx', ctx.now());
  const checkpointId = newId('cp', ctx.now());
  const checkpoint = await takeCheckpoint(ctx, input, checkpointId);
  const record: JournalRecord = {
    txid, state: 'intent', kind: input.kind, checkpointId,
    proposalBefore: input.proposalBefore,
    proposalAfter: input.after(checkpointId),
    audit: { ...input.audit, details: { ...input.audit.details, checkpoint: checkpointId, txid } },
  };
  const file = journalFile(ctx.journalDir, txid);
  writeJsonDurable(file, record);
  try {
    // Advisory (shows `applying` to other processes); recovery relies on the journal, not on this.
    if (input.during) ctx.proposals.save(input.during, { durable: false });
    await writeFiles(ctx, checkpoint, txid);
  } catch (err) {
    // An I/O error (permissions, disk full, a file locked by another program) is not a crash:
    // undo now and say so. If even the undo fails, the journal stays for recovery on next start.
    try {
      await undo(ctx, record, checkpoint);
      ctx.proposals.save(record.proposalBefore);
      removeDurable(file);
    } catch {
      throw err;
    }
    throw new TransactionFailed(err, checkpoint.files.map((f) => f.path));
  }
  writeJsonDurable(file, { ...record, state: 'committed' });
  finalize(ctx, record, file);
  return { proposal: record.proposalAfter, checkpoint };
}

/** A transaction that failed part-way and was undone: the workspace is as it was before. */
export class TransactionFailed extends Error {
  constructor(override readonly cause: unknown, readonly files: string[]) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'TransactionFailed';
  }
}

/** Idempotent: safe to run again (with `recovering`) if a crash cut it short. */
function finalize(ctx: TransactionContext, record: JournalRecord, file: string, recovering = false): void {
  ctx.proposals.save(record.proposalAfter);
  if (!recovering || !alreadyLogged(ctx, record)) ctx.audit.append({ actor: record.audit.actor, action: record.audit.action, proposalId: record.proposalBefore.id, details: record.audit.details });
  removeDurable(file);
}

function alreadyLogged(ctx: TransactionContext, record: JournalRecord): boolean {
  try {
    return ctx.audit.read({ proposalId: record.proposalBefore.id }).some((e) => e.details.txid === record.txid && e.action === record.audit.action);
  } catch {
    return false; // a torn last line (crash mid-append) is repaired by the next append
  }
}

export interface RecoveryReport {
  txid: string;
  proposalId: string;
  kind: TransactionKind;
  outcome: 'completed' | 'undone';
  files: string[];
  /** Files that held bytes neither before nor after; those bytes were saved as blobs. */
  rescued: { path: string; blob: string }[];
  /** Files left alone because their path can no longer be written safely (e.g. now leads outside through a link). */
  skipped?: { path: string; reason: string }[];
}

interface UndoOutcome { rescued: RecoveryReport['rescued']; skipped: NonNullable<RecoveryReport['skipped']> }

/** Put every file of an interrupted transaction back to its before state. */
async function undo(ctx: TransactionContext, record: JournalRecord, checkpoint: Checkpoint): Promise<UndoOutcome> {
  const rescued: UndoOutcome['rescued'] = [];
  const skipped: UndoOutcome['skipped'] = [];
  for (const f of checkpoint.files) {
    await ctx.wfs.removeTemp(f.path, record.txid);
    // What is at a path that now leads outside (or is a link) is not ours to put back: the
    // adapters never write through such a path, so this transaction wrote nothing there.
    const problem = await ctx.wfs.writeProblem(f.path);
    if (problem) {
      skipped.push({ path: f.path, reason: problem });
      continue;
    }
    const current = await ctx.wfs.read(f.path);
    const hash = current ? sha256(current) : null;
    // A created file that was never renamed into place may still have had its folders made.
    if (hash === f.before) {
      if (f.before === null) for (const dir of f.createdDirs ?? []) await ctx.wfs.removeEmptyDir(dir);
      continue;
    }
    if (hash !== f.after && current) rescued.push({ path: f.path, blob: ctx.blobs.put(current) });
    if (f.before === null) {
      await ctx.wfs.remove(f.path);
      for (const dir of f.createdDirs ?? []) await ctx.wfs.removeEmptyDir(dir);
    } else {
      await ctx.wfs.writeAtomic(f.path, ctx.blobs.get(f.before), { tag: record.txid, mode: f.mode });
    }
  }
  return { rescued, skipped };
}

async function allWritten(ctx: TransactionContext, checkpoint: Checkpoint): Promise<boolean> {
  for (const f of checkpoint.files) {
    const current = await ctx.wfs.read(f.path);
    if ((current ? sha256(current) : null) !== f.after) return false;
  }
  return true;
}

export async function recoverTransactions(ctx: TransactionContext, actor: string): Promise<RecoveryReport[]> {
  if (!fs.existsSync(ctx.journalDir)) return [];
  const reports: RecoveryReport[] = [];
  for (const name of fs.readdirSync(ctx.journalDir).filter((n) => n.endsWith('.json')).sort()) {
    const file = path.join(ctx.journalDir, name);
    let record: JournalRecord | undefined;
    try {
      record = readJson<JournalRecord>(file);
    } catch {
      record = undefined; // torn intent record: written before any workspace file, so nothing to undo
    }
    if (!record) {
      removeDurable(file);
      continue;
    }
    const problem = schemaProblem(journalRecordSchema, record);
    if (problem) {
      throw new RustyError('bad-state', `Journal record ${file} is damaged (${problem}), so the interrupted transaction it describes cannot be recovered. ` +
        'Run `rusty doctor --repair` to move it aside, then check the workspace with version control.');
    }
    const checkpoint = ctx.checkpoints.get(record.checkpointId);
    let outcome: RecoveryReport['outcome'];
    let rescued: RecoveryReport['rescued'] = [];
    let skipped: UndoOutcome['skipped'] = [];
    if (record.state === 'committed' || (await allWritten(ctx, checkpoint))) {
      for (const f of checkpoint.files) await ctx.wfs.removeTemp(f.path, record.txid);
      // The crash may have come between removing a file and removing the folders it emptied.
      for (const f of checkpoint.files) if (f.after === null) for (const dir of f.removeDirs ?? []) await ctx.wfs.removeEmptyDir(dir);
      finalize(ctx, record, file, true);
      outcome = 'completed';
    } else {
      ({ rescued, skipped } = await undo(ctx, record, checkpoint));
      ctx.proposals.save(record.proposalBefore);
      removeDurable(file);
      outcome = 'undone';
    }
    const report: RecoveryReport = { txid: record.txid, proposalId: record.proposalBefore.id, kind: record.kind, outcome, files: checkpoint.files.map((f) => f.path), rescued, ...(skipped.length ? { skipped } : {}) };
    ctx.audit.append({ actor, action: 'recovered', proposalId: report.proposalId, details: { ...report } });
    reports.push(report);
  }
  return reports;
}
