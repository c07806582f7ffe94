import { useId, useState } from 'react';
import type { ProposalStatusView } from '../protocol';
import { Button } from '../common/Button';
import { plural } from '../common/format';
import { RejectReasonForm } from '../common/RejectReasonForm';
import { actionsForStatus } from '../common/statusActions';
import type { SelectionSummary } from './diff/selection';

export interface ReviewActionHandlers {
  onApproveSelected(): void;
  /** Resolves true once the host accepted the rejection. */
  onReject(reason: string): Promise<boolean>;
  onRollback(force: boolean): void;
  onRedo(): void;
  /** Branch, commit and GitHub pull request (offered when the host says so). */
  onOpenPullRequest?(draft: boolean): void;
}

/** The decision bar, kept at the top of the panel (sticky) so Tab reaches it before the diff. */
export function ReviewActions({ title, status, summary, canApprove, busy, handlers, canOpenPullRequest = false }: { title: string; status: ProposalStatusView; summary: SelectionSummary; canApprove: boolean; busy: boolean; handlers: ReviewActionHandlers; canOpenPullRequest?: boolean }) {
  const [rejecting, setRejecting] = useState(false);
  const summaryId = useId();
  const actions = actionsForStatus(status);
  const everything = summary.files === summary.totalFiles && summary.hunks === summary.totalHunks;

  if (!actions.approve && !actions.reject && !actions.rollback && !actions.redo) return null;
  return (
    <div className="review-actions" role="toolbar" aria-label="Decision">
      {rejecting ? (
        <RejectReasonForm
          subject={title}
          busy={busy}
          onSubmit={async (reason) => {
            if (await handlers.onReject(reason)) setRejecting(false);
          }}
          onCancel={() => setRejecting(false)}
        />
      ) : (
        <div className="r-toolbar">
          {actions.approve && (
            <>
              <Button variant="primary" icon="check" disabled={busy || !canApprove} aria-describedby={summaryId} onClick={handlers.onApproveSelected}>
                Approve selected
              </Button>
              <span id={summaryId} className="r-muted">
                {!canApprove
                  ? 'Nothing selected'
                  : everything
                    ? `All ${plural(summary.totalHunks, 'hunk')} in ${plural(summary.totalFiles, 'file')}`
                    : `${summary.hunks} of ${plural(summary.totalHunks, 'hunk')} in ${summary.files} of ${plural(summary.totalFiles, 'file')}`}
              </span>
            </>
          )}
          {actions.reject && (
            <Button icon="close" disabled={busy} onClick={() => setRejecting(true)}>
              Reject…
            </Button>
          )}
          {actions.rollback && (
            <Button icon="discard" disabled={busy} onClick={() => handlers.onRollback(false)}>
              Rollback
            </Button>
          )}
          {actions.redo && (
            <Button icon="redo" disabled={busy} onClick={handlers.onRedo}>
              Redo
            </Button>
          )}
          {canOpenPullRequest && handlers.onOpenPullRequest && (
            <>
              <Button icon="git-pull-request" disabled={busy} onClick={() => handlers.onOpenPullRequest!(false)}>
                Open Pull Request
              </Button>
              <Button disabled={busy} onClick={() => handlers.onOpenPullRequest!(true)}>
                Open as Draft
              </Button>
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** Offered after a rollback was refused because later edits overlap the proposal's. */
export function ForceRollbackOffer({ message, busy, onForce, onDismiss }: { message: string; busy: boolean; onForce: () => void; onDismiss: () => void }) {
  return (
    <section className="r-banner r-banner--warning review-force" aria-labelledby="force-heading">
      <div className="r-banner__text">
        <h2 id="force-heading">Rollback refused: later edits overlap</h2>
        <p>{message}</p>
        <p>
          <strong>Force</strong> restores the checkpoint exactly. Your current files are checkpointed first, so <strong>Redo</strong> brings them back.
        </p>
        <div className="r-toolbar">
          <Button variant="primary" icon="discard" disabled={busy} onClick={onForce}>
            Roll back with force
          </Button>
          <Button onClick={onDismiss}>Keep my edits</Button>
        </div>
      </div>
    </section>
  );
}
