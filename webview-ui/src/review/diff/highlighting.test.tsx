import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import type { ReviewProtocol } from '../../protocol';
import { renderWithHost } from '../../test/fakeHost';
import { bigReviewSnapshot, reviewSnapshot } from '../../test/fixtures';
import { createRustyHighlighter } from '../../highlight/highlighter';
import { ReviewApp } from '../ReviewApp';

// The real highlighter (Shiki, JavaScript engine), as highlight.js would install it.
const highlighter = createRustyHighlighter();

afterEach(() => {
  delete window.rustyHighlighter;
});

function lineTexts(): string[] {
  return [...document.querySelectorAll('.diff-line__text')].map((el) => el.textContent ?? '');
}

describe('diff syntax highlighting', () => {
  it('paints plain text first, then colours tokens of both sides without changing any text', async () => {
    window.rustyHighlighter = highlighter;
    const snapshot = reviewSnapshot();
    renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot });
    const section = screen.getByRole('region', { name: 'Changes' });
    // First paint: no tokens yet.
    expect(section.querySelector('[class^="r-tok-"]')).toBeNull();
    const plain = lineTexts();
    expect(plain).toContain('export const d = 3;');

    await waitFor(() => expect(section.dataset.highlighted).toBe('all'), { timeout: 20_000 });
    expect(lineTexts()).toEqual(plain);
    const added = [...document.querySelectorAll('.diff-line--add .diff-line__text')].find((el) => el.textContent === 'export const d = 3;')!;
    expect([...added.querySelectorAll('span')].map((s) => [s.className, s.textContent])).toEqual([
      ['r-tok-control', 'export'],
      ['r-tok-keyword', 'const'],
      ['r-tok-constant', 'd'],
      ['r-tok-number', '3'],
    ]);
    // The old side is highlighted from the text before (a context line of b.ts, and the created file's line).
    const created = [...document.querySelectorAll('.diff-line__text')].find((el) => el.textContent === 'export const created = true;')!;
    expect(created.querySelector('.r-tok-keyword')?.textContent).toBe('const');

    // Side by side: the removed line (old side) and its replacement are coloured too.
    await screen.getByRole('button', { name: 'Side by side' }).click();
    await waitFor(() => expect(document.querySelector('.diff-pair .diff-line--del .diff-line__text')).toBeTruthy());
    expect(lineTexts().join('\n')).toContain('line three');
  }, 30_000);

  it('keeps hidden characters visible inside coloured tokens', async () => {
    window.rustyHighlighter = highlighter;
    const base = reviewSnapshot();
    const file = { ...base.proposal.files[1]!, hunks: [{ ...base.proposal.files[1]!.hunks[0]!, lines: [' export const b = 1;', ' export const c = 2;', '+export const d = "\u202Eabc";'] }] };
    const snapshot = { ...base, proposal: { ...base.proposal, files: [file] }, texts: { 'src/b.ts': { before: 'export const b = 1;\nexport const c = 2;\n', after: 'export const b = 1;\nexport const c = 2;\nexport const d = "\u202Eabc";\n' } } };
    renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot });
    const section = screen.getByRole('region', { name: 'Changes' });
    await waitFor(() => expect(section.dataset.highlighted).toBe('all'), { timeout: 20_000 });
    const mark = section.querySelector('.r-tok-string mark.r-hidden-char');
    expect(mark?.textContent).toBe('U+202E');
  }, 30_000);

  it('stays plain, and working, when there is no highlighter', async () => {
    renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: reviewSnapshot() });
    await new Promise((r) => setTimeout(r, 50));
    const section = screen.getByRole('region', { name: 'Changes' });
    expect(section.dataset.highlighted).toBeUndefined();
    expect(section.querySelector('[class^="r-tok-"]')).toBeNull();
  });

  it('highlights a large (virtualized) diff, the rows on screen included', async () => {
    window.rustyHighlighter = highlighter;
    renderWithHost<ReviewProtocol>(<ReviewApp />, { snapshot: bigReviewSnapshot(600) });
    const section = screen.getByRole('region', { name: 'Changes' });
    await waitFor(() => expect(section.dataset.highlighted).toBe('all'), { timeout: 30_000 });
    const first = document.querySelector('.diff-line--del .diff-line__text');
    expect(first?.textContent).toBe('line 1');
    expect(first?.querySelector('span')).toBeTruthy();
  }, 40_000);
});
