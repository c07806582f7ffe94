import type { AskingView as AskingState, ReviewProtocol } from '../protocol';
import { useHostRequest } from '../host';
import { BusyIndicator } from '../common/BusyIndicator';
import { Button } from '../common/Button';
import { ErrorBanner } from '../common/ErrorBanner';

const STATE_LABELS: Record<AskingState['state'], string> = {
  running: 'The model is working…',
  cancelling: 'Cancelling…',
  cancelled: 'Cancelled: nothing was proposed.',
  failed: 'The model could not make a proposal.',
  answered: 'The model answered without proposing a change.',
  'no-change': 'Nothing was proposed.',
  interrupted: 'Interrupted by a window reload: nothing was proposed. Ask again.',
};

const KIND_LABELS: Record<AskingState['events'][number]['kind'], string> = {
  route: 'route', turn: 'request', tool: 'tool', validating: 'validate', repair: 'repair', accepted: 'validated',
  retry: 'retry', fallback: 'fallback', refused: 'budget', warning: 'warning',
};

/** "Rusty: Ask…" in progress: the streamed answer, what the agent did, and Cancel. */
export function AskingView({ asking }: { asking: AskingState }) {
  const { send, error, clearError } = useHostRequest<ReviewProtocol>();
  const active = asking.state === 'running' || asking.state === 'cancelling';
  const several = asking.candidates.length > 1;
  return (
    <main className="review review-asking" aria-busy={active}>
      <header className="review-header">
        <h1>Asking: {asking.task}</h1>
        <div className="review-header__meta">
          <span className="r-muted">about </span>
          <span className="r-mono">{asking.scope}</span>
        </div>
        {asking.route && <p className="review-header__rationale" aria-label="Why this model">{asking.route}</p>}
      </header>
      <div className="review-sticky">
        {active ? <BusyIndicator label={STATE_LABELS[asking.state]} /> : <p role="status">{STATE_LABELS[asking.state]}</p>}
        {asking.state === 'running' && (
          <Button variant="secondary" icon="stop-circle" onClick={() => void send('cancelAsk', {})}>
            Cancel
          </Button>
        )}
      </div>
      {asking.error && <ErrorBanner message={asking.error} />}
      {error && <ErrorBanner message={error.message} onDismiss={clearError} />}
      {asking.answer !== undefined && (
        <section aria-label="Answer">
          <pre className="review-asking__text">{asking.answer}</pre>
        </section>
      )}
      <div className={several ? 'review-asking__columns' : undefined}>
        {asking.candidates.map((c) => (
          <section key={c.index} aria-label={several ? `Candidate ${c.index}: ${c.model}` : `Answer of ${c.model}`}>
            {several && <h2>Candidate {c.index}: <span className="r-mono">{c.model}</span></h2>}
            <pre className="review-asking__text" aria-live="polite">{c.text || '…'}</pre>
          </section>
        ))}
      </div>
      {asking.events.length > 0 && (
        <section aria-label="What the model did">
          <h2>What happened</h2>
          <ol className="review-asking__events">
            {asking.events.map((e, i) => (
              <li key={i} className={`review-asking__event review-asking__event--${e.kind}`}>
                <span className="r-mono r-muted">{KIND_LABELS[e.kind]}{several && e.candidate ? ` #${e.candidate}` : ''}</span> {e.message}
              </li>
            ))}
          </ol>
        </section>
      )}
    </main>
  );
}
