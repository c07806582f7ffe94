import { VisibleText } from '../common/VisibleText';
import type { TestRunView } from '../protocol';
import { FilledCases } from './FilledCases';

const STATUS: Record<TestRunView['status'], string> = { passed: 'Passed', failed: 'Failed', 'not-run': 'Could not run' };

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
