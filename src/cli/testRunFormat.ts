// A proposal's attached test run as terminal lines (`rusty show`, `rusty debug`): the status, the
// counts (todos apart, never passes), and the tail of the runner's output. Runner output, test names
// and reasons are untrusted: escaped.
import type { TestRunRecord } from '../core/testgen/run';
import { terminalLine, terminalSafe } from './terminalText';

const TAIL_LINES = 20;
// Runner internals and TAP's closing counts (printed above already) are left out of the tail.
const NOISE = /\((node:)?internal\/|^\s*at .*node:internal\/|^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) [\d.]+$|^1\.\.\d+$/;

function outputTail(output: string, indent: string): string[] {
  const lines = terminalSafe(output).split('\n').filter((l) => !NOISE.test(l));
  const tail = lines.slice(-TAIL_LINES);
  return [...(lines.length > TAIL_LINES ? [`${indent}… (${lines.length - TAIL_LINES} earlier lines)`] : []), ...tail.map((l) => `${indent}| ${l}`)];
}

function runLines(label: string, run: TestRunRecord, indent: string): string[] {
  const status = run.status === 'not-run' ? `not run — ${terminalLine(run.reason ?? 'unknown reason', 300)}` : run.status === 'passed' ? 'passed' : 'FAILED';
  const counts = `${run.passed} passed, ${run.failed} failed, ${run.todo} todo${run.skipped ? `, ${run.skipped} skipped` : ''}`;
  return [
    `${indent}${label}: ${status}${run.status === 'not-run' ? '' : ` — ${counts}`}`,
    ...(run.command ? [`${indent}  ${terminalLine(run.command, 200)}`] : []),
    ...(run.output && run.status !== 'passed' ? outputTail(run.output, `${indent}  `) : []),
  ];
}

/** `gen-tests --ai`: each case the model filled with its result, and the cases left todo. Titles are escaped. */
export function filledCaseLines(cases: readonly { title: string; status: string }[], indent: string): string[] {
  const done = cases.filter((c) => c.status !== 'todo');
  const todo = cases.length - done.length;
  return [
    ...done.map((c) => `${indent}filled by the model: ${c.status === 'failed' ? 'FAILED' : c.status} — ${terminalLine(c.title, 160)}`),
    ...(todo ? [`${indent}left todo: ${todo} case${todo === 1 ? '' : 's'}`] : []),
  ];
}

/** `Test run:` lines for a proposal's `testRun`; a debug fix's run shows the test without and with the fix. */
export function testRunShowLines(run: TestRunRecord): string[] {
  const test = run.test !== undefined ? ` "${terminalLine(run.test, 120)}"` : '';
  const head = `Test run (${terminalLine(run.framework, 40)}${test}, on a copy of the workspace; todos are not passes):`;
  if (run.before && run.after) return [head, ...runLines('without the fix', run.before, '  '), ...runLines('with the fix', run.after, '  ')];
  const unsaved = run.unsaved?.length ? [`  ran on unsaved editor text of ${run.unsaved.map((f) => terminalLine(f, 200)).join(', ')} (laid over the copy; not saved)`] : [];
  return [head, ...runLines('result', run, '  '), ...unsaved, ...(run.filled ? filledCaseLines(run.filled, '  ') : [])];
}
