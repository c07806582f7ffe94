import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import type { FileView, ReviewProtocol, ReviewSnapshot } from '../protocol';
import { renderWithHost } from '../test/fakeHost';
import { reviewSnapshot } from '../test/fixtures';
import { ReviewApp } from './ReviewApp';

// "Trojan Source": the RLO/LRI/PDI characters make this line read as a comment in an editor.
const TROJAN = 'const isAdmin = false; /*\u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only */';
const ESC_LINE = 'run(); \u001b[2K\u001b[1G// harmless';

const FILE: FileView = {
  path: 'src/auth\u200B.ts',
  kind: 'modify',
  binary: false,
  added: 2,
  removed: 1,
  hunks: [{ id: 'eeee0001', oldStart: 1, oldLines: 2, newStart: 1, newLines: 3, lines: [' const a = 1;', '-const isAdmin = false;', `+${TROJAN}`, `+${ESC_LINE}`] }],
};

function snapshot(): ReviewSnapshot {
  return reviewSnapshot({
    title: 'Fix\u202E auth',
    files: [FILE],
    added: 2,
    removed: 1,
    warnings: [
      { kind: 'bidi', path: 'src/auth\u200B.ts', in: 'content', lines: [2], count: 1, codepoints: ['U+2066', 'U+2069', 'U+202E'], message: 'src/auth\u200B.ts: 1 added line contains bidirectional control characters (U+2066, U+2069, U+202E), line 2.' },
      { kind: 'diff-simplified', path: 'src/big.ts', message: 'src/big.ts: diff simplified: the changed lines exceeded the exact diff\'s edit limit (−20000 +20000); shown as 1 hunk.' },
    ],
  }, { texts: { [FILE.path]: { before: 'const a = 1;\nconst isAdmin = false;\n', after: `const a = 1;\n${TROJAN}\n${ESC_LINE}\n` } } });
}

const marks = (root: HTMLElement) => Array.from(root.querySelectorAll('mark.r-hidden-char'));

describe('hidden characters in the review panel', () => {
  it('shows a warning banner with every warning, hidden characters included as visible code points', () => {
    renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: snapshot() });
    const banner = screen.getByRole('region', { name: /characters that can hide what the code does/ });
    const items = within(banner).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Bidirectional control characters:');
    expect(items[0]!.textContent).toContain('src/authU+200B.ts');
    expect(items[1]!.textContent).toMatch(/^Diff simplified: src\/big\.ts: diff simplified/);
  });

  it('renders bidi, invisible and control characters in diff lines, paths and the title as marked code points, never raw', () => {
    const { container } = renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: snapshot() });
    const added = Array.from(container.querySelectorAll('.diff-line--add .diff-line__text'));
    expect(added).toHaveLength(2);
    expect(added[0]!.textContent).toBe('const isAdmin = false; /*U+202E } U+2066if (isAdmin)U+2069 U+2066 begin admins only */');
    expect(marks(added[0] as HTMLElement).map((m) => [m.textContent, m.className])).toEqual([
      ['U+202E', 'r-hidden-char r-hidden-char--bidi'], ['U+2066', 'r-hidden-char r-hidden-char--bidi'],
      ['U+2069', 'r-hidden-char r-hidden-char--bidi'], ['U+2066', 'r-hidden-char r-hidden-char--bidi'],
    ]);
    expect(added[1]!.textContent).toBe('run(); U+001B[2KU+001B[1G// harmless');
    expect(marks(added[1] as HTMLElement).every((m) => m.className.includes('r-hidden-char--control'))).toBe(true);
    expect(container.querySelector('.diff-file__path')!.textContent).toBe('src/authU+200B.ts');
    expect(marks(container.querySelector('.diff-file__path') as HTMLElement)[0]!.getAttribute('title')).toBe('U+200B: invisible character');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('FixU+202E auth');
    // No hidden character reaches the page as text anywhere.
    expect([...container.textContent!].filter((ch) => '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200B\u001B'.includes(ch))).toEqual([]);
  });

  it('shows no banner and no marks for an ordinary proposal', () => {
    const { container } = renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: reviewSnapshot() });
    expect(screen.queryByRole('region', { name: /characters that can hide|Warnings/ })).toBeNull();
    expect(marks(container)).toEqual([]);
  });
});
