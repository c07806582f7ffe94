import { useId } from 'react';
import type { DeadLetterView } from '../protocol';
import { usePersistentState } from '../host';
import { Button } from '../common/Button';
import { formatAge, formatTimestamp } from '../common/format';
import { VisibleText } from '../common/VisibleText';

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

export interface DeadLetterHandlers {
  onDismiss: (id: string) => void;
  onClear: () => void;
}

/**
 * Submissions the agent gateway refused (validation failed): collapsed by default, one entry per
 * refusal with its reason, the agent and when. Agents' text is untrusted: hidden characters show.
 */
export function DeadLetters({ letters, now, busy, handlers }: { letters: DeadLetterView[]; now: number; busy: boolean; handlers: DeadLetterHandlers }) {
  const [open, setOpen] = usePersistentState('deadLettersOpen', false, isBoolean);
  const listId = useId();
  const count = `${letters.length} refused agent submission${letters.length === 1 ? '' : 's'}`;
  return (
    <section className="dead-letters" aria-label="Refused agent submissions">
      <div className="dead-letters__header">
        <Button variant="icon" icon={open ? 'chevron-down' : 'chevron-right'} className="dead-letters__toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
          {count}
        </Button>
        {open && (
          <Button icon="clear-all" disabled={busy} onClick={handlers.onClear} aria-label="Clear all refused agent submissions">
            Clear all
          </Button>
        )}
      </div>
      {open && (
        <ul id={listId} className="dead-letters__list" aria-label="Refused agent submissions">
          {letters.map((d) => {
            const title = d.title ?? d.kind;
            return (
              <li key={d.id} className="dead-letter">
                <div className="dead-letter__title">
                  <VisibleText text={title} />
                </div>
                <div className="dead-letter__meta r-muted">
                  <span title="Gateway client">
                    agent:<VisibleText text={d.client} />
                  </span>
                  <span title="Error code">{d.code}</span>
                  <time dateTime={d.failedAt} title={formatTimestamp(d.failedAt)}>
                    {formatAge(d.failedAt, now)}
                  </time>
                </div>
                <p className="dead-letter__reason">
                  <VisibleText text={d.reason} multiline />
                </p>
                <Button icon="close" disabled={busy} onClick={() => handlers.onDismiss(d.id)} aria-label={`Dismiss ${title}`}>
                  Dismiss
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
