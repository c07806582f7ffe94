import type { ProgressStep, ProgressView } from '../protocol';
import { Icon } from '../common/Icon';

const STEPS: readonly { step: ProgressStep; label: string }[] = [
  { step: 'validate', label: 'Validate' },
  { step: 'checkpoint', label: 'Checkpoint' },
  { step: 'apply', label: 'Apply' },
  { step: 'verify', label: 'Verify' },
];

const OPERATION: Record<ProgressView['operation'], { running: string; noun: string }> = {
  approve: { running: 'Applying', noun: 'Apply' },
  rollback: { running: 'Rolling back', noun: 'Rollback' },
  redo: { running: 'Redoing', noun: 'Redo' },
};

type StepState = 'todo' | ProgressView['state'];

const STATE_TEXT: Record<StepState, string> = { todo: 'not started', running: 'in progress', done: 'done', failed: 'failed' };
const STATE_ICON: Record<StepState, string> = { todo: 'circle-large-outline', running: 'sync', done: 'pass-filled', failed: 'error' };

/** Steps before the current one are done, the current one has the host's state, later ones wait. */
export function stepStates(progress: ProgressView): StepState[] {
  const current = STEPS.findIndex((s) => s.step === progress.step);
  return STEPS.map((_, i) => (i < current ? 'done' : i === current ? progress.state : 'todo'));
}

/** validate → checkpoint → apply → verify, from snapshot.progress. */
export function ProgressTracker({ progress }: { progress: ProgressView }) {
  const states = stepStates(progress);
  const op = OPERATION[progress.operation];
  const heading = progress.state === 'failed' ? `${op.noun} failed` : progress.state === 'done' && progress.step === 'verify' ? `${op.noun} finished` : `${op.running}…`;
  return (
    <section className="progress" aria-labelledby="progress-heading">
      <h2 id="progress-heading">{heading}</h2>
      <ol className="progress__steps" aria-label="Progress">
        {STEPS.map(({ step, label }, i) => {
          const state = states[i]!;
          return (
            <li key={step} className={`progress__step progress__step--${state}`} aria-current={state === 'running' ? 'step' : undefined}>
              <Icon name={STATE_ICON[state]} className={state === 'running' ? 'codicon-modifier-spin' : ''} />
              <span>{label}</span>
              <span className="r-sr-only">: {STATE_TEXT[state]}</span>
            </li>
          );
        })}
      </ol>
      {progress.detail && <p className="progress__detail">{progress.detail}</p>}
    </section>
  );
}
