import { useState } from 'react';
import type { AuditProtocol, AuditSnapshot } from '../protocol';
import { useHostRequest, useSnapshot } from '../host';
import { BusyIndicator } from '../common/BusyIndicator';
import { Button } from '../common/Button';
import { ErrorBanner } from '../common/ErrorBanner';
import { plural } from '../common/format';
import { AuditFilter } from './AuditFilter';
import { AuditTable } from './AuditTable';
import { VerifyResult } from './VerifyResult';

/** The hash-chained audit log: what happened to which proposal, by whom, and whether the log is intact. */
export function AuditApp() {
  const snapshot = useSnapshot<AuditProtocol>();
  const { send, running, error, clearError } = useHostRequest<AuditProtocol>();
  // The answer to our own request; the host may also push a result in the snapshot.
  const [verified, setVerified] = useState<AuditSnapshot['verify']>();

  if (!snapshot) {
    return (
      <main className="audit">
        <BusyIndicator label="Loading the audit log…" />
      </main>
    );
  }

  const verification = verified ?? snapshot.verify;
  const applyFilter = (proposalId: string | undefined) => void send('setFilter', proposalId ? { proposalId } : {});
  const verify = async () => {
    const outcome = await send('verify', {});
    if (outcome.ok) setVerified(outcome.result);
  };

  return (
    <main className="audit">
      <header className="audit-header r-toolbar">
        <h1>Audit log</h1>
        <span className="r-muted">
          {plural(snapshot.entries.length, 'entry', 'entries')}
          {snapshot.proposalId ? ` for proposal ${snapshot.proposalId}` : ''}
        </span>
        <span className="r-spacer" />
        <Button variant="primary" icon="shield" disabled={running === 'verify'} onClick={() => void verify()}>
          Verify audit log
        </Button>
      </header>
      {running === 'verify' && <BusyIndicator label="Verifying the hash chain…" />}
      {verification && <VerifyResult result={verification} />}
      {snapshot.error && <ErrorBanner message={snapshot.error} />}
      {error && error.message !== snapshot.error && <ErrorBanner message={error.message} onDismiss={clearError} />}
      <AuditFilter active={snapshot.proposalId} busy={running === 'setFilter'} onApply={applyFilter} />
      {snapshot.entries.length === 0 ? (
        <p className="r-muted">{snapshot.proposalId ? `No entries for proposal ${snapshot.proposalId}.` : 'No entries yet: the log starts with the first proposal.'}</p>
      ) : (
        <AuditTable entries={snapshot.entries} onOpenProposal={(id) => void send('openProposal', { id })} onFilterProposal={(id) => applyFilter(id)} />
      )}
    </main>
  );
}
