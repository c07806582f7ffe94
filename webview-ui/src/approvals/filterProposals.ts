import type { ProposalCardView, ProposalStatusView } from '../protocol';

/** 'needs-review' groups every status a person still has to decide on. */
export type StatusFilter = 'all' | 'needs-review' | ProposalStatusView;

export interface ProposalFilters {
  status: StatusFilter;
  source: string; // 'all' or an exact source
}

export const NO_FILTERS: ProposalFilters = { status: 'all', source: 'all' };

const NEEDS_REVIEW: readonly ProposalStatusView[] = ['pending', 'conflicted', 'failed', 'stale'];

export function matchesStatus(status: ProposalStatusView, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'needs-review') return NEEDS_REVIEW.includes(status);
  return status === filter;
}

/** Keeps the host's queue order (pending first by priority, then recent). */
export function filterProposals(proposals: readonly ProposalCardView[], filters: ProposalFilters): ProposalCardView[] {
  return proposals.filter((p) => matchesStatus(p.status, filters.status) && (filters.source === 'all' || p.source === filters.source));
}

export function isProposalFilters(value: unknown): value is ProposalFilters {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.status === 'string' && typeof v.source === 'string';
}

/** Distinct values with how many proposals have each, in first-seen order. */
export function countBy<T extends string>(values: readonly T[]): [T, number][] {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts];
}
