// Shape checks for snapshots arriving from the host. Deliberately shallow: they catch a wrong
// message or a protocol mismatch (old host, new view) before React renders garbage; field-level
// types are the host's contract.
import type { ApprovalsSnapshot, AuditSnapshot, ReviewPanelSnapshot } from '../protocol';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isApprovalsSnapshot(value: unknown): value is ApprovalsSnapshot {
  return isRecord(value) && Array.isArray(value.proposals) && typeof value.pendingCount === 'number';
}

export function isReviewSnapshot(value: unknown): value is ReviewPanelSnapshot {
  if (isRecord(value) && isRecord(value.asking)) return typeof value.asking.task === 'string' && Array.isArray(value.asking.candidates) && Array.isArray(value.asking.events);
  return (
    isRecord(value) &&
    isRecord(value.proposal) &&
    typeof value.proposal.id === 'string' &&
    Array.isArray(value.proposal.files) &&
    (value.texts === undefined || isRecord(value.texts))
  );
}

export function isAuditSnapshot(value: unknown): value is AuditSnapshot {
  return isRecord(value) && Array.isArray(value.entries);
}
