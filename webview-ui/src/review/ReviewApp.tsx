import { useEffect, useState } from 'react';
import type { ReviewProtocol, ReviewSnapshot } from '../protocol';
import { AiDetails, Alternatives } from './AiDetails';
import { TestRunDetails } from './TestRunDetails';
import { AskingView } from './AskingView';
import { LONG_REQUEST_TIMEOUT_MS, useHost, useHostRequest, useSnapshot } from '../host';
import { BusyIndicator } from '../common/BusyIndicator';
import { ErrorBanner } from '../common/ErrorBanner';
import { actionsForStatus, offersForce } from '../common/statusActions';
import { useNow } from '../common/useNow';
import { DiffView } from './diff/DiffView';
import { approvableFiles, approveParams, hasSelection, summarizeSelection } from './diff/selection';
import { ImpactPreview } from './ImpactPreview';
import { ProgressTracker } from './ProgressTracker';
import { ProposalWarnings } from './ProposalWarnings';
import { ForceRollbackOffer, ReviewActions } from './ReviewActions';
import { ReviewDetails } from './ReviewDetails';
import { ReviewHeader } from './ReviewHeader';
import { PullRequestStatus } from '../common/PullRequestStatus';
import { PartialGuidance, StatusGuidance } from './StatusGuidance';
import { useReviewViewState } from './useReviewViewState';

const RUNNING_LABELS = { approve: 'Applying the selected changes…', reject: 'Rejecting…', rollback: 'Rolling back…', redo: 'Re-applying…', checkNow: 'Type-checking in full…' } as const;
const LONG = { timeoutMs: LONG_REQUEST_TIMEOUT_MS };

/** The review panel for one proposal. */
export function ReviewApp() {
  const snapshot = useSnapshot<ReviewProtocol>();
  useAskingState(snapshot);
  if (!snapshot) {
    return (
      <main className="review">
        <BusyIndicator label="Loading the proposal…" />
      </main>
    );
  }
  if ('asking' in snapshot) return <AskingView asking={snapshot.asking} />;
  // Another proposal in the same panel keeps the panel and its diff mounted (switching re-renders
  // with the new data instead of rebuilding the page); its view state starts fresh (per proposal id).
  return <ReviewPanel snapshot={snapshot} />;
}

/**
 * While asking, the latest view is kept in the webview state (`asking`), so a panel restored after a
 * window reload shows the finished answer, or that the reload stopped the model; a proposal's
 * snapshot replaces it (the panel then restores as that proposal's review).
 */
function useAskingState(snapshot: ReturnType<typeof useSnapshot<ReviewProtocol>>) {
  const client = useHost();
  useEffect(() => {
    if (!snapshot) return;
    const raw = client.getState();
    const state = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    if ('asking' in snapshot) client.setState({ ...state, asking: snapshot.asking });
    else if ('asking' in state) {
      const { asking: _dropped, ...rest } = state;
      client.setState(rest);
    }
  }, [client, snapshot]);
}

function ReviewPanel({ snapshot }: { snapshot: ReviewSnapshot }) {
  const { proposal, progress } = snapshot;
  const view = useReviewViewState(proposal.id);
  const { send, running, error, clearError } = useHostRequest<ReviewProtocol>();
  const [forceOffer, setForceOffer] = useState<string | undefined>();
  const now = useNow();
  // Switched to another proposal: what was said about the previous one goes.
  const [shownId, setShownId] = useState(proposal.id);
  if (shownId !== proposal.id) {
    setShownId(proposal.id);
    setForceOffer(undefined);
    clearError();
  }

  const selectable = actionsForStatus(proposal.status).approve;
  // A proposal applied in part: only what is not applied yet can be approved.
  const approvable = approvableFiles(proposal);
  const params = approveParams(approvable, view.unselected);
  const busy = progress?.state === 'running' || running === 'approve' || running === 'reject' || running === 'rollback' || running === 'redo';
  const runningLabel = running && running in RUNNING_LABELS ? RUNNING_LABELS[running as keyof typeof RUNNING_LABELS] : undefined;

  const refocus = useRefocusAfterApprove(snapshot, selectable);

  async function approve() {
    // Never send an empty selection: the core reads it as "approve everything".
    if (!hasSelection(params)) return;
    if (!(await send('approve', params, LONG)).ok) return;
    // What is left of a partial approval starts selected again: "Approve selected" takes the rest.
    view.setUnselected(new Set());
    refocus();
  }

  async function rollback(force: boolean) {
    const outcome = await send('rollback', { force }, LONG);
    setForceOffer(!outcome.ok && !force && offersForce(outcome.error) ? outcome.error.message : undefined);
  }

  return (
    <main className="review">
      <ReviewHeader proposal={proposal} now={now} />
      {proposal.pullRequest && <PullRequestStatus pr={proposal.pullRequest} detailed />}
      <div className="review-sticky">
        <ReviewActions
          title={proposal.title}
          status={proposal.status}
          summary={summarizeSelection(approvable, view.unselected)}
          canApprove={hasSelection(params)}
          busy={busy}
          handlers={{
            onApproveSelected: () => void approve(),
            onReject: async (reason) => (await send('reject', { reason })).ok,
            onRollback: (force) => void rollback(force),
            onRedo: () => void send('redo', {}, LONG),
            onOpenPullRequest: (draft) => void send('openPullRequest', { draft }, LONG),
          }}
          canOpenPullRequest={!!proposal.canOpenPullRequest}
        />
        {runningLabel && !progress && <BusyIndicator label={runningLabel} />}
      </div>
      {/* The host also reports a refused rollback as its error; the force offer already shows it. */}
      {snapshot.error && snapshot.error !== forceOffer && <ErrorBanner message={snapshot.error} />}
      {error && error.message !== snapshot.error && !forceOffer && <ErrorBanner message={error.message} onDismiss={clearError} />}
      {forceOffer && (
        <ForceRollbackOffer
          message={forceOffer}
          busy={busy}
          onForce={() => void rollback(true)}
          onDismiss={() => {
            setForceOffer(undefined);
            clearError();
          }}
        />
      )}
      {progress && <ProgressTracker progress={progress} />}
      <StatusGuidance status={proposal.status} statusReason={proposal.statusReason} guidance={snapshot.guidance} />
      <PartialGuidance proposal={proposal} />
      <ProposalWarnings warnings={proposal.warnings} />
      {snapshot.alternatives && snapshot.alternatives.items.length > 1 && <Alternatives alternatives={snapshot.alternatives} onOpen={(id) => void send('openProposal', { id })} />}
      {proposal.testRun && <TestRunDetails run={proposal.testRun} />}
      {proposal.ai && <AiDetails ai={proposal.ai} onOpenTranscript={() => void send('openTranscript', {})} />}
      <ReviewDetails proposal={proposal} now={now} />
      <ImpactPreview proposal={proposal} onOpenFile={(path, line) => void send('openFile', line === undefined ? { path } : { path, line })} checking={running === 'checkNow'} onCheckNow={() => void send('checkNow', {}, LONG)} />
      <DiffView
        snapshot={snapshot}
        selectable={selectable}
        unselected={view.unselected}
        onUnselectedChange={view.setUnselected}
        layout={view.layout}
        onLayoutChange={view.setLayout}
        expandedGaps={view.expandedGaps}
        onToggleGap={view.toggleGap}
        collapsedFiles={view.collapsedFiles}
        onToggleCollapsed={view.toggleCollapsed}
        onOpenDiff={(path) => void send('openDiff', { path })}
      />
    </main>
  );
}

/** How long after an approval the panel may still move focus (the new snapshot can come before or after the answer). */
const REFOCUS_WINDOW_MS = 2_000;

/**
 * After an approval, focus goes to the first file still open for approval (what is left of a
 * partial approval) or else to the status line, instead of staying on a button that is gone.
 */
function useRefocusAfterApprove(snapshot: ReviewSnapshot, selectable: boolean): () => void {
  const [pendingSince, setPendingSince] = useState<number | undefined>();
  useEffect(() => {
    if (pendingSince === undefined) return;
    const target = (selectable && document.querySelector<HTMLElement>('.diff [data-nav-target]')) || document.querySelector<HTMLElement>('[data-review-status]');
    target?.focus();
    const timer = setTimeout(() => setPendingSince(undefined), Math.max(0, pendingSince + REFOCUS_WINDOW_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [pendingSince, snapshot, selectable]);
  return () => setPendingSince(Date.now());
}
