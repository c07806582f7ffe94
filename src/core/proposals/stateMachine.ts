import type { Proposal, ProposalStatus } from './model';
import { RustyError } from '../util/errors';

// Which status may follow which. `applying` can fall back to where it came from when recovery
// undoes an interrupted apply. A proposal approved in parts is `partially-applied` until the rest
// is approved too; rolling back one of its parts keeps it so while another part stays applied.
const NEXT: Record<ProposalStatus, readonly ProposalStatus[]> = {
  pending: ['approved', 'partially-approved', 'rejected', 'conflicted', 'stale', 'failed'],
  conflicted: ['approved', 'partially-approved', 'rejected', 'conflicted', 'stale', 'failed'],
  approved: ['applying', 'conflicted', 'stale', 'failed'],
  'partially-approved': ['applying', 'conflicted', 'stale', 'failed'],
  applying: ['applied', 'partially-applied', 'redone', 'failed', 'pending', 'conflicted', 'rolled-back'],
  applied: ['rolled-back', 'partially-applied', 'failed'],
  'partially-applied': ['approved', 'partially-approved', 'applying', 'partially-applied', 'rolled-back', 'failed'],
  redone: ['rolled-back', 'partially-applied', 'failed'],
  'rolled-back': ['applying', 'conflicted', 'failed'],
  stale: ['rejected'],
  failed: ['approved', 'partially-approved', 'rejected', 'conflicted', 'stale'],
  rejected: [],
};

const HINT: Partial<Record<ProposalStatus, string>> = {
  applied: 'it is applied; you can roll it back',
  'partially-applied': 'it is partially applied; approve the rest, or roll back its parts',
  redone: 'it is applied again; you can roll it back',
  'rolled-back': 'it is rolled back; you can redo it',
  rejected: 'it was rejected',
  stale: 'it is stale (the files it was computed on changed or vanished); create it again',
  pending: 'it has not been applied yet',
  conflicted: 'it has not been applied (it conflicted)',
};

export function canTransition(from: ProposalStatus, to: ProposalStatus): boolean {
  return NEXT[from].includes(to);
}

export function assertTransition(p: Proposal, to: ProposalStatus, verb: string): void {
  if (!canTransition(p.status, to)) {
    const hint = HINT[p.status] ?? `it is ${p.status}`;
    throw new RustyError('bad-state', `Cannot ${verb} proposal ${p.id}: ${hint}.`);
  }
}

/** A copy of `p` moved to `to`, with the change recorded in its history. */
export function withStatus(p: Proposal, to: ProposalStatus, actor: string, now: Date, note?: string): Proposal {
  assertTransition(p, to, `move to ${to}`);
  const at = now.toISOString();
  return {
    ...p,
    status: to,
    statusReason: note,
    updatedAt: at,
    history: [...p.history, { status: to, at, actor, ...(note ? { note } : {}) }],
  };
}
