import { useEffect, useId, useState, type FormEvent } from 'react';
import { Button } from '../common/Button';

/** Proposal-id filter; applied by the host (setFilter), which answers with a new snapshot. */
export function AuditFilter({ active, busy, onApply }: { active?: string; busy: boolean; onApply: (proposalId: string | undefined) => void }) {
  const inputId = useId();
  const [text, setText] = useState(active ?? '');
  // Follow the host when it changes the filter (e.g. "show audit log" for one proposal).
  useEffect(() => setText(active ?? ''), [active]);

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(text.trim() || undefined);
  }

  return (
    <form className="audit-filter r-toolbar" role="search" aria-label="Filter audit log" onSubmit={submit}>
      <label htmlFor={inputId}>Proposal id</label>
      <input id={inputId} className="r-input r-mono" type="text" value={text} placeholder="all proposals" onChange={(e) => setText(e.target.value)} />
      <Button type="submit" icon="filter" disabled={busy}>
        Filter
      </Button>
      {active && (
        <Button
          icon="clear-all"
          disabled={busy}
          onClick={() => {
            setText('');
            onApply(undefined);
          }}
        >
          Show all
        </Button>
      )}
    </form>
  );
}
