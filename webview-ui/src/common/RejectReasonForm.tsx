import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Button } from './Button';

/**
 * Inline reason field for rejecting (never window.prompt, which webviews do not support).
 * The reason is required: the audit log keeps it.
 */
export function RejectReasonForm({ subject, busy, onSubmit, onCancel }: { subject: string; busy?: boolean; onSubmit: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const inputId = useId();
  const trimmed = reason.trim();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (trimmed) onSubmit(trimmed);
  }

  function cancelOnEscape(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  }

  return (
    <form className="r-reject" onSubmit={submit} onKeyDown={cancelOnEscape} aria-label={`Reject ${subject}`}>
      <label htmlFor={inputId} className="r-reject__label">
        Reason for rejecting
      </label>
      <input
        id={inputId}
        className="r-input"
        type="text"
        value={reason}
        autoFocus
        required
        maxLength={10_000}
        placeholder="Why is this change not wanted?"
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="r-reject__actions">
        <Button type="submit" variant="primary" icon="close" disabled={!trimmed || busy}>
          Reject proposal
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
