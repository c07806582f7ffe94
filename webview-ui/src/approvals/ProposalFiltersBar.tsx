import { useId } from 'react';
import type { ProposalCardView } from '../protocol';
import { statusLabel } from '../common/format';
import { Button } from '../common/Button';
import { countBy, matchesStatus, NO_FILTERS, type ProposalFilters, type StatusFilter } from './filterProposals';

// Native <select>s styled like VS Code dropdowns: <vscode-single-select> keeps its listbox in
// shadow DOM, out of reach of label association, Testing Library and Playwright role queries.
export function ProposalFiltersBar({ proposals, filters, onChange }: { proposals: readonly ProposalCardView[]; filters: ProposalFilters; onChange: (filters: ProposalFilters) => void }) {
  const statusId = useId();
  const sourceId = useId();
  const statuses = countBy(proposals.map((p) => p.status));
  const sources = countBy(proposals.map((p) => p.source));
  const needsReview = proposals.filter((p) => matchesStatus(p.status, 'needs-review')).length;
  // Keep a remembered choice selectable even when no proposal has it any more.
  if (filters.status !== 'all' && filters.status !== 'needs-review' && !statuses.some(([s]) => s === filters.status)) statuses.push([filters.status, 0]);
  if (filters.source !== 'all' && !sources.some(([s]) => s === filters.source)) sources.push([filters.source, 0]);
  const filtered = filters.status !== NO_FILTERS.status || filters.source !== NO_FILTERS.source;

  return (
    <div className="approvals-filters r-toolbar" role="group" aria-label="Filter proposals">
      <span className="approvals-filter">
        <label htmlFor={statusId}>Status</label>
        <select id={statusId} className="r-select" value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value as StatusFilter })}>
          <option value="all">All ({proposals.length})</option>
          <option value="needs-review">Needs review ({needsReview})</option>
          {statuses.map(([status, count]) => (
            <option key={status} value={status}>
              {statusLabel(status)} ({count})
            </option>
          ))}
        </select>
      </span>
      <span className="approvals-filter">
        <label htmlFor={sourceId}>Source</label>
        <select id={sourceId} className="r-select" value={filters.source} onChange={(e) => onChange({ ...filters, source: e.target.value })}>
          <option value="all">All sources</option>
          {sources.map(([source, count]) => (
            <option key={source} value={source}>
              {source} ({count})
            </option>
          ))}
        </select>
      </span>
      {filtered && (
        <Button variant="icon" icon="clear-all" aria-label="Clear filters" title="Clear filters" onClick={() => onChange(NO_FILTERS)} />
      )}
    </div>
  );
}
