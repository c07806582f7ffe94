// `rusty doctor`: check a whole state folder — proposals, checkpoint manifests and the blobs they
// name, journal records, the audit chain (head and witnesses), the MCP grants file, the agent
// gateway's files (queue and dead letters, clients, policy, plans), the lock and
// temp files a killed process left — and report each problem with its file and a fix. Repair
// quarantines bad files (never deletes them), removes stale temp and lock files, finishes or
// undoes interrupted transactions; what cannot be repaired (a tampered audit log, a missing blob)
// stays a problem with what to do by hand.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AuditLog } from '../audit';
import type { BlobStore } from '../checkpoints/blobStore';
import type { StatePaths } from '../state/statePaths';
import type { Quarantine, QuarantineRecord, StateFileKind } from '../state/quarantine';
import { checkpointSchema, journalRecordSchema, proposalSchema, readStateFile, workspaceInfoSchema } from '../state/schemas';
import type { Checkpoint } from '../checkpoints/checkpointStore';
import type { Proposal } from '../proposals/model';
import { GrantStore } from '../mcp/policy/grants';
import { checkGatewayFiles } from '../gateway/doctor';
import { GatewayPaths } from '../gateway/paths';
import { TEMP_MARK, writeFileDurable } from '../util/fsx';
import { sha256 } from '../util/hash';

export type DoctorRepair = 'quarantine' | 'remove' | 'recover' | 'rewrite-head';

export interface DoctorProblem {
  kind: StateFileKind | 'audit' | 'temp';
  /** Absolute path of the file the problem is in. */
  file: string;
  problem: string;
  /** What to do (by hand, or what --repair does). */
  fix: string;
  /** What `--repair` would do; absent when only a person can fix it. */
  repair?: DoctorRepair;
}

export interface DoctorAction { file: string; action: string }

export interface DoctorReport {
  stateDir: string;
  ok: boolean;
  checked: { proposals: number; checkpoints: number; blobs: number; journal: number; auditEntries: number };
  problems: DoctorProblem[];
  repaired: DoctorAction[];
  /** Everything in the quarantine folder (not problems: kept for a person to inspect or delete). */
  quarantined: QuarantineRecord[];
}

export interface DoctorDeps {
  paths: StatePaths;
  quarantine: Quarantine;
  audit: AuditLog;
  blobs: BlobStore;
  /** Grants file of the MCP gate (`<stateDir>/mcp/grants.json`). */
  grantsFile: string;
}

/** Temp files younger than this may belong to a write in progress in another process. */
const TEMP_GRACE_MS = 10_000;

function jsonFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a lock file is stale (its owner is dead, or it is unreadable and old), else undefined. */
function staleLock(file: string, now: number): string | undefined {
  let text: string;
  let mtime: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    mtime = fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  let owner: { pid?: unknown; host?: unknown; purpose?: unknown } | undefined;
  try {
    owner = JSON.parse(text) as typeof owner;
  } catch {
    owner = undefined;
  }
  if (!owner || typeof owner.pid !== 'number') return now - mtime > 2000 ? 'it is unreadable (no owner recorded)' : undefined;
  if (owner.pid === process.pid || owner.host !== os.hostname()) return undefined;
  return isAlive(owner.pid) ? undefined : `its owner, process ${owner.pid} (${String(owner.purpose)}), is no longer running`;
}

function walk(dir: string, skip: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== skip) walk(p, skip, out);
    } else out.push(p);
  }
  return out;
}

/** Check everything; read-only. */
export function checkState(deps: DoctorDeps): { problems: DoctorProblem[]; checked: DoctorReport['checked'] } {
  const { paths } = deps;
  const problems: DoctorProblem[] = [];
  const checked = { proposals: 0, checkpoints: 0, blobs: 0, journal: 0, auditEntries: 0 };
  const corrupt = (kind: StateFileKind, file: string, reason: string, fix: string) =>
    problems.push({ kind, file, problem: reason, fix, repair: 'quarantine' });

  // Blobs: each is hashed once; checkpoints and proposals then look their hashes up.
  const blobState = new Map<string, 'ok' | 'damaged'>();
  for (const b of deps.blobs.list()) {
    checked.blobs++;
    const file = path.join(paths.blobs, b.hash.slice(0, 2), b.hash.slice(2));
    const ok = sha256(fs.readFileSync(file)) === b.hash;
    blobState.set(b.hash, ok ? 'ok' : 'damaged');
    if (!ok) corrupt('blob', file, 'its bytes no longer match their hash (damaged on disk or edited)', 'quarantine it; checkpoints and proposals that use it are reported below');
  }
  const blobProblem = (hash: string): string | undefined => {
    const s = blobState.get(hash);
    return s === 'ok' ? undefined : s === 'damaged' ? `blob ${hash.slice(0, 12)} is damaged` : `blob ${hash.slice(0, 12)} is missing`;
  };

  for (const file of jsonFiles(paths.proposals)) {
    checked.proposals++;
    const id = path.basename(file, '.json');
    const r = readStateFile<Proposal>(file, proposalSchema, (p) => p.id === id ? undefined : `id: is ${JSON.stringify(p.id)} but the file is named ${id}.json`);
    if (r.status === 'corrupt') {
      corrupt('proposal', file, r.reason, `quarantine it (the other proposals are unaffected); submit the change again if you still need proposal ${id}`);
      continue;
    }
    if (r.status !== 'ok') continue;
    const open = r.value.status === 'pending' || r.value.status === 'conflicted';
    const missing = open ? r.value.files.flatMap((f) => [f.baseHash, f.newHash]).filter((h): h is string => !!h).map(blobProblem).filter(Boolean) : [];
    if (missing.length) problems.push({ kind: 'proposal', file, problem: `${missing.join(', ')}, so it cannot be approved`, fix: `reject proposal ${id} and submit the change again` });
  }

  for (const file of jsonFiles(paths.checkpoints)) {
    checked.checkpoints++;
    const r = readStateFile<Checkpoint>(file, checkpointSchema);
    if (r.status === 'corrupt') {
      corrupt('checkpoint', file, r.reason, 'quarantine it; the transaction it recorded can then not be undone automatically (restore those files from version control if needed)');
      continue;
    }
    if (r.status !== 'ok') continue;
    const bad = [...new Set(r.value.files.flatMap((f) => [f.before, f.after]).filter((h): h is string => !!h))].map(blobProblem).filter(Boolean);
    if (bad.length) {
      problems.push({ kind: 'checkpoint', file, problem: `${bad.join(', ')}: checkpoint ${r.value.id} (proposal ${r.value.proposalId}) cannot be undone or redone exactly`,
        fix: `restore those files from version control if you need to undo ${r.value.proposalId}; \`rusty gc\` removes the checkpoint after its retention period` });
    }
  }

  for (const file of jsonFiles(paths.journal)) {
    checked.journal++;
    const r = readStateFile(file, journalRecordSchema);
    if (r.status === 'corrupt') corrupt('journal', file, r.reason, 'quarantine it (an interrupted transaction it described cannot be recovered; check the workspace with version control)');
    else if (r.status === 'ok') problems.push({ kind: 'journal', file, problem: 'an interrupted transaction (a process was killed while writing files)', fix: 'finish or undo it with `rusty recover`', repair: 'recover' });
  }

  const v = deps.audit.verify();
  checked.auditEntries = v.entries;
  if (!v.ok) {
    problems.push({ kind: 'audit', file: deps.audit.file, problem: `line ${v.line}: ${v.message}`,
      fix: 'the log is evidence: do not edit it; find out who changed it. To start a new chain, move audit.jsonl and audit.jsonl.head aside (keep them) and delete the witness files named above' });
  } else if (fs.existsSync(deps.audit.headFile)) {
    let headOk = false;
    try {
      const h = JSON.parse(fs.readFileSync(deps.audit.headFile, 'utf8')) as { seq?: unknown; hash?: unknown };
      headOk = typeof h.seq === 'number' && typeof h.hash === 'string';
    } catch {
      headOk = false;
    }
    if (!headOk) problems.push({ kind: 'audit-head', file: deps.audit.headFile, problem: 'the head file is unreadable, so deletions at the end of the log go unnoticed', fix: 'rewrite it from the verified log', repair: 'rewrite-head' });
  }

  if (fs.existsSync(deps.grantsFile)) {
    const store = new GrantStore(deps.grantsFile);
    const why = store.lastError();
    if (why) corrupt('grants', deps.grantsFile, why.replace(`${deps.grantsFile}: `, ''), 'quarantine it (timed MCP grants in it stop applying; you are asked again)');
  }

  for (const g of checkGatewayFiles(paths.dir).problems) corrupt('gateway', g.file, g.problem, g.fix);

  const info = readStateFile(paths.workspaceInfo, workspaceInfoSchema);
  if (info.status === 'corrupt') corrupt('workspace-info', paths.workspaceInfo, info.reason, 'quarantine it (Rusty writes it again on the next command)');

  const now = Date.now();
  const gatewayLock = new GatewayPaths(paths.dir).lock;
  for (const lock of [paths.lock, `${paths.lock}.takeover`, `${deps.grantsFile}.lock`, `${deps.grantsFile}.lock.takeover`, gatewayLock, `${gatewayLock}.takeover`]) {
    const why = staleLock(lock, now);
    if (why) problems.push({ kind: 'lock', file: lock, problem: `stale lock: ${why}`, fix: 'remove it (Rusty also takes a dead process\'s lock over by itself)', repair: 'remove' });
  }

  for (const file of walk(paths.dir, deps.quarantine.dir)) {
    if (!path.basename(file).includes(TEMP_MARK)) continue;
    let age = 0;
    try {
      age = now - fs.statSync(file).mtimeMs;
    } catch {
      continue;
    }
    if (age < TEMP_GRACE_MS) continue;
    problems.push({ kind: 'temp', file, problem: `temp file left by an interrupted write (${Math.round(age / 1000)} s old)`, fix: 'remove it', repair: 'remove' });
  }
  return { problems, checked };
}

/**
 * Carry out the repairs `problems` list. The caller holds the state lock (and `recover` runs
 * recovery under it). Returns what was done, one line per file.
 */
export async function repairState(deps: DoctorDeps, problems: DoctorProblem[], recover: () => Promise<{ txid: string; outcome: string }[]>): Promise<DoctorAction[]> {
  const actions: DoctorAction[] = [];
  let needsRecovery = false;
  for (const p of problems) {
    switch (p.repair) {
      case undefined:
        break;
      case 'quarantine': {
        if (p.kind === 'audit' || p.kind === 'temp') break;
        const r = deps.quarantine.put(p.file, p.kind, p.problem);
        if (r) actions.push({ file: p.file, action: `moved to ${r.movedTo} (${p.problem})` });
        break;
      }
      case 'remove':
        fs.rmSync(p.file, { force: true });
        actions.push({ file: p.file, action: p.kind === 'lock' ? 'removed the stale lock' : 'removed the temp file' });
        break;
      case 'recover':
        needsRecovery = true;
        break;
      case 'rewrite-head': {
        const last = deps.audit.read().pop();
        writeFileDurable(deps.audit.headFile, `${JSON.stringify({ seq: last?.seq ?? 0, hash: last?.hash ?? '0'.repeat(64) })}\n`);
        actions.push({ file: p.file, action: `rewrote it from the log (seq ${last?.seq ?? 0})` });
        break;
      }
      default: {
        const never: never = p.repair;
        throw new Error(`unknown repair ${String(never)}`);
      }
    }
  }
  if (needsRecovery) {
    for (const r of await recover()) actions.push({ file: path.join(deps.paths.journal, `${r.txid}.json`), action: `interrupted transaction ${r.outcome === 'completed' ? 'completed' : 'undone'}` });
  }
  return actions;
}
