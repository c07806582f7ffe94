import { useState } from 'react';
import type { ApprovalsProtocol } from '../protocol';
import { LONG_REQUEST_TIMEOUT_MS, useHostRequest, usePersistentState, useSnapshot, type RequestMethod } from '../host';
import { BusyIndicator } from '../common/BusyIndicator';
import { Button } from '../common/Button';
import { ErrorBanner } from '../common/ErrorBanner';
import { offersForce } from '../common/statusActions';
import { useNow } from '../common/useNow';
import { ApprovalsHeader } from './ApprovalsHeader';
import { EmptyState, NoWorkspace } from './EmptyState';
import { filterProposals, isProposalFilters, NO_FILTERS } from './filterProposals';
import { ProposalCard, type CardHandlers } from './ProposalCard';
import { ProposalFiltersBar } from './ProposalFiltersBar';
import { DeadLetters } from './DeadLetters';

const RUNNING_LABELS: Partial<Record<RequestMethod<ApprovalsProtocol>, string>> = {
  approve: 'Applying…',
  reject: 'Rejecting…',
  rollback: 'Rolling back…',
  redo: 'Re-applying…',
  reviewWorkspace: 'Reviewing the workspace…',
  openPullRequest: 'Opening a pull request…',
  clearDeadLetters: 'Clearing refused submissions…',
};

/** The sidebar: the queue of proposals with quick actions; detail and partial approval live in the review panel. */
export function ApprovalsApp() {
  const snapshot = useSnapshot<ApprovalsProtocol>();
  const { send, running, error, clearError } = useHostRequest<ApprovalsProtocol>();
  const [filters, setFilters] = usePersistentState('filters', NO_FILTERS, isProposalFilters);
  // The sidebar's rollback cannot force; a refused rollback points to the review panel, which can.
  const [forceHint, setForceHint] = useState<string | undefined>();
  const now = useNow();

  if (!snapshot) {
    return (
      <main className="approvals">
        <BusyIndicator label="Loading proposals…" />
      </main>
    );
  }
  if (snapshot.noWorkspace) {
    return (
      <main className="approvals">
        <NoWorkspace />
      </main>
    );
  }

  const long = { timeoutMs: LONG_REQUEST_TIMEOUT_MS };
  const busy = !!snapshot.busy || running !== undefined;
  const reviewing = !!snapshot.busy || running === 'reviewWorkspace';
  const busyLabel = snapshot.busy?.label ?? (running ? RUNNING_LABELS[running] : undefined);
  const visible = filterProposals(snapshot.proposals, filters);
  const forceHintTitle = snapshot.proposals.find((p) => p.id === forceHint)?.title;

  const handlers: CardHandlers = {
    onReview: (id) => void send('review', { id }),
    onApprove: (id) => void send('approve', { id }, long),
    onReject: async (id, reason) => (await send('reject', { id, reason })).ok,
    onRollback: async (id) => {
      const outcome = await send('rollback', { id }, long);
      setForceHint(!outcome.ok && offersForce(outcome.error) ? id : undefined);
    },
    onRedo: (id) => void send('redo', { id }, long),
    onOpenPullRequest: (id) => void send('openPullRequest', { id }, long),
  };
  const reviewWorkspace = () => void send('reviewWorkspace', {}, long);

  return (
    <main className="approvals">
      <ApprovalsHeader
        workspaceName={snapshot.workspaceName}
        pendingCount={snapshot.pendingCount}
        reviewing={reviewing}
        onReviewWorkspace={reviewWorkspace}
        onOpenAuditLog={() => void send('openAuditLog', {})}
      />
      {busyLabel && <BusyIndicator label={busyLabel} />}
      {snapshot.error && <ErrorBanner message={snapshot.error} />}
      {error && error.message !== snapshot.error && <ErrorBanner message={error.message} onDismiss={clearError} />}
      {forceHint && (
        <div className="r-banner r-banner--info approvals-force-hint">
          <span className="r-banner__text">
            To roll back anyway and restore the checkpoint exactly, open the proposal: the review panel offers “Roll back with force”, and Redo brings your current files back.
          </span>
          <Button onClick={() => void send('review', { id: forceHint })} aria-label={`Review ${forceHintTitle ?? forceHint}`}>
            Review
          </Button>
        </div>
      )}
      {snapshot.deadLetters?.length ? (
        <DeadLetters
          letters={snapshot.deadLetters}
          now={now}
          busy={busy}
          handlers={{ onDismiss: (id) => void send('dismissDeadLetter', { id }), onClear: () => void send('clearDeadLetters', {}) }}
        />
      ) : null}
      {snapshot.proposals.length === 0 ? (
        <EmptyState />
      ) : (
        <>
          <ProposalFiltersBar proposals={snapshot.proposals} filters={filters} onChange={setFilters} />
          {visible.length === 0 ? (
            <p className="approvals-none-match">
              No proposals match these filters.{' '}
              <Button onClick={() => setFilters(NO_FILTERS)}>Show all</Button>
            </p>
          ) : (
            <ul className="approvals-list" aria-label="Proposals">
              {visible.map((proposal) => (
                <li key={proposal.id}>
                  <ProposalCard proposal={proposal} now={now} busy={busy} handlers={handlers} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </main>
  );
}
