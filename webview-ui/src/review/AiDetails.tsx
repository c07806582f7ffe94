import { Markdown } from '../common/Markdown';
import type { AiRecordView, ReviewSnapshot } from '../protocol';
import { Button } from '../common/Button';

function usd(n: number): string {
  return n === 0 ? '$0' : n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** How a model made this proposal: route, rounds, repairs, tokens, cost, transcript. */
export function AiDetails({ ai, onOpenTranscript }: { ai: AiRecordView; onOpenTranscript: () => void }) {
  const tokens = `${ai.usage.inputTokens.toLocaleString('en-US')} in · ${ai.usage.outputTokens.toLocaleString('en-US')} out${ai.usage.cachedInputTokens ? ` (${ai.usage.cachedInputTokens.toLocaleString('en-US')} cached)` : ''}`;
  return (
    <section className="review-ai" aria-label="AI record">
      <h2>Made by {ai.provider}/{ai.model}</h2>
      <dl className="review-ai__facts">
        <dt>Task</dt><dd>{ai.task}</dd>
        {ai.route && (<><dt>Why this model</dt><dd>{ai.route}</dd></>)}
        <dt>Requests</dt><dd>{ai.rounds}</dd>
        <dt>Tokens</dt><dd>{tokens}</dd>
        <dt>Cost</dt><dd>{ai.costUsd === undefined ? 'not known' : usd(ai.costUsd)}</dd>
        {ai.thread && (<><dt>Thread</dt><dd className="r-mono">{ai.thread}</dd></>)}
      </dl>
      {ai.repairs.length > 0 && (
        <details open>
          <summary>Repair rounds ({ai.repairs.length})</summary>
          <ol className="review-ai__repairs">
            {ai.repairs.map((r, i) => (
              <li key={i}>
                Attempt {r.round} sent back ({r.kind}): {r.message.split('\n')[0]}
              </li>
            ))}
          </ol>
        </details>
      )}
      {ai.transcript && (
        <Button variant="secondary" icon="comment-discussion" onClick={onOpenTranscript}>
          Open transcript ({ai.transcript.messages} messages, redacted)
        </Button>
      )}
    </section>
  );
}

/** Competing proposals of the same task, side by side with their scores and the formula. */
export function Alternatives({ alternatives, onOpen }: { alternatives: NonNullable<ReviewSnapshot['alternatives']>; onOpen: (id: string) => void }) {
  const factNames = [...new Set(alternatives.items.flatMap((a) => Object.keys(a.facts)))];
  return (
    <section className="review-alternatives" aria-label="Alternatives">
      <h2>Alternatives ({alternatives.items.length})</h2>
      <p className="r-muted">
        Scored from measured facts: <code>{alternatives.formula}</code>. Approving one rejects the others ("superseded by" it).
      </p>
      <div className="review-alternatives__grid">
        {alternatives.items.map((a) => (
          <article key={a.id} className={`review-alternative${a.current ? ' review-alternative--current' : ''}`} aria-label={`Candidate ranked ${a.rank}: ${a.model}`}>
            <h3>
              #{a.rank} <span className="r-mono">{a.model}</span>
            </h3>
            <p className="review-alternative__score">score {a.score}</p>
            <p>
              <Markdown text={a.title} inline />
            </p>
            <p className="r-muted">
              {a.status}{a.statusReason ? ` — ${a.statusReason}` : ''} · {a.files} file{a.files === 1 ? '' : 's'}, +{a.added} −{a.removed}
            </p>
            <dl className="review-alternative__facts">
              {factNames.map((f) => (
                <div key={f}>
                  <dt>{f}</dt>
                  <dd>{a.facts[f] ?? '–'}</dd>
                </div>
              ))}
            </dl>
            {a.current ? <p className="r-muted">shown here</p> : (
              <Button variant="secondary" icon="go-to-file" onClick={() => onOpen(a.id)}>
                Review {a.id}
              </Button>
            )}
          </article>
        ))}
      </div>
    </section>
  );
}
