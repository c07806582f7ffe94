import { useCallback, useMemo } from 'react';
import { usePersistentState } from '../host';
import type { DiffLayout } from './diff/diffRows';

/**
 * What the reviewer set up in the panel, kept in the webview state so it survives the panel being
 * hidden and shown (VS Code reloads a hidden webview). Stored per proposal: state saved for
 * another proposal is ignored.
 */
interface StoredReviewState {
  proposalId: string;
  unselected: string[];
  layout: DiffLayout;
  expandedGaps: string[];
  collapsedFiles: string[];
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function isStoredReviewState(value: unknown): value is StoredReviewState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.proposalId === 'string' && isStringArray(v.unselected) && (v.layout === 'inline' || v.layout === 'split') && isStringArray(v.expandedGaps) && isStringArray(v.collapsedFiles);
}

function toggled(list: readonly string[], item: string): string[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

export function useReviewViewState(proposalId: string) {
  const fresh = (): StoredReviewState => ({ proposalId, unselected: [], layout: 'inline', expandedGaps: [], collapsedFiles: [] });
  const [stored, setStored] = usePersistentState<StoredReviewState>('review', fresh, isStoredReviewState);
  const state = stored.proposalId === proposalId ? stored : fresh();

  const unselected = useMemo(() => new Set(state.unselected), [state.unselected]);
  const expandedGaps = useMemo(() => new Set(state.expandedGaps), [state.expandedGaps]);
  const collapsedFiles = useMemo(() => new Set(state.collapsedFiles), [state.collapsedFiles]);
  const update = useCallback(
    (change: (s: StoredReviewState) => Partial<StoredReviewState>) =>
      setStored((prev) => {
        const base = prev.proposalId === proposalId ? prev : fresh();
        return { ...base, ...change(base) };
      }),
    [proposalId, setStored],
  );

  return {
    unselected,
    setUnselected: useCallback((next: Set<string>) => update(() => ({ unselected: [...next] })), [update]),
    layout: state.layout,
    setLayout: useCallback((layout: DiffLayout) => update(() => ({ layout })), [update]),
    expandedGaps,
    toggleGap: useCallback((key: string) => update((s) => ({ expandedGaps: toggled(s.expandedGaps, key) })), [update]),
    collapsedFiles,
    toggleCollapsed: useCallback((path: string) => update((s) => ({ collapsedFiles: toggled(s.collapsedFiles, path) })), [update]),
  };
}
