import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import type { AskingView, ReviewPanelSnapshot, ReviewProtocol } from '../protocol';
import { isReviewSnapshot } from '../common/snapshotGuards';
import { renderWithHost } from '../test/fakeHost';
import { minutesAgo, reviewSnapshot } from '../test/fixtures';
import { ReviewApp } from './ReviewApp';

function asking(overrides: Partial<AskingView> = {}): ReviewPanelSnapshot {
  return {
    asking: {
      task: 'Fix the off-by-one in paginate',
      scope: 'src/page.ts',
      state: 'running',
      startedAt: minutesAgo(0),
      route: 'Chose vscode-lm/copilot/gpt-4.1: it supports tools, fits 2k tokens of context, no measurements yet.',
      candidates: [{ index: 1, model: 'vscode-lm/copilot/gpt-4.1', text: 'TITLE: Fix paginate\nFILE: src/page.ts' }],
      events: [
        { candidate: 0, kind: 'route', message: 'Chose vscode-lm/copilot/gpt-4.1: …', at: minutesAgo(0) },
        { candidate: 1, kind: 'tool', message: 'read_file: src/page.ts (40 lines)', at: minutesAgo(0) },
        { candidate: 1, kind: 'repair', message: 'Attempt 2 sent back to the model: no-match: the SEARCH block matches nothing in src/page.ts', at: minutesAgo(0) },
        { candidate: 1, kind: 'retry', message: 'openai/gpt-4.1 is rate-limited; retrying in 2 s (attempt 1 of 3).', at: minutesAgo(0) },
      ],
      ...overrides,
    },
  };
}

const render = (snapshot: ReviewPanelSnapshot) => renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot, handlers: { cancelAsk: () => undefined, openTranscript: () => undefined, openProposal: () => undefined } });

describe('review panel while asking the model', () => {
  it('streams the model\'s text and lists the route, tool calls, repair rounds with their reasons and retries', () => {
    render(asking());
    expect(screen.getByRole('heading', { level: 1, name: 'Asking: Fix the off-by-one in paginate' })).toBeTruthy();
    expect(screen.getByLabelText('Why this model').textContent).toMatch(/^Chose vscode-lm\/copilot\/gpt-4\.1: it supports tools/);
    expect(screen.getByText(/TITLE: Fix paginate/).textContent).toBe('TITLE: Fix paginate\nFILE: src/page.ts');
    const events = within(screen.getByRole('region', { name: 'What the model did' })).getAllByRole('listitem').map((li) => li.textContent);
    expect(events).toEqual([
      'route Chose vscode-lm/copilot/gpt-4.1: …',
      'tool read_file: src/page.ts (40 lines)',
      'repair Attempt 2 sent back to the model: no-match: the SEARCH block matches nothing in src/page.ts',
      'retry openai/gpt-4.1 is rate-limited; retrying in 2 s (attempt 1 of 3).',
    ]);
  });

  it('Cancel asks the host to stop the model; the button goes once it is cancelling', async () => {
    const { host, user } = render(asking());
    await user.click(screen.getByRole('button', { name: /Cancel/ }));
    expect(host.requests('cancelAsk')).toEqual([{}]);
    host.pushSnapshot(asking({ state: 'cancelling' }));
    expect(screen.queryByRole('button', { name: /Cancel/ })).toBeNull();
    expect(screen.getByText('Cancelling…')).toBeTruthy();
    host.pushSnapshot(asking({ state: 'cancelled', error: 'Cancelled: the model was stopped; nothing was proposed.' }));
    expect(screen.getByRole('status').textContent).toBe('Cancelled: nothing was proposed.');
  });

  it('shows competing candidates side by side while they stream', () => {
    render(asking({ candidates: [{ index: 1, model: 'anthropic/claude-sonnet-4-5', text: 'one' }, { index: 2, model: 'openai/gpt-4.1', text: 'two' }] }));
    expect(screen.getByRole('region', { name: 'Candidate 1: anthropic/claude-sonnet-4-5' }).textContent).toMatch(/one$/);
    expect(screen.getByRole('region', { name: 'Candidate 2: openai/gpt-4.1' }).textContent).toMatch(/two$/);
  });

  it('switches to the proposal when the host sends it, with the AI record in the details', async () => {
    const { host, user } = render(asking());
    host.pushSnapshot(reviewSnapshot({
      source: 'ai:vscode-lm/copilot/gpt-4.1',
      ai: {
        provider: 'vscode-lm', model: 'copilot/gpt-4.1', task: 'Fix the off-by-one in paginate', route: 'Chose vscode-lm/copilot/gpt-4.1: no measurements yet.',
        rounds: 3, repairs: [{ round: 2, kind: 'no-match', message: 'src/page.ts: the SEARCH block matches nothing\nclosest lines: …' }],
        usage: { inputTokens: 5120, outputTokens: 240 }, costUsd: 0.0123, transcript: { path: 'ai/transcripts/x.json', messages: 7 },
      },
    }));
    expect(screen.queryByRole('heading', { name: /^Asking/ })).toBeNull();
    const ai = screen.getByRole('region', { name: 'AI record' });
    expect(within(ai).getByRole('heading', { name: 'Made by vscode-lm/copilot/gpt-4.1' })).toBeTruthy();
    expect(ai.textContent).toContain('Why this modelChose vscode-lm/copilot/gpt-4.1: no measurements yet.');
    expect(ai.textContent).toContain('Tokens5,120 in · 240 out');
    expect(ai.textContent).toContain('Cost$0.01');
    expect(within(ai).getByRole('listitem').textContent).toBe('Attempt 2 sent back (no-match): src/page.ts: the SEARCH block matches nothing');
    await user.click(within(ai).getByRole('button', { name: /Open transcript \(7 messages, redacted\)/ }));
    expect(host.requests('openTranscript')).toEqual([{}]);
  });

  it('shows the alternatives side by side with their scores and the formula, and opens another one', async () => {
    const facts = (introduced: number, diffLines: number) => ({ introduced, removed: 0, testsReached: 1, diffLines, publicApiChanges: 0, risk: 10, repairRounds: 0 });
    const { host, user } = render(reviewSnapshot({}, {
      alternatives: {
        formula: 'score = 100 − 25·introduced − min(diffLines/10, 20)',
        items: [
          { id: 'p1', title: 'Tidy up src', status: 'pending', model: 'anthropic/claude-sonnet-4-5', rank: 1, score: 92, facts: facts(0, 12), added: 4, removed: 2, files: 3, current: true },
          { id: 'p2', title: 'Tidy up src differently', status: 'pending', model: 'openai/gpt-4.1', rank: 2, score: 61, facts: facts(1, 40), added: 30, removed: 10, files: 2, current: false },
        ],
      },
    }));
    const alt = screen.getByRole('region', { name: 'Alternatives' });
    expect(alt.textContent).toContain('score = 100 − 25·introduced − min(diffLines/10, 20)');
    const first = within(alt).getByRole('article', { name: 'Candidate ranked 1: anthropic/claude-sonnet-4-5' });
    const second = within(alt).getByRole('article', { name: 'Candidate ranked 2: openai/gpt-4.1' });
    expect(first.textContent).toContain('score 92');
    expect(second.textContent).toContain('score 61');
    expect(second.textContent).toContain('introduced1');
    expect(within(first).queryByRole('button')).toBeNull();
    await user.click(within(second).getByRole('button', { name: /Review p2/ }));
    expect(host.lastRequest('openProposal')).toEqual({ id: 'p2' });
  });

  it('keeps the latest asking view in the webview state for a reload, and drops it when the proposal arrives', () => {
    const { host } = render(asking());
    expect((host.state as { asking: AskingView }).asking.task).toBe('Fix the off-by-one in paginate');
    host.pushSnapshot(asking({ state: 'answered', answer: 'paginate() starts at page 0.' }));
    expect((host.state as { asking: AskingView }).asking).toMatchObject({ state: 'answered', answer: 'paginate() starts at page 0.' });
    host.pushSnapshot(reviewSnapshot({}));
    expect(host.state).not.toHaveProperty('asking');
    // The review's own view state is there instead (what the host restores the panel from).
    expect(JSON.stringify(host.state)).toContain('"proposalId"');
  });

  it('an ask restored as interrupted says so, with no Cancel button', () => {
    render(asking({ state: 'interrupted', error: 'The window was reloaded while the model was working, which stopped it: nothing was proposed. Ask again with "Rusty: Ask…".' }));
    expect(screen.getByRole('status').textContent).toBe('Interrupted by a window reload: nothing was proposed. Ask again.');
    expect(screen.queryByRole('button', { name: /Cancel/ })).toBeNull();
    expect(screen.getByText(/stopped it: nothing was proposed/)).toBeTruthy();
  });

  it('the snapshot guard accepts an asking snapshot and still refuses garbage', () => {
    expect(isReviewSnapshot(asking())).toBe(true);
    expect(isReviewSnapshot({ asking: { task: 1 } })).toBe(false);
    expect(isReviewSnapshot({ nothing: true })).toBe(false);
  });
});
