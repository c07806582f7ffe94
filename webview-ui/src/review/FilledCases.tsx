import { Badge } from '../common/Badge';
import { Icon } from '../common/Icon';
import { VisibleText } from '../common/VisibleText';
import type { FilledCaseView } from '../protocol';
import type { StatusTone } from '../common/statusActions';

const STATUS: Record<FilledCaseView['status'], { label: string; tone: StatusTone; icon: string }> = {
  passed: { label: 'Passed', tone: 'success', icon: 'pass' },
  failed: { label: 'Failed', tone: 'error', icon: 'error' },
  'not-run': { label: 'Not run', tone: 'warning', icon: 'circle-slash' },
  todo: { label: 'Todo', tone: 'neutral', icon: 'circle-large-outline' },
};

function CaseItem({ c }: { c: FilledCaseView }) {
  const s = STATUS[c.status] ?? STATUS['not-run'];
  return (
    <li className={`review-filled__case review-filled__case--${c.status}`}>
      <Icon name={s.icon} className="review-filled__icon" />
      <Badge tone={s.tone}>{s.label}</Badge> <VisibleText text={c.title} />
    </li>
  );
}

/**
 * The todo cases of a generated test after the model filled expectations: each filled case with its
 * result in the run above, then the cases left todo (counted as todo, never as passes).
 */
export function FilledCases({ cases }: { cases: readonly FilledCaseView[] }) {
  const done = cases.filter((c) => c.status !== 'todo');
  const todo = cases.filter((c) => c.status === 'todo');
  const n = (s: FilledCaseView['status']) => done.filter((c) => c.status === s).length;
  const summary = [`${n('passed')} passed`, `${n('failed')} failed`, ...(n('not-run') ? [`${n('not-run')} not run`] : []), `${todo.length} left todo`].join(' · ');
  return (
    <section className="review-filled" aria-label="Cases filled by the model">
      <h3>
        Filled by the model: {done.length} of {cases.length} case{cases.length === 1 ? '' : 's'}
      </h3>
      <p>{summary}</p>
      {done.length > 0 && (
        <ul className="review-filled__list" aria-label="Filled cases">
          {done.map((c, i) => <CaseItem key={`${i}:${c.title}`} c={c} />)}
        </ul>
      )}
      {todo.length > 0 && (
        <details>
          <summary>
            {todo.length} case{todo.length === 1 ? '' : 's'} left todo (expectations for you to write)
          </summary>
          <ul className="review-filled__list" aria-label="Cases left todo">
            {todo.map((c, i) => <CaseItem key={`${i}:${c.title}`} c={c} />)}
          </ul>
        </details>
      )}
    </section>
  );
}
