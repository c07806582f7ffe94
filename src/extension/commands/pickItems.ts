// Which proposals each "…" command can act on, and how the QuickPick shows them. Pure.
import type { Proposal } from '../../core/proposals/model';
import { canTransition } from '../../core/proposals/stateMachine';
import { describeAge, toRiskView } from '../views/proposalViews';

export type ProposalAction = 'review' | 'approve' | 'reject' | 'rollback' | 'redo';

export function isEligible(p: Proposal, action: ProposalAction): boolean {
  switch (action) {
    case 'review': return true;
    case 'approve': return canTransition(p.status, 'approved');
    case 'reject': return canTransition(p.status, 'rejected');
    case 'rollback': return canTransition(p.status, 'rolled-back') && !!p.applied;
    case 'redo': return p.status === 'rolled-back' && !!p.rollback;
    default: {
      const never: never = action;
      return never;
    }
  }
}

export interface ProposalPickItem {
  id: string;
  label: string;
  description: string;
  detail: string;
}

const STATUS_ICON: Record<Proposal['status'], string> = {
  pending: '$(circle-large-outline)',
  approved: '$(pass)',
  'partially-approved': '$(pass)',
  applying: '$(sync)',
  applied: '$(check)',
  'partially-applied': '$(check)',
  'rolled-back': '$(discard)',
  redone: '$(redo)',
  rejected: '$(close)',
  conflicted: '$(warning)',
  stale: '$(history)',
  failed: '$(error)',
};

export function pickItem(p: Proposal, now: Date): ProposalPickItem {
  const added = p.files.reduce((n, f) => n + f.added, 0);
  const removed = p.files.reduce((n, f) => n + f.removed, 0);
  const files = p.files.map((f) => (f.to ? `${f.path} → ${f.to}` : f.path));
  const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
  return {
    id: p.id,
    label: `${STATUS_ICON[p.status]} ${p.title}`,
    description: `${p.status} · ${describeAge(p.updatedAt, now)} · ${p.id}`,
    detail: `${shown} (+${added} −${removed}) · ${p.source}`,
  };
}

export function nothingToPick(action: ProposalAction, forFile?: string): string {
  const where = forFile ? ` for ${forFile}` : '';
  switch (action) {
    case 'review': return `Rusty has no proposals${where}. Run "Rusty: Review Workspace" or "Rusty: Propose: Organize Imports" to create some.`;
    case 'approve': return `No proposal${where} is waiting for approval.`;
    case 'reject': return `No proposal${where} can be rejected (only pending, conflicted, failed or stale ones can).`;
    case 'rollback': return `No applied proposal${where} to roll back.`;
    case 'redo': return `No rolled-back proposal${where} to redo.`;
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * What "Rusty: Approve…" would apply, for its modal confirm: files, +/− and risk (or that risk
 * was not computed), then the first few paths.
 */
export function approveSummary(p: Proposal, selection: { files?: readonly string[]; hunks?: readonly string[] } = {}): string {
  const chosen = selection.files || selection.hunks ? p.files.filter((f) => selection.files?.includes(f.path) || f.hunks.some((h) => selection.hunks?.includes(h.id))) : p.files;
  const added = chosen.reduce((n, f) => n + f.added, 0);
  const removed = chosen.reduce((n, f) => n + f.removed, 0);
  const risk = toRiskView(p.impact);
  const head = `${chosen.length} file${chosen.length === 1 ? '' : 's'}${selection.hunks ? ' (selected hunks)' : ''}, +${added} \u2212${removed} \u00b7 ${risk ? `risk ${risk.level} ${risk.score}` : 'risk not computed'}`;
  const shown = chosen.slice(0, 5).map((f) => (f.to ? `${f.path} \u2192 ${f.to}` : f.path));
  return [head, ...shown, ...(chosen.length > 5 ? [`\u2026 and ${chosen.length - 5} more`] : [])].join('\n');
}
