import type { ProposalStatusView } from '../protocol';
import { Icon } from '../common/Icon';

// What each troubled status means and what to do, in case the host sends no guidance of its own.
const DEFAULTS: Partial<Record<ProposalStatusView, { title: string; tone: 'warning' | 'error'; advice: string }>> = {
  conflicted: {
    title: 'Conflict: nothing was written',
    tone: 'warning',
    advice: 'Some files changed since this proposal was made and the changes overlap. Edit the files so the overlapping lines agree, or untick the conflicting hunks, then approve again — or reject the proposal.',
  },
  stale: {
    title: 'Stale: the proposal no longer fits the files',
    tone: 'warning',
    advice: 'The files it was computed on changed or are gone, so it cannot be applied. Reject it and create it again (for example with Review Workspace).',
  },
  failed: {
    title: 'Apply failed: your files were put back',
    tone: 'error',
    advice: 'Writing stopped part-way and every file already written was restored. Fix the cause named above (disk space, permissions, a locked file), then approve again.',
  },
};

export function StatusGuidance({ status, statusReason, guidance }: { status: ProposalStatusView; statusReason?: string; guidance?: string }) {
  const known = DEFAULTS[status];
  if (!known) return null;
  return (
    <section className={`r-banner r-banner--${known.tone} review-guidance`} aria-labelledby="guidance-heading">
      <Icon name={known.tone === 'error' ? 'error' : 'warning'} />
      <div className="r-banner__text">
        <h2 id="guidance-heading">{known.title}</h2>
        {statusReason && <p className="review-guidance__reason">{statusReason}</p>}
        <p>
          <strong>What to do: </strong>
          {guidance ?? known.advice}
        </p>
      </div>
    </section>
  );
}
