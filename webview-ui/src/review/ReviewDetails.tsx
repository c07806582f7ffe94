import type { ProposalDetailView } from '../protocol';
import { formatAge, formatTimestamp, plural, statusLabel } from '../common/format';

/** What already happened to the proposal: the apply, the rollback, and the full history. */
export function ReviewDetails({ proposal, now }: { proposal: ProposalDetailView; now: number }) {
  const { applied, rollback, history } = proposal;
  return (
    <section className="review-details" aria-label="What happened">
      {applied && (
        <p>
          Applied {formatAge(applied.at, now)} by {applied.actor}: {plural(applied.files.length, 'file')}
          {applied.merged.length > 0 && <> (merged with newer edits in {applied.merged.join(', ')})</>}. Checkpoint <code>{applied.checkpointId}</code>.
        </p>
      )}
      {rollback && (
        <p>
          Rolled back {formatAge(rollback.at, now)} by {rollback.actor}
          {rollback.forced ? ' with force (checkpoint restored exactly)' : ''}. Checkpoint <code>{rollback.checkpointId}</code>.
        </p>
      )}
      {proposal.statusReason && !['conflicted', 'stale', 'failed'].includes(proposal.status) && <p className="r-muted">{proposal.statusReason}</p>}
      {history.length > 0 && (
        <details>
          <summary>History ({history.length})</summary>
          <ol className="review-history">
            {history.map((h, i) => (
              <li key={i}>
                <time dateTime={h.at}>{formatTimestamp(h.at)}</time> — {statusLabel(h.status)} by {h.actor}
                {h.note ? `: ${h.note}` : ''}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
