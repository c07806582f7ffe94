import { Button } from '../common/Button';
import { plural } from '../common/format';

export function ApprovalsHeader({ workspaceName, pendingCount, reviewing, onReviewWorkspace, onOpenAuditLog }: { workspaceName?: string; pendingCount: number; reviewing: boolean; onReviewWorkspace: () => void; onOpenAuditLog: () => void }) {
  return (
    <header className="approvals-header">
      <div className="approvals-header__title">
        <h1 className="r-sr-only">Rusty proposals{workspaceName ? ` for ${workspaceName}` : ''}</h1>
        <span className="approvals-header__count" aria-live="polite">
          {pendingCount === 0 ? 'Nothing pending' : `${plural(pendingCount, 'proposal')} pending`}
        </span>
      </div>
      <div className="r-toolbar">
        <Button variant="primary" icon="search" disabled={reviewing} onClick={onReviewWorkspace}>
          Review Workspace
        </Button>
        <Button variant="icon" icon="output" aria-label="Open audit log" title="Open audit log" onClick={onOpenAuditLog} />
      </div>
    </header>
  );
}
