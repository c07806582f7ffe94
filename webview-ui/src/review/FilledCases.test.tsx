import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import type { ReviewProtocol, TestRunView } from '../protocol';
import { renderWithHost } from '../test/fakeHost';
import { reviewSnapshot } from '../test/fixtures';
import { ReviewApp } from './ReviewApp';

// A generated test whose expectations a model filled: one passed, one failed, two left todo.
const RUN: TestRunView = {
  framework: 'node:test', status: 'failed', passed: 2, failed: 1, todo: 2, skipped: 0, ms: 2100, at: '2026-12-03T19:00:00.000Z',
  command: 'node --test --test-reporter=tap test/area.test.mjs',
  output: 'not ok 3 - area(-1)',
  filled: [
    { title: 'area(1)', status: 'passed' },
    { title: 'area(-1) <img src=x onerror=alert(1)> \u202Eevil', status: 'failed' },
    { title: 'area(0)', status: 'todo' },
    { title: 'area(NaN)', status: 'todo' },
  ],
  unsaved: ['src/area.mjs'],
};

function render(testRun: TestRunView) {
  return renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: reviewSnapshot({ source: 'ai:vscode-lm/test/model', testRun }) });
}

describe('cases filled by the model in the review panel', () => {
  it('lists each filled case with its result and the todos apart, never as passes; titles escaped', () => {
    const { container } = render(RUN);
    const section = screen.getByRole('region', { name: 'Cases filled by the model' });
    expect(within(section).getByRole('heading', { level: 3 }).textContent).toBe('Filled by the model: 2 of 4 cases');
    expect(section.textContent).toContain('1 passed · 1 failed · 2 left todo');
    const filled = within(section).getByRole('list', { name: 'Filled cases' });
    expect(within(filled).getAllByRole('listitem').map((li) => li.className.split(' ').find((c) => c.startsWith('review-filled__case--')))).toEqual(['review-filled__case--passed', 'review-filled__case--failed']);
    expect(within(filled).getAllByRole('listitem').map((li) => li.querySelector('.r-badge')!.textContent)).toEqual(['Passed', 'Failed']);
    // Markup in a title is text; the bidi override is shown as a code point, not applied.
    expect(container.querySelector('img')).toBeNull();
    expect(filled.textContent).toContain('area(-1) <img src=x onerror=alert(1)>');
    expect(filled.querySelector('mark.r-hidden-char--bidi')!.textContent).toBe('U+202E');
    expect(filled.textContent).not.toContain('\u202E');
    // Todos: collapsed (a native, keyboard-operable disclosure), badged Todo, none of them a pass.
    const details = section.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')!.textContent).toBe('2 cases left todo (expectations for you to write)');
    const todos = within(details).getByRole('list', { name: 'Cases left todo', hidden: true });
    expect([...todos.querySelectorAll('li')].map((li) => [li.querySelector('.r-badge')!.textContent, li.textContent!.replace(/^Todo\s*/, '')])).toEqual([['Todo', 'area(0)'], ['Todo', 'area(NaN)']]);
    expect(section.querySelectorAll('.review-filled__case--passed')).toHaveLength(1);
  });

  it('says the run used the unsaved editor text', () => {
    render(RUN);
    const run = screen.getByRole('region', { name: 'Test run' });
    expect(run.querySelector('h2')!.textContent).toBe('Test run: Failed (node:test, on a copy of the workspace with unsaved editor text, 2.1 s)');
    expect(run.textContent).toContain("Ran on unsaved text: the editors' unsaved changes to src/area.mjs were laid over the copy; nothing was saved.");
  });

  it('a skeleton run without a model has no filled cases and no unsaved note', () => {
    render({ ...RUN, status: 'passed', failed: 0, filled: undefined, unsaved: undefined });
    expect(screen.queryByRole('region', { name: 'Cases filled by the model' })).toBeNull();
    expect(screen.getByRole('region', { name: 'Test run' }).textContent).not.toContain('unsaved');
  });
});
