import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import type { ReviewProtocol, TestRunView } from '../protocol';
import { renderWithHost } from '../test/fakeHost';
import { reviewSnapshot } from '../test/fixtures';
import { ReviewApp } from './ReviewApp';

const FAILED: TestRunView = {
  framework: 'node:test', status: 'failed', passed: 1, failed: 1, todo: 3, skipped: 0, ms: 1234, at: '2026-12-03T16:00:00.000Z',
  command: 'node --test --test-reporter=tap test/a.test.mjs',
  output: 'not ok 2 - add\n  error: <img src=x onerror=alert(1)> \u001b[31mred\u001b[0m\n  stack: |-\n    at add (src/a.mjs:2:9)',
};

function render(testRun?: TestRunView) {
  return renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: reviewSnapshot({ source: 'testgen', ...(testRun ? { testRun } : {}) }) });
}

describe('the test run in the review panel', () => {
  it('shows a failed run with counts (todos apart), the command, and the output escaped in an open monospace block', () => {
    const { container } = render(FAILED);
    const section = screen.getByRole('region', { name: 'Test run' });
    expect(within(section).getByRole('heading', { level: 2 }).textContent).toBe('Test run: Failed (node:test, on a copy of the workspace, 1.2 s)');
    expect(section.textContent).toContain('1 passed · 1 failed · 3 todo. Todos are expectations left for you to write; they are not counted as passes.');
    expect(section.textContent).toContain('Command: node --test --test-reporter=tap test/a.test.mjs');
    const details = section.querySelector('details')!;
    expect(details.open).toBe(true);
    const pre = details.querySelector('pre.review-testrun__output')!;
    expect(pre.className).toContain('r-mono');
    // Markup in runner output is text, never elements; escape codes show as code points.
    expect(pre.querySelector('img')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(pre.textContent).toContain('error: <img src=x onerror=alert(1)> U+001B[31mred');
    expect(pre.textContent).toContain('\n    at add (src/a.mjs:2:9)');
    expect([...pre.querySelectorAll('mark.r-hidden-char--control')].map((m) => m.textContent)).toEqual(['U+001B', 'U+001B']);
  });

  it('a passing run keeps its output closed', () => {
    render({ ...FAILED, status: 'passed', failed: 0, output: 'ok 1' });
    expect(screen.getByRole('region', { name: 'Test run' }).querySelector('details')!.open).toBe(false);
  });

  it('a run that could not start shows the reason and no counts', () => {
    render({ framework: 'ava', status: 'not-run', passed: 0, failed: 0, todo: 0, skipped: 0, ms: 3, at: FAILED.at, reason: 'running ava tests is not supported yet' });
    const section = screen.getByRole('region', { name: 'Test run' });
    expect(section.querySelector('h2')!.textContent).toBe('Test run: Could not run (ava, on a copy of the workspace)');
    expect(section.textContent).toContain('running ava tests is not supported yet');
    expect(section.textContent).not.toContain('passed ·');
  });

  it('a debug fix shows its failing test without and with the fix (names escaped)', () => {
    render({ ...FAILED, status: 'passed', passed: 1, failed: 0, todo: 0, test: 'greets <b>ada</b>', before: { status: 'failed', passed: 0, failed: 1 }, after: { status: 'passed', passed: 1, failed: 0 } });
    const section = screen.getByRole('region', { name: 'Test run' });
    expect(section.textContent).toContain('The failing test greets <b>ada</b>, run on copies of the workspace:');
    expect(section.querySelector('b')).toBeNull();
    const items = within(screen.getByRole('list', { name: 'Without and with the fix' })).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(['Without the fix: failed (0 passed · 1 failed)', 'With the fix: passed (1 passed · 0 failed)']);
  });

  it('a side that could not run says why', () => {
    render({ ...FAILED, before: { status: 'not-run', passed: 0, failed: 0, reason: 'unsaved editors' } });
    expect(screen.getByRole('list', { name: 'Without and with the fix' }).textContent).toBe('Without the fix: could not run — unsaved editors');
  });

  it('a generated test has no with/without list', () => {
    render(FAILED);
    expect(screen.queryByRole('list', { name: 'Without and with the fix' })).toBeNull();
  });

  it('no test run: no section', () => {
    render();
    expect(screen.queryByRole('region', { name: 'Test run' })).toBeNull();
  });
});
