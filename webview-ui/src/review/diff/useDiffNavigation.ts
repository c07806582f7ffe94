import { useCallback, useEffect, useRef } from 'react';
import type { DiffRow } from './diffRows';
import { navigationStops } from './diffRows';
import type { ScrollToRow } from './DiffRowList';

/** Frames to wait for a scrolled-to row of the virtual list to render (about half a second). */
const FOCUS_ATTEMPTS = 30;

function isTyping(target: HTMLElement): boolean {
  return target.isContentEditable || !!target.closest('textarea, select, input:not([type="checkbox"]), [role="textbox"]');
}

function navTarget(container: HTMLElement | null, rowKey: string): HTMLElement | undefined {
  const row = container?.querySelector<HTMLElement>(`[data-row-key="${rowKey.replace(/["\\]/g, '\\$&')}"]`);
  if (!row) return undefined;
  return row.querySelector<HTMLElement>('[data-nav-target]') ?? undefined;
}

/**
 * j / k anywhere in the panel except a text field (or ↓ / ↑ while a hunk or file header has
 * focus) move focus to the next / previous hunk or file header. In a virtualized list the target row may not exist yet: scroll to it, then focus
 * it as soon as it has rendered. Listens on the window: when the focused row scrolls out of a
 * virtual list its element is gone and focus falls back to <body>; j / k then continue from the
 * last row they reached.
 */
export function useDiffNavigation(rows: readonly DiffRow[], container: { current: HTMLElement | null }, scrollToRow: { current: ScrollToRow | undefined }, proposalId?: string) {
  const stops = useRef<number[]>([]);
  stops.current = navigationStops(rows);
  const lastIndex = useRef<number | undefined>(undefined);
  // Another proposal in the same panel: j / k start from its first hunk.
  const shownId = useRef(proposalId);
  if (shownId.current !== proposalId) {
    shownId.current = proposalId;
    lastIndex.current = undefined;
  }

  const focusRow = useCallback(
    (index: number, key: string) => {
      lastIndex.current = index;
      scrollToRow.current?.(index);
      const attempt = (left: number) => {
        const target = navTarget(container.current, key);
        if (target) target.focus();
        else if (left > 0) requestAnimationFrame(() => attempt(left - 1));
      };
      attempt(FOCUS_ATTEMPTS);
    },
    [container, scrollToRow],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target instanceof HTMLElement ? event.target : document.body;
      const inDiff = !!container.current?.contains(target);
      if (isTyping(target)) return;
      const onStop = !!target.closest('[data-nav-stop]');
      const forward = event.key === 'j' || (event.key === 'ArrowDown' && onStop);
      const backward = event.key === 'k' || (event.key === 'ArrowUp' && onStop);
      if (!forward && !backward) return;
      event.preventDefault();
      const currentAttr = target.closest('[data-row-index]')?.getAttribute('data-row-index');
      const current = currentAttr == null ? (inDiff ? undefined : lastIndex.current) : Number(currentAttr);
      const all = stops.current;
      const next = current === undefined ? (forward ? all[0] : undefined) : forward ? all.find((s) => s > current) : all.findLast((s) => s < current);
      const row = next === undefined ? undefined : rows[next];
      if (next !== undefined && row) focusRow(next, row.key);
    },
    [rows, focusRow, container],
  );

  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onKeyDown]);
}
