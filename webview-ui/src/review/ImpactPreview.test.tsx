import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import type { ReviewProtocol } from '../protocol';
import { renderWithHost } from '../test/fakeHost';
import { reviewSnapshot } from '../test/fixtures';
import { ReviewApp } from './ReviewApp';

describe('impact preview: notes and failures', () => {
  it('shows the analysis notes (why the type check was skipped, limits hit)', () => {
    renderWithHost<ReviewProtocol>(<ReviewApp />, {
      snapshot: reviewSnapshot({
        risk: { score: 10, level: 'low', reasons: ['type-check delta not computed (+10)'] },
        impact: { symbols: [], references: 0, dependents: [], tests: [], publicApi: [], notes: ['Type check not run: 900 files exceed the limit of 400.'] },
      }),
    });
    expect(screen.getByRole('list', { name: 'Analysis notes' }).textContent).toBe('Type check not run: 900 files exceed the limit of 400.');
    expect(screen.getByText('Not computed yet: type check.')).toBeTruthy();
  });

  it('says the analysis failed instead of listing every field as not computed', () => {
    renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: reviewSnapshot({ impact: { error: 'Could not load the TypeScript project (tsconfig.json): boom' } }) });
    expect(screen.getByRole('status').textContent).toBe('Impact analysis failed: Could not load the TypeScript project (tsconfig.json): boom');
    expect(screen.queryByText(/Not computed yet/)).toBeNull();
    expect(screen.getByText('Risk not computed for this proposal.')).toBeTruthy();
  });

  it('offers "Check now" when the type check was skipped for size, sends it, and shows the stored result after', async () => {
    const skipped = reviewSnapshot({ impact: { symbols: [], references: 0, dependents: [], tests: [], publicApi: [], notes: ['Type check not run: 3 changed files and direct importers exceed the type-check limit of 1 files (large workspace).'], checkNow: true } });
    let answer: () => void = () => undefined;
    const { host, user } = renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: skipped, handlers: { checkNow: () => new Promise<void>((resolve) => { answer = resolve; }) } });
    await user.click(screen.getByRole('button', { name: 'Check now' }));
    expect(host.requests('checkNow')).toEqual([{}]);
    expect((screen.getByRole('button', { name: 'Type-checking in full…' }) as HTMLButtonElement).disabled).toBe(true);
    answer();
    host.pushSnapshot(reviewSnapshot({ impact: { symbols: [], references: 0, dependents: [], tests: [], publicApi: [], typeCheck: { introduced: [{ file: 'src/b.ts', line: 2, code: 2322, message: "Type 'number' is not assignable to type 'string'." }], removed: [] }, notes: ['Type-checked in full on request with TypeScript 6.0.2 (bundled).'] } }));
    expect(screen.queryByRole('button', { name: 'Check now' })).toBeNull();
    expect(screen.getByRole('list', { name: 'Analysis notes' }).textContent).toBe('Type-checked in full on request with TypeScript 6.0.2 (bundled).');
  });

  it('offers no "Check now" when the check ran', () => {
    renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: reviewSnapshot({ impact: { symbols: [], references: 0, dependents: [], tests: [], publicApi: [], typeCheck: { introduced: [], removed: [] } } }) });
    expect(screen.queryByRole('button', { name: 'Check now' })).toBeNull();
  });
});
