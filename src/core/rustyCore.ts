// The headless core: one object per workspace that the CLI and the extension both drive.
// Every mutation runs under the state lock (in-process queue + inter-process lock file) and
// starts by finishing or undoing any interrupted transaction.
import type { TestRunRecord } from './testgen/run';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceFs } from './ports/workspaceFs';
import { NodeWorkspaceFs } from './ports/nodeWorkspaceFs';
import type { ChangeSet } from './proposals/changeSet';
import type { AiGroup, AiRecord, Proposal, ProposalStatus, PullRequestRecord } from './proposals/model';
import { ProposalStore } from './proposals/store';
import { parseChangeSet, prepareChangeSet, type PreparedEdit } from './proposals/validate';
import { buildProposal, samePrepared, storeContents } from './proposals/create';
import type { ImpactContext, ImpactReport, ProposalImpact } from './impact/types';
import { changeSetFromProposal } from './impact/fromProposal';
import { sha256 } from './util/hash';
import { describeRemaining, planApproval, resolveSelection, type Selection } from './proposals/approve';
import { liveParts, partsOf, partToRedo, partToRollBack, statusForParts, withParts } from './proposals/parts';
import { assertTransition, withStatus } from './proposals/stateMachine';
import { BlobStore } from './checkpoints/blobStore';
import { CheckpointStore, type Checkpoint } from './checkpoints/checkpointStore';
import { recoverTransactions, refuseUnsafePaths, runTransaction, TransactionFailed, type RecoveryReport, type TransactionContext, type TransactionInput } from './checkpoints/transaction';
import { describeConflicts, planRevert, type FileConflict } from './checkpoints/revert';
import { collectGarbage, type GcReport } from './checkpoints/gc';
import { AuditLog, FileAuditWitness, witnessFileFor, type AuditEntry, type AuditWitness, type VerifyResult } from './audit';
import { tryAcquireLock, withLock } from './state/lock';
import { StatePaths } from './state/statePaths';
import { Quarantine, type QuarantineRecord } from './state/quarantine';
import { workspaceStateDir } from './state/location';
import { DEFAULT_SETTINGS, type RustySettings } from './state/settings';
import { isRustyError, RustyError } from './util/errors';
import { sweepTempFiles, writeJsonDurable } from './util/fsx';
import { checkState, repairState, type DoctorDeps, type DoctorReport } from './doctor/doctor';

export interface CoreOptions {
  workspace: string;
  /** Who acts: 'cli', 'extension', or an agent id. */
  actor: string;
  settings?: Partial<RustySettings>;
  env?: NodeJS.ProcessEnv;
  wfs?: WorkspaceFs;
  now?: () => Date;
  onFileWritten?: (done: number, total: number, path: string) => void;
  /** Told when an interrupted transaction was finished or undone before an operation. */
  onRecovered?: (reports: RecoveryReport[]) => void;
  /**
   * Computes a proposal's impact (references, dependents, tests, public API, type-check delta,
   * risk) when it is submitted. Pass one that loads src/core/impact lazily (it needs ts-morph).
   * It runs before the state lock is taken; a failure never blocks the proposal (it is stored as
   * `impact: { error }`). At submit `proposal` is the draft being created (same files and hunks).
   */
  impactProvider?: ImpactProvider;
  /**
   * Witnesses of the audit chain's head besides the file one in the user's state home (which is
   * always kept): the extension adds its global state.
   */
  auditWitnesses?: (auditFile: string) => AuditWitness[];
  /** Told when a corrupt state file was moved to the quarantine folder (the extension warns). */
  onQuarantined?: (record: QuarantineRecord) => void;
}

export type ImpactProvider = (cs: ChangeSet, proposal: Proposal, ctx: ImpactContext) => Promise<ImpactReport | undefined>;

/** Computes content hashes without storing anything (for the draft an impact provider sees). */
const HASH_ONLY = { put: (bytes: Uint8Array) => sha256(bytes) } as Pick<BlobStore, 'put'> as BlobStore;

function impactSummary(impact: ProposalImpact | undefined): Record<string, unknown> {
  if (!impact) return {};
  if ('error' in impact) return { impactError: impact.error };
  return {
    risk: { score: impact.risk.score, level: impact.risk.level, reasons: impact.risk.reasons.map((r) => r.id) },
    typeCheck: { status: impact.typeCheck.status, introduced: impact.typeCheck.introduced.length, removed: impact.typeCheck.removed.length },
  };
}

export interface ApproveResult {
  proposal: Proposal;
  applied: string[];
  checkpoint: string;
  merged: string[];
  partial: boolean;
  /** This apply's part number (1 for a proposal applied at once). */
  part: number;
  /** What is left to approve, in words, when `partial`. */
  remaining?: string;
  /** Competing AI proposals rejected because this one was approved. */
  superseded?: string[];
}

export interface UndoResult {
  proposal: Proposal;
  files: string[];
  checkpoint: string;
  merged: string[];
  forced: boolean;
  /** The part undone or redone (1-based) and how many parts the proposal has. */
  part: number;
  parts: number;
}

function hasJournal(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((n) => n.endsWith('.json'));
  } catch {
    return false;
  }
}

export class RustyCore {
  readonly wfs: WorkspaceFs;
  readonly paths: StatePaths;
  readonly proposals: ProposalStore;
  readonly blobs: BlobStore;
  readonly checkpoints: CheckpointStore;
  readonly audit: AuditLog;
  readonly quarantine: Quarantine;
  readonly settings: RustySettings;
  readonly actor: string;
  private readonly now: () => Date;
  private readonly onFileWritten?: CoreOptions['onFileWritten'];
  private readonly onRecovered?: CoreOptions['onRecovered'];
  private readonly impactProvider?: ImpactProvider;
  /** > 0 while this core holds the state lock (quarantine entries are audited at once then). */
  private lockDepth = 0;
  private readonly unaudited: QuarantineRecord[] = [];

  constructor(opts: CoreOptions) {
    if (!fs.existsSync(opts.workspace) || !fs.statSync(opts.workspace).isDirectory()) {
      throw new RustyError('usage', `Workspace ${opts.workspace} is not a folder.`);
    }
    this.settings = { ...DEFAULT_SETTINGS, ...opts.settings };
    this.wfs = opts.wfs ?? new NodeWorkspaceFs(opts.workspace);
    this.paths = new StatePaths(workspaceStateDir(this.wfs.root, opts.env ?? process.env, this.settings.stateDir));
    this.actor = opts.actor;
    this.now = opts.now ?? (() => new Date());
    this.onFileWritten = opts.onFileWritten;
    this.onRecovered = opts.onRecovered;
    this.impactProvider = opts.impactProvider;
    for (const dir of [this.paths.proposals, this.paths.blobs, this.paths.checkpoints, this.paths.journal]) fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(this.paths.workspaceInfo)) writeJsonDurable(this.paths.workspaceInfo, { workspace: this.wfs.root, createdAt: this.now().toISOString() });
    this.audit = new AuditLog(this.paths.audit, { witnesses: [new FileAuditWitness(witnessFileFor(this.paths.audit, opts.env ?? process.env)), ...(opts.auditWitnesses?.(this.paths.audit) ?? [])] });
    this.quarantine = new Quarantine(this.paths.dir, { now: this.now, onQuarantined: (r) => {
      this.auditQuarantine(r);
      opts.onQuarantined?.(r);
    } });
    this.proposals = new ProposalStore(this.paths.proposals, this.quarantine);
    this.blobs = new BlobStore(this.paths.blobs);
    this.checkpoints = new CheckpointStore(this.paths.checkpoints, this.quarantine);
  }

  get stateDir(): string {
    return this.paths.dir;
  }

  private txContext(): TransactionContext {
    return {
      wfs: this.wfs, blobs: this.blobs, checkpoints: this.checkpoints, audit: this.audit,
      journalDir: this.paths.journal, now: this.now, proposals: this.proposals,
      onFileWritten: this.onFileWritten,
    };
  }

  /** Serialize work in this process, then hold the state lock across processes. */
  locked<T>(purpose: string, fn: (recovered: RecoveryReport[]) => Promise<T>): Promise<T> {
    return withLock(this.paths.lock, purpose, async () => {
      this.lockDepth++;
      try {
        for (const r of this.unaudited.splice(0)) this.logQuarantine(r);
        const recovered = await recoverTransactions(this.txContext(), this.actor);
        if (recovered.length) this.onRecovered?.(recovered);
        return await fn(recovered);
      } finally {
        this.lockDepth--;
      }
    });
  }

  /**
   * Audit a quarantined file: now when this core holds the lock or can take it at once (a read such
   * as `list` found it), else with the next locked operation of this core.
   */
  private auditQuarantine(r: QuarantineRecord): void {
    if (this.lockDepth > 0) return this.logQuarantine(r);
    const lock = tryAcquireLock(this.paths.lock, 'quarantine');
    if (!lock) {
      this.unaudited.push(r);
      return;
    }
    try {
      this.logQuarantine(r);
    } finally {
      lock.release();
    }
  }

  /** A damaged audit log (doctor reports it) must not stop the rest of the state from working. */
  private logQuarantine(r: QuarantineRecord): void {
    this.tryLog('quarantined', undefined, { ...r });
  }

  private tryLog(action: string, proposalId: string | undefined, details: Record<string, unknown> = {}): void {
    try {
      this.log(action, proposalId, details);
    } catch {
      // The audit log itself is damaged; doctor reports it.
    }
  }

  private log(action: string, proposalId: string | undefined, details: Record<string, unknown> = {}): void {
    this.audit.append({ actor: this.actor, action, ...(proposalId ? { proposalId } : {}), details });
  }

  /** Finish or undo interrupted transactions (also done before every mutation). */
  recover(): Promise<RecoveryReport[]> {
    return this.locked('recover', async (recovered) => {
      for (const dir of [this.paths.dir, this.paths.proposals, this.paths.checkpoints, this.paths.journal]) sweepTempFiles(dir);
      return recovered;
    });
  }

  /**
   * For read-only entry points (list, show in a UI, audit): recover first when a journal says a
   * transaction was interrupted — unless a live process holds the lock, i.e. is applying right now.
   */
  async recoverIfInterrupted(): Promise<RecoveryReport[]> {
    if (!hasJournal(this.paths.journal)) return [];
    const probe = tryAcquireLock(this.paths.lock, 'probe');
    if (!probe) return []; // a live process is applying right now
    probe.release();
    return this.recover();
  }

  /**
   * Validate an untrusted change set and queue it. The same pending change set is not queued twice.
   * With an impact provider, the impact is computed first (outside the state lock, so other
   * processes are not held up by the analysis) and stored on the proposal.
   */
  /**
   * `opts.impact`: an impact the caller already computed on exactly this change set with
   * src/core/impact (the AI agent validates every attempt that way); the analysis is not run again.
   */
  async submit(input: unknown, opts: { actor?: string; signal?: AbortSignal; ai?: AiRecord; impact?: ProposalImpact; testRun?: TestRunRecord } = {}): Promise<{ proposal: Proposal; existing: boolean }> {
    const actor = opts.actor ?? this.actor;
    const cs: ChangeSet = parseChangeSet(input);
    const limits = { maxFileBytes: this.settings.maxFileSizeMB * 1024 * 1024 };
    let analyzed: { draft: Proposal; prepared: PreparedEdit[]; impact: ProposalImpact | undefined } | undefined;
    if (this.impactProvider || opts.impact) {
      // Refuse an invalid change set before spending time on it, and skip the analysis for a twin.
      // An interrupted apply is finished or undone first, so the analysis sees a whole workspace.
      await this.recoverIfInterrupted();
      const prepared = await prepareChangeSet(cs, this.wfs, limits);
      const draft = buildProposal(cs, prepared, HASH_ONLY, actor, this.now());
      if (!this.pendingTwin(draft.fingerprint)) analyzed = { draft, prepared, impact: opts.impact ?? await this.analyze(cs, draft, opts.signal) };
    }
    return this.locked('submit', async () => {
      // Checked again under the lock; the draft (its diffs) is kept unless the files changed meanwhile.
      const prepared = await prepareChangeSet(cs, this.wfs, limits);
      let built: Proposal;
      if (analyzed && samePrepared(analyzed.prepared, prepared)) {
        storeContents(prepared, this.blobs);
        built = analyzed.draft;
      } else built = buildProposal(cs, prepared, this.blobs, actor, this.now());
      const twin = this.pendingTwin(built.fingerprint);
      if (twin) return { proposal: twin, existing: true };
      const proposal: Proposal = {
        ...(analyzed ? { ...built, id: analyzed.draft.id, ...(analyzed.impact ? { impact: analyzed.impact } : {}) } : built),
        ...(opts.ai ? { ai: opts.ai } : {}),
        ...(opts.testRun ? { testRun: opts.testRun } : {}),
      };
      this.proposals.save(proposal);
      const ai = opts.ai ? { ai: { provider: opts.ai.provider, model: opts.ai.model, rounds: opts.ai.rounds, repairs: opts.ai.repairs.length, ...(opts.ai.thread ? { thread: opts.ai.thread } : {}) } } : {};
      this.audit.append({ actor, action: 'created', proposalId: proposal.id, details: { title: proposal.title, source: proposal.source, priority: proposal.priority, files: proposal.files.map((f) => f.to ? `${f.path} -> ${f.to}` : f.path), ...ai } });
      const checks = ['schema', 'paths', 'baseHash', 'binary', 'size', ...(proposal.impact && !('error' in proposal.impact) ? ['impact'] : [])];
      this.audit.append({ actor, action: 'validated', proposalId: proposal.id, details: { checks, hunks: proposal.files.reduce((n, f) => n + f.hunks.length, 0), ...impactSummary(proposal.impact) } });
      return { proposal, existing: false };
    });
  }

  private pendingTwin(fingerprint: string): Proposal | undefined {
    return this.proposals.list({ status: ['pending', 'conflicted'] }).find((p) => p.fingerprint === fingerprint);
  }

  /** Run the impact provider; any failure but cancellation becomes `{ error }` (never blocks a proposal). */
  private async analyze(cs: ChangeSet, proposal: Proposal, signal: AbortSignal | undefined, fullCheck = false): Promise<ProposalImpact | undefined> {
    if (!this.impactProvider) return undefined;
    try {
      return await this.impactProvider(cs, proposal, { wfs: this.wfs, ...(signal ? { signal } : {}), ...(fullCheck ? { fullCheck } : {}) });
    } catch (err) {
      if (signal?.aborted || (isRustyError(err) && err.code === 'cancelled')) {
        throw isRustyError(err) && err.code === 'cancelled' ? err : new RustyError('cancelled', 'Cancelled: nothing was queued.');
      }
      const message = err instanceof Error ? err.message : String(err);
      return { error: message || 'unknown error', computedAt: this.now().toISOString() };
    }
  }

  /**
   * Compute an open proposal's impact again against the workspace as it is now (e.g. after other
   * proposals were applied) and store it. Needs an impact provider. `fullCheck`: type-check without
   * the size limit ("check now" on a proposal whose check was narrowed or skipped for size).
   */
  async refreshImpact(id: string, opts: { signal?: AbortSignal; fullCheck?: boolean } = {}): Promise<Proposal> {
    if (!this.impactProvider) throw new RustyError('usage', 'Impact analysis is not available here (no impact provider).');
    const p = this.proposals.get(id);
    if (p.status !== 'pending' && p.status !== 'conflicted') throw new RustyError('bad-state', `Proposal ${id} is ${p.status}; only a pending or conflicted proposal's impact can be computed again.`);
    const impact = await this.analyze(changeSetFromProposal(p, (h) => this.blobs.get(h)), p, opts.signal, opts.fullCheck);
    return this.locked('impact', async () => {
      const current = this.proposals.get(id);
      const updated: Proposal = { ...current, updatedAt: this.now().toISOString(), ...(impact ? { impact } : {}) };
      this.proposals.save(updated);
      this.log('impact', id, impactSummary(impact));
      return updated;
    });
  }

  /**
   * Link competing AI proposals (`rusty ask --candidates N`): each gets its rank, score and
   * siblings, so approving one rejects the others. Only open proposals are linked.
   */
  recordAiGroup(members: { id: string; group: AiGroup }[]): Promise<Proposal[]> {
    return this.locked('ai-group', async () => {
      const out: Proposal[] = [];
      for (const { id, group } of members) {
        const p = this.proposals.get(id);
        if (!p.ai) throw new RustyError('bad-state', `Proposal ${id} was not made by an AI model; it cannot join a group of candidates.`);
        const updated: Proposal = { ...p, updatedAt: this.now().toISOString(), ai: { ...p.ai, group } };
        this.proposals.save(updated);
        this.log('ai.group', id, { group: group.id, rank: group.rank, score: group.score, siblings: group.siblings });
        out.push(updated);
      }
      return out;
    });
  }

  /** Approving one candidate rejects its open siblings, in the approve's locked operation. */
  private supersedeSiblings(p: Proposal): string[] {
    const superseded: string[] = [];
    for (const sid of p.ai?.group?.siblings ?? []) {
      const s = this.proposals.find(sid);
      if (!s || (s.status !== 'pending' && s.status !== 'conflicted')) continue;
      const reason = `superseded by ${p.id}`;
      this.proposals.save(withStatus(s, 'rejected', this.actor, this.now(), reason));
      this.log('rejected', sid, { reason, supersededBy: p.id, group: p.ai?.group?.id });
      superseded.push(sid);
    }
    return superseded;
  }

  /** Record the pull request opened from an applied proposal (audited as `pr.opened`). */
  recordPullRequest(id: string, pr: Omit<PullRequestRecord, 'openedAt' | 'openedBy'>): Promise<Proposal> {
    return this.locked('pr', async () => {
      const p = this.proposals.get(id);
      const record: PullRequestRecord = { ...pr, openedAt: this.now().toISOString(), openedBy: this.actor };
      const updated: Proposal = { ...p, updatedAt: record.openedAt, pullRequest: record };
      this.proposals.save(updated);
      this.log('pr.opened', id, { repo: pr.repo, number: pr.number, url: pr.url, branch: pr.branch, base: pr.base, commit: pr.commitSha, draft: pr.draft });
      return updated;
    });
  }

  /** Remember the last CI result of a proposal's pull request (not audited: it is GitHub's state). */
  recordPullRequestCi(id: string, ci: NonNullable<PullRequestRecord['ci']>): Promise<Proposal> {
    return this.locked('pr-ci', async () => {
      const p = this.proposals.get(id);
      if (!p.pullRequest) throw new RustyError('bad-state', `Proposal ${id} has no pull request.`);
      const updated: Proposal = { ...p, pullRequest: { ...p.pullRequest, ci } };
      this.proposals.save(updated);
      return updated;
    });
  }

  list(status?: ProposalStatus[]): Proposal[] {
    return this.proposals.list(status ? { status } : {});
  }

  get(id: string): Proposal {
    return this.proposals.get(id);
  }

  /** Record that a person was shown the proposal (review panel, `rusty show`). */
  markShown(id: string): Promise<Proposal> {
    return this.locked('show', async () => {
      const p = this.proposals.get(id);
      this.log('shown', id, { status: p.status });
      return p;
    });
  }

  blobText(hash: string): Buffer {
    return this.blobs.get(hash);
  }

  approve(id: string, selection: Selection = {}): Promise<ApproveResult> {
    return this.locked('approve', async () => {
      const p = this.proposals.get(id);
      if (p.status === 'applied' || p.status === 'redone' || p.status === 'applying') {
        throw new RustyError('bad-state', `Proposal ${id} is already ${p.status === 'applying' ? 'being applied' : 'applied'}; nothing was written.`);
      }
      const { chosen, partial } = resolveSelection(p, selection);
      const status = partial ? 'partially-approved' : 'approved';
      assertTransition(p, status, 'approve');
      if (chosen.length === 0) throw new RustyError('usage', 'Nothing selected to approve.');
      await this.refuseUnsafe(p, 'apply', () => refuseUnsafePaths(this.wfs, chosen.flatMap((c) => [c.file.path, ...(c.file.to ? [c.file.to] : [])])));
      const plan = await planApproval(this.wfs, this.blobs, chosen);
      // A proposal with parts applied keeps its status when the rest cannot be applied: those parts
      // are on disk and stay rollback-able.
      const keeps = liveParts(p).length > 0;
      if (plan.stale.length) {
        const why = `The files it was computed on are gone: ${describeConflicts(plan.stale)}. Nothing was written; create the proposal again.`;
        if (!keeps) this.proposals.save(withStatus(p, 'stale', this.actor, this.now(), why));
        this.log('stale', id, { files: plan.stale });
        throw new RustyError('stale', `Proposal ${id} is stale. ${why}`);
      }
      if (plan.conflicts.length) return this.refuseConflict(p, plan.conflicts, keeps);
      const hunks = chosen.flatMap((c) => c.hunks.map((h) => h.id));
      const files = chosen.map((c) => c.file.to ?? c.file.path);
      const parts = partsOf(p);
      this.log('approved', id, { files, hunks, partial, selection, ...(parts.length ? { part: parts.length + 1 } : {}) });
      // `approved` is only a step in the history: if the apply is interrupted, recovery puts the
      // proposal back exactly as it was (pending, conflicted or partially applied), so it can be approved again.
      const approved = withStatus(p, status, this.actor, this.now(), partial ? `approved ${files.length} of ${p.files.length} files` : undefined);
      const during = withStatus(approved, 'applying', this.actor, this.now());
      const { proposal, checkpoint } = await this.transact(p, 'apply', {
        kind: 'apply',
        proposalBefore: p,
        during,
        after: (checkpointId) => {
          const part = { at: this.now().toISOString(), actor: this.actor, checkpointId, files: plan.targets.map((t) => t.path), hunks, merged: plan.merged, paths: chosen.map((c) => c.file.path) };
          const next = withParts(during, [...parts, part]);
          const note = plan.merged.length ? `merged with newer edits in ${plan.merged.join(', ')}` : undefined;
          return withStatus(next, statusForParts(p, next.parts!), this.actor, this.now(), note);
        },
        targets: plan.targets,
        audit: { actor: this.actor, action: 'applied', details: { files: plan.targets.map((t) => t.path), hunks, merged: plan.merged, ...(parts.length || partial ? { part: parts.length + 1 } : {}) } },
      }, keeps);
      const superseded = this.supersedeSiblings(proposal);
      return { proposal, applied: checkpoint.files.map((f) => f.path), checkpoint: checkpoint.id, merged: plan.merged, partial, part: partsOf(proposal).length, ...(partial ? { remaining: describeRemaining(proposal) } : {}), ...(superseded.length ? { superseded } : {}) };
    });
  }

  /**
   * Run a transaction; if it fails part-way it has been undone, so record the failure (an apply
   * becomes `failed` and can be approved again; a rollback or redo keeps its status) and explain.
   */
  private async transact(p: Proposal, verb: string, input: TransactionInput, keepStatus = false) {
    try {
      return await this.refuseUnsafe(p, verb, () => runTransaction(this.txContext(), input));
    } catch (err) {
      if (!(err instanceof TransactionFailed)) throw err;
      const why = `Could not ${verb} ${p.id}: ${err.message}. Nothing was changed (every file was put back). Fix the cause and try again.`;
      if (input.kind === 'apply' && !keepStatus) this.proposals.save(withStatus(p, 'failed', this.actor, this.now(), why));
      this.log('failed', p.id, { operation: verb, error: err.message, files: err.files });
      throw new RustyError('io', why);
    }
  }

  /**
   * A path that can no longer be written safely (a folder swapped for a link leading outside, a
   * file where a folder should be, a link in place of the file) refuses the whole operation before
   * anything is written; the proposal keeps its status.
   */
  private async refuseUnsafe<T>(p: Proposal, verb: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!isRustyError(err) || err.code !== 'path-refused') throw err;
      this.log('refused', p.id, { operation: verb, ...(err.details as Record<string, unknown>) });
      throw new RustyError('path-refused', `Cannot ${verb} ${p.id}. ${err.message}`, err.details);
    }
  }

  private refuseConflict(p: Proposal, conflicts: FileConflict[], keepStatus = false): never {
    const why = `Nothing was written: ${describeConflicts(conflicts)}. Edit the files or recreate the proposal, then approve again.`;
    if (!keepStatus) this.proposals.save(withStatus(p, 'conflicted', this.actor, this.now(), why));
    this.log('conflicted', p.id, { conflicts });
    throw new RustyError('conflict', `Proposal ${p.id} conflicts with newer edits. ${why}`, { conflicts });
  }

  reject(id: string, reason: string): Promise<Proposal> {
    return this.locked('reject', async () => {
      if (!reason.trim()) throw new RustyError('usage', 'A reason is required to reject a proposal (--reason TEXT).');
      const p = withStatus(this.proposals.get(id), 'rejected', this.actor, this.now(), reason.trim());
      this.proposals.save(p);
      this.log('rejected', id, { reason: reason.trim() });
      return p;
    });
  }

  /**
   * Undo an applied proposal; one approved in parts undoes one part: `part` (1-based), or the
   * latest part still applied.
   */
  rollback(id: string, opts: { force?: boolean; part?: number } = {}): Promise<UndoResult> {
    return this.locked('rollback', async () => {
      const p = this.proposals.get(id);
      assertTransition(p, 'rolled-back', 'roll back');
      const parts = partsOf(p);
      if (!parts.length) throw new RustyError('bad-state', `Proposal ${id} has no record of what it applied.`);
      const n = partToRollBack(p, opts.part);
      if (n === undefined) {
        const live = parts.map((x, i) => (x.rollback ? undefined : i + 1)).filter((x) => x !== undefined);
        throw new RustyError('usage', `Proposal ${id} has no applied part ${opts.part}; its applied parts are ${live.join(', ') || 'none'}.`);
      }
      return this.revert(p, this.checkpoints.get(parts[n - 1]!.checkpointId), 'rolled-back', !!opts.force, n);
    });
  }

  /** Re-apply a rolled-back proposal, or the latest rolled-back part of one approved in parts. */
  redo(id: string): Promise<UndoResult> {
    return this.locked('redo', async () => {
      const p = this.proposals.get(id);
      const n = p.status === 'rolled-back' || p.status === 'partially-applied' ? partToRedo(p) : undefined;
      if (n === undefined) throw new RustyError('bad-state', `Cannot redo proposal ${id}: only a rolled-back proposal (or a rolled-back part of one) can be redone (it is ${p.status}).`);
      return this.revert(p, this.checkpoints.get(partsOf(p)[n - 1]!.rollback!.checkpointId), 'redone', false, n);
    });
  }

  /** Rollback and redo are both the attribution-aware undo of the previous transaction (of part `n`). */
  private async revert(p: Proposal, tx: Checkpoint, to: 'rolled-back' | 'redone', force: boolean, n: number): Promise<UndoResult> {
    const verb = to === 'redone' ? 'redo' : 'roll back';
    await this.refuseUnsafe(p, verb, () => refuseUnsafePaths(this.wfs, tx.files.map((f) => f.path)));
    const plan = await planRevert(this.wfs, this.blobs, tx, force);
    if (plan.conflicts.length) {
      const forceable = to === 'rolled-back';
      const why = `Cannot ${verb} ${p.id} without losing later edits: ${describeConflicts(plan.conflicts)}. Nothing was written.` +
        (forceable ? ' A forced rollback restores the checkpoint exactly; your current files are checkpointed first, so redo brings them back.' : '');
      this.log('conflicted', p.id, { operation: verb, conflicts: plan.conflicts });
      throw new RustyError('conflict', why, { conflicts: plan.conflicts, forceable });
    }
    const parts = partsOf(p);
    const multi = parts.length > 1;
    const action = to === 'redone' ? 'redone' : 'rolled-back';
    const during = to === 'redone' ? withStatus(p, 'applying', this.actor, this.now()) : undefined;
    const { proposal, checkpoint } = await this.transact(p, verb, {
      kind: to === 'redone' ? 'redo' : force ? 'force-rollback' : 'rollback',
      proposalBefore: p,
      during,
      after: (checkpointId) => {
        const at = this.now().toISOString();
        const next = parts.map((x, i) => {
          if (i !== n - 1) return x;
          if (to === 'redone') {
            const { rollback: _rb, ...rest } = x;
            void _rb;
            return { ...rest, at, actor: this.actor, checkpointId };
          }
          return { ...x, rollback: { at, actor: this.actor, checkpointId, forced: force } };
        });
        const status = statusForParts(p, next, to === 'redone' ? 'redone' : 'applied');
        const notes = [...(multi ? [`part ${n}`] : []), ...(plan.merged.length ? [`kept later edits in ${plan.merged.join(', ')}`] : [])];
        const withNext = withParts(during ?? p, next);
        return withStatus(withNext, status, this.actor, this.now(), notes.length ? notes.join('; ') : undefined);
      },
      targets: plan.targets,
      audit: { actor: this.actor, action, details: { files: plan.targets.map((t) => t.path), merged: plan.merged, forced: force, reverted: tx.id, ...(multi ? { part: n } : {}) } },
    });
    return { proposal, files: checkpoint.files.map((f) => f.path), checkpoint: checkpoint.id, merged: plan.merged, forced: force, part: n, parts: parts.length };
  }

  gc(opts: { retentionDays?: number } = {}): Promise<GcReport> {
    return this.locked('gc', async () => {
      const collected = collectGarbage({
        proposals: this.proposals, checkpoints: this.checkpoints, blobs: this.blobs,
        journalDir: this.paths.journal, now: this.now(), quarantineDir: this.quarantine.dir,
        retentionDays: opts.retentionDays ?? this.settings.retentionDays,
      });
      const removedTranscripts = this.removeOrphanTranscripts();
      this.log('gc', undefined, { ...collected, ...(removedTranscripts ? { removedTranscripts } : {}) });
      return collected;
    });
  }

  /**
   * AI transcripts (state folder `ai/transcripts/`) no remaining proposal refers to. A transcript is
   * written just before its proposal is queued, so only ones older than an hour are removed.
   */
  private removeOrphanTranscripts(): number {
    const dir = path.join(this.paths.dir, 'ai', 'transcripts');
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
    } catch {
      return 0;
    }
    const kept = new Set(this.proposals.list().map((p) => p.ai?.transcript?.path).filter((p): p is string => !!p));
    const cutoff = this.now().getTime() - 60 * 60 * 1000;
    let removed = 0;
    for (const name of names) {
      const file = path.join(dir, name);
      if (kept.has(`ai/transcripts/${name}`)) continue;
      try {
        if (fs.statSync(file).mtimeMs > cutoff) continue;
        fs.rmSync(file);
        removed++;
      } catch {
        // gone already
      }
    }
    return removed;
  }

  /**
   * Check the whole state folder (see doctor/doctor.ts); with `repair`, fix what can be fixed under
   * the state lock (without first running recovery, which a damaged journal could stop).
   */
  async doctor(opts: { repair?: boolean } = {}): Promise<DoctorReport> {
    const deps: DoctorDeps = { paths: this.paths, quarantine: this.quarantine, audit: this.audit, blobs: this.blobs, grantsFile: this.paths.grants };
    const report = (problems: DoctorReport['problems'], checked: DoctorReport['checked'], repaired: DoctorReport['repaired']): DoctorReport =>
      ({ stateDir: this.paths.dir, ok: problems.length === 0, checked, problems, repaired, quarantined: this.quarantine.list() });
    const before = checkState(deps);
    if (!opts.repair) return report(before.problems, before.checked, []);
    return withLock(this.paths.lock, 'doctor', async () => {
      this.lockDepth++;
      try {
        const tookOver = before.problems.filter((p) => p.kind === 'lock' && p.file === this.paths.lock)
          .map((p) => ({ file: p.file, action: `took over the ${p.problem}` }));
        const problems = checkState(deps).problems;
        const repaired = [...tookOver, ...await repairState(deps, problems, () => recoverTransactions(this.txContext(), this.actor))];
        const after = checkState(deps);
        this.tryLog('doctor', undefined, { found: problems.length + tookOver.length, repaired: repaired.map((a) => `${a.file}: ${a.action}`), remaining: after.problems.map((p) => `${p.file}: ${p.problem}`) });
        return report(after.problems, after.checked, repaired);
      } finally {
        this.lockDepth--;
      }
    });
  }

  auditEntries(filter: { proposalId?: string } = {}): AuditEntry[] {
    return this.audit.read(filter);
  }

  verifyAudit(): VerifyResult {
    return this.audit.verify();
  }
}
