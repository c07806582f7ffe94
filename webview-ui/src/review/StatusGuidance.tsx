import type { ProposalDetailView, ProposalStatusView } from '../protocol';
import { Icon } from '../common/Icon';
import { plural } from '../common/format';
import { approvableFiles } from './diff/selection';

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

function fileList(paths: readonly string[], max = 3): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/**
 * A proposal applied in part: what is in the files now (by part), what is still to approve, and
 * what the buttons do from here.
 */
export function PartialGuidance({ proposal }: { proposal: ProposalDetailView }) {
  if (proposal.status !== 'partially-applied' || !proposal.applied) return null;
  const total = proposal.files.reduce((n, f) => n + f.hunks.length, 0);
  const appliedHunks = proposal.applied.hunks.length;
  const pending = approvableFiles(proposal);
  const pendingHunks = pending.reduce((n, f) => n + Math.max(f.hunks.length, 1), 0);
  const parts = proposal.parts ?? [];
  const latest = [...parts].reverse().find((p) => !p.rolledBack);
  return (
    <section className="r-banner r-banner--info review-guidance review-partial" aria-labelledby="partial-heading">
      <Icon name="info" />
      <div className="r-banner__text">
        <h2 id="partial-heading">
          Partly applied: {appliedHunks} of {plural(total, 'hunk')} are in your files
        </h2>
        {parts.length > 0 && (
          <ul className="review-partial__parts">
            {parts.map((p) => (
              <li key={p.n}>
                Part {p.n}: {plural(p.hunks.length || p.files.length, p.hunks.length ? 'hunk' : 'file')} in {fileList(p.files)}
                {p.rolledBack ? ' (rolled back)' : ''}
              </li>
            ))}
          </ul>
        )}
        <p>
          <strong>Still to approve: </strong>
          {pending.length === 0 ? 'nothing' : `${plural(pendingHunks, 'hunk')} in ${fileList(pending.map((f) => f.to ?? f.path))}`}.
        </p>
        <p>
          <strong>What to do: </strong>
          Tick what else you want and choose <strong>Approve selected</strong>: it is applied as a new part, with its own checkpoint.{' '}
          <strong>Rollback</strong> undoes {latest ? `the latest applied part (part ${latest.n})` : 'the latest applied part'}; choose it again to undo earlier parts.
        </p>
      </div>
    </section>
  );
}
