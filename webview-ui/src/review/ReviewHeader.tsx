import type { ProposalDetailView } from '../protocol';
import { formatAge, formatTimestamp, statusLabel } from '../common/format';
import { PriorityBadge, RiskBadge, StatusBadge } from '../common/ProposalBadges';
import { VisibleText } from '../common/VisibleText';
import { Markdown } from '../common/Markdown';

export function ReviewHeader({ proposal, now }: { proposal: ProposalDetailView; now: number }) {
  return (
    <header className="review-header">
      <h1>
        <Markdown text={proposal.title} inline />
      </h1>
      {/* Focus lands here after an approval (tabIndex -1: reachable by script, not by Tab). */}
      <div className="review-header__meta" data-review-status tabIndex={-1} aria-label={`Status: ${statusLabel(proposal.status)}`} role="group">
        <StatusBadge status={proposal.status} reason={proposal.statusReason} />
        <PriorityBadge priority={proposal.priority} />
        {proposal.risk && <RiskBadge risk={proposal.risk} />}
        <span>
          <span className="r-muted">from </span>
          <span className="r-mono">
            <VisibleText text={proposal.source} />
          </span>
        </span>
        <span className="r-muted">
          created{' '}
          <time dateTime={proposal.createdAt} title={formatTimestamp(proposal.createdAt)}>
            {formatAge(proposal.createdAt, now)}
          </time>{' '}
          by {proposal.createdBy}
        </span>
        <span className="r-muted r-mono" title="Proposal id">
          {proposal.id}
        </span>
      </div>
      {proposal.rationale && (
        <Markdown className="review-header__rationale" text={proposal.rationale} />
      )}
    </header>
  );
}
