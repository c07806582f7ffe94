import { Fragment, useState } from 'react';
import type { AuditEntryView } from '../protocol';
import { Button } from '../common/Button';
import { formatTimestamp } from '../common/format';
import { summarizeDetails } from './summarizeDetails';

export const AUDIT_PAGE_SIZE = 200;

/** Newest first; long logs show a page at a time. */
export function AuditTable({ entries, onOpenProposal, onFilterProposal }: { entries: readonly AuditEntryView[]; onOpenProposal: (id: string) => void; onFilterProposal: (id: string) => void }) {
  const [limit, setLimit] = useState(AUDIT_PAGE_SIZE);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const newestFirst = [...entries].sort((a, b) => b.seq - a.seq);
  const shown = newestFirst.slice(0, limit);

  const toggle = (seq: number) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  return (
    <>
      <table className="audit-table">
        <caption className="r-sr-only">Audit log entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Seq</th>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Proposal</th>
            <th scope="col">Summary</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((entry) => {
            const open = expanded.has(entry.seq);
            const detailsId = `audit-details-${entry.seq}`;
            return (
              <Fragment key={entry.seq}>
                <tr className={`audit-row audit-row--${entry.action}`}>
                  <td className="r-mono">{entry.seq}</td>
                  <td>
                    <time dateTime={entry.time}>{formatTimestamp(entry.time)}</time>
                  </td>
                  <td>{entry.actor}</td>
                  <td>
                    <span className="audit-action">{entry.action}</span>
                  </td>
                  <td>
                    {entry.proposalId ? (
                      <span className="audit-proposal">
                        <button type="button" className="r-link r-mono" aria-label={`Open proposal ${entry.proposalId}`} onClick={() => onOpenProposal(entry.proposalId!)}>
                          {entry.proposalId}
                        </button>
                        <Button variant="icon" icon="filter" aria-label={`Show only entries of ${entry.proposalId}`} title="Show only this proposal" onClick={() => onFilterProposal(entry.proposalId!)} />
                      </span>
                    ) : (
                      <span className="r-muted">—</span>
                    )}
                  </td>
                  <td>
                    <div className="audit-details-cell">
                    <Button
                      variant="icon"
                      icon={open ? 'chevron-down' : 'chevron-right'}
                      aria-expanded={open}
                      aria-controls={open ? detailsId : undefined}
                      aria-label={`${open ? 'Hide' : 'Show'} details of entry ${entry.seq}`}
                      onClick={() => toggle(entry.seq)}
                    />
                    {/* The cell is cut to one line; the tooltip holds the whole summary. */}
                    <span className="audit-summary" title={summarizeDetails(entry.details, 2_000) || undefined}>
                      {summarizeDetails(entry.details) || <span className="r-muted">no details</span>}
                    </span>
                    </div>
                  </td>
                </tr>
                {open && (
                  <tr className="audit-row-details">
                    <td colSpan={6}>
                      <pre id={detailsId} className="audit-json">
                        {JSON.stringify(entry.details, null, 2)}
                      </pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {newestFirst.length > limit && (
        <Button onClick={() => setLimit(limit + AUDIT_PAGE_SIZE)}>
          Show older entries ({newestFirst.length - limit} more)
        </Button>
      )}
    </>
  );
}
