import { useId, useState } from 'react';
import { visiblePlain, type ProposalCardView } from '../protocol';
import { Button } from '../common/Button';
import { formatAge, formatLineCounts, formatTimestamp, plural } from '../common/format';
import { PriorityBadge, RiskBadge, StatusBadge } from '../common/ProposalBadges';
import { RejectReasonForm } from '../common/RejectReasonForm';
import { actionsForStatus } from '../common/statusActions';
import { VisibleText } from '../common/VisibleText';
import { PullRequestStatus } from '../common/PullRequestStatus';
import { Markdown } from '../common/Markdown';

export interface CardHandlers {
  onReview(id: string): void;
  onApprove(id: string): void;
  /** Resolves true when the host accepted the rejection, so the form can close. */
  onReject(id: string, reason: string): Promise<boolean>;
  onRollback(id: string): void;
  onRedo(id: string): void;
  /** Branch, commit and GitHub pull request of an applied proposal. */
  onOpenPullRequest?(id: string): void;
}

/** One proposal in the sidebar. Button names carry the title so a list of cards stays navigable by name. */
export function ProposalCard({ proposal, now, busy, handlers }: { proposal: ProposalCardView; now: number; busy: boolean; handlers: CardHandlers }) {
  const titleId = useId();
  const [rejecting, setRejecting] = useState(false);
  const actions = actionsForStatus(proposal.status);
  const { id, title } = proposal;
  // One line per file; hidden characters in a path are shown as <U+…> (a newline in a name cannot fake another file).
  const filesList = proposal.files.map((f) => (f.to ? `${visiblePlain(f.path)} \u2192 ${visiblePlain(f.to)}` : visiblePlain(f.path))).join('\n');
  const explainStatus = proposal.statusReason && ['conflicted', 'stale', 'failed', 'rejected'].includes(proposal.status);

  async function reject(reason: string) {
    if (await handlers.onReject(id, reason)) setRejecting(false);
  }

  return (
    <article className={`proposal-card proposal-card--${proposal.status}`} aria-labelledby={titleId}>
      <div className="proposal-card__top">
        <h3 id={titleId} className="proposal-card__title">
          <Markdown text={title} inline />
        </h3>
        <StatusBadge status={proposal.status} reason={proposal.statusReason} />
      </div>
      <div className="proposal-card__meta">
        <span className="proposal-card__source r-muted" title="Source">
          <VisibleText text={proposal.source} />
        </span>
        <PriorityBadge priority={proposal.priority} />
        {proposal.risk && <RiskBadge risk={proposal.risk} />}
      </div>
      <div className="proposal-card__meta r-muted">
        <span title={filesList}>{plural(proposal.files.length, 'file')}</span>
        {proposal.progress ? (
          <LineProgress progress={proposal.progress} />
        ) : (
          <span className="r-mono" aria-label={`${proposal.added} lines added, ${proposal.removed} removed`}>
            {formatLineCounts(proposal.added, proposal.removed)}
          </span>
        )}
        <time dateTime={proposal.createdAt} title={formatTimestamp(proposal.createdAt)}>
          {formatAge(proposal.createdAt, now)}
        </time>
      </div>
      {explainStatus && <p className="proposal-card__reason">{proposal.statusReason}</p>}
      {proposal.pullRequest && <PullRequestStatus pr={proposal.pullRequest} />}
      {rejecting ? (
        <RejectReasonForm subject={title} busy={busy} onSubmit={reject} onCancel={() => setRejecting(false)} />
      ) : (
        <div className="proposal-card__actions r-toolbar">
          <Button icon="eye" aria-label={`Review ${title}`} onClick={() => handlers.onReview(id)}>
            Review
          </Button>
          {actions.approve && (
            <Button variant="primary" icon="check" aria-label={`Approve ${title}`} disabled={busy} onClick={() => handlers.onApprove(id)}>
              Approve
            </Button>
          )}
          {actions.reject && (
            <Button icon="close" aria-label={`Reject ${title}`} disabled={busy} onClick={() => setRejecting(true)}>
              Reject…
            </Button>
          )}
          {actions.rollback && (
            <Button icon="discard" aria-label={`Rollback ${title}`} disabled={busy} onClick={() => handlers.onRollback(id)}>
              Rollback
            </Button>
          )}
          {actions.redo && (
            <Button icon="redo" aria-label={`Redo ${title}`} disabled={busy} onClick={() => handlers.onRedo(id)}>
              Redo
            </Button>
          )}
          {proposal.canOpenPullRequest && handlers.onOpenPullRequest && (
            <Button icon="git-pull-request" aria-label={`Open pull request for ${title}`} disabled={busy} onClick={() => handlers.onOpenPullRequest!(id)}>
              Open Pull Request
            </Button>
          )}
        </div>
      )}
    </article>
  );
}

/** What is applied now and what is left to approve (a proposal applied in part, or rolled back). */
function LineProgress({ progress }: { progress: NonNullable<ProposalCardView['progress']> }) {
  const { applied, pending } = progress;
  const some = (c: { added: number; removed: number }) => c.added + c.removed > 0;
  return (
    <>
      {some(applied) && (
        <span className="r-mono" aria-label={`applied: ${applied.added} lines added, ${applied.removed} removed`}>
          {formatLineCounts(applied.added, applied.removed)} applied
        </span>
      )}
      {some(pending) && (
        <span className="r-mono" aria-label={`not applied: ${pending.added} lines added, ${pending.removed} removed`}>
          {formatLineCounts(pending.added, pending.removed)} not applied
        </span>
      )}
    </>
  );
}
