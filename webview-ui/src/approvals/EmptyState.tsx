import { Icon } from '../common/Icon';

/**
 * What a new user sees first: what Rusty is for and the two ways to get a proposal. The Review
 * Workspace button it names is the one in the header, so there is exactly one button by that name.
 */
export function EmptyState() {
  return (
    <section className="approvals-empty" aria-label="No proposals">
      <Icon name="inbox" className="approvals-empty__icon" />
      <p>
        No proposals yet. Run <strong>Review Workspace</strong> to let the embedded engine look for safe fixes, or submit a change set with{' '}
        <code>rusty submit</code>.
      </p>
      <p className="r-muted">Nothing touches your files until you approve it, and every approval can be rolled back.</p>
    </section>
  );
}

export function NoWorkspace() {
  return (
    <section className="approvals-empty" aria-label="No workspace">
      <Icon name="folder" className="approvals-empty__icon" />
      <p>Open a folder to use Rusty.</p>
      <p className="r-muted">Proposals, checkpoints and the audit log are kept per workspace folder, and only for folders on a local file system.</p>
    </section>
  );
}
