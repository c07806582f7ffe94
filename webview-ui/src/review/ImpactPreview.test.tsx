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
});
