import { VisibleText } from '../common/VisibleText';
import type { TestRunSideView, TestRunView } from '../protocol';
import { FilledCases } from './FilledCases';

const STATUS: Record<TestRunView['status'], string> = { passed: 'Passed', failed: 'Failed', 'not-run': 'Could not run' };

function side(label: string, r: TestRunSideView) {
  return (
    <li className={`review-testrun__side review-testrun__side--${r.status}`}>
      <strong>{label}:</strong> {STATUS[r.status].toLowerCase()}
      {r.status === 'not-run' ? <> — <VisibleText text={r.reason ?? 'no reason was recorded'} /></> : ` (${r.passed} passed · ${r.failed} failed)`}
    </li>
  );
}

/**
 * The test run attached to a proposal (generated tests, a debug fix): counts with todos apart from
 * passes, the command, and the runner's output in a collapsible monospace block (escaped text).
 */
export function TestRunDetails({ run }: { run: TestRunView }) {
  const counts = `${run.passed} passed · ${run.failed} failed · ${run.todo} todo${run.skipped ? ` · ${run.skipped} skipped` : ''}`;
  return (
    <section className={`review-testrun review-testrun--${run.status}`} aria-label="Test run">
      <h2>
        Test run: {STATUS[run.status]} <span className="r-muted">({run.framework}, on a copy of the workspace{run.unsaved ? ' with unsaved editor text' : ''}{run.status === 'not-run' ? '' : `, ${(run.ms / 1000).toFixed(1)} s`})</span>
      </h2>
      {run.status === 'not-run' ? (
        <p>
          <VisibleText text={run.reason ?? 'No reason was recorded.'} />
        </p>
      ) : (
        <p>
          {counts}. Todos are expectations left for you to write; they are not counted as passes.
        </p>
      )}
      {run.unsaved && run.unsaved.length > 0 && (
        <p className="review-testrun__unsaved">
          Ran on unsaved text: the editors' unsaved changes to {run.unsaved.map((f, i) => (
            <span key={f}>
              {i > 0 && ', '}
              <code className="r-mono"><VisibleText text={f} /></code>
            </span>
          ))}{' '}
          were laid over the copy; nothing was saved.
        </p>
      )}
      {(run.before || run.after) && (
        <div className="review-testrun__fix">
          <p>
            The failing test{run.test ? <> <code className="r-mono"><VisibleText text={run.test} /></code></> : ''}, run on copies of the workspace:
          </p>
          <ul aria-label="Without and with the fix">
            {run.before && side('Without the fix', run.before)}
            {run.after && side('With the fix', run.after)}
          </ul>
        </div>
      )}
      {run.filled && <FilledCases cases={run.filled} />}
      {run.command && (
        <p className="r-muted">
          Command: <code className="r-mono"><VisibleText text={run.command} /></code>
        </p>
      )}
      {run.output && (
        <details open={run.status === 'failed'}>
          <summary>Runner output</summary>
          <pre className="review-testrun__output r-mono">
            <VisibleText text={run.output} multiline />
          </pre>
        </details>
      )}
    </section>
  );
}
