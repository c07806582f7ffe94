import { useCallback, useMemo, useRef } from 'react';
import type { FileView, ReviewSnapshot } from '../../protocol';
import { Button } from '../../common/Button';
import { plural } from '../../common/format';
import { buildDiffRows, type DiffLayout, type DiffRow } from './diffRows';
import { DiffRowList, type ScrollToRow } from './DiffRowList';
import { DiffRowView, isRowExcluded, type RowContext } from './DiffRowView';
import { approvableFiles, overallSelectionState, selectNothing, summarizeSelection, toggleFile, toggleHunk } from './selection';
import { TriStateCheckbox } from './TriStateCheckbox';
import { useDiffNavigation } from './useDiffNavigation';
import { useHighlights } from './highlighting';

export interface DiffViewProps {
  snapshot: ReviewSnapshot;
  selectable: boolean;
  unselected: ReadonlySet<string>;
  onUnselectedChange(next: Set<string>): void;
  layout: DiffLayout;
  onLayoutChange(layout: DiffLayout): void;
  expandedGaps: ReadonlySet<string>;
  onToggleGap(gapKey: string): void;
  collapsedFiles: ReadonlySet<string>;
  onToggleCollapsed(path: string): void;
  onOpenDiff(path: string): void;
}

const NO_TEXTS: ReviewSnapshot['texts'] = {};

/** The proposal's changes, file by file and hunk by hunk, with the selection used for approval. */
export function DiffView(props: DiffViewProps) {
  const { snapshot, selectable, unselected, onUnselectedChange, layout, expandedGaps, collapsedFiles } = props;
  const { proposal } = snapshot;
  const files = proposal.files;
  const texts = snapshot.texts ?? NO_TEXTS;
  const rows = useMemo(() => buildDiffRows({ files, texts, layout, expandedGaps, collapsedFiles }), [files, texts, layout, expandedGaps, collapsedFiles]);
  const container = useRef<HTMLElement>(null);
  const scrollToRow = useRef<ScrollToRow | undefined>(undefined);
  useDiffNavigation(rows, container, scrollToRow, proposal.id);
  const { highlights, complete } = useHighlights(files, texts);

  // A proposal applied in part: selection and counts cover only what is still to approve.
  const pending = useMemo(() => (proposal.applied && proposal.pendingHunks ? approvableFiles(proposal) : undefined), [proposal]);
  const approvable = useMemo(() => (pending ? new Map(pending.map((f) => [f.path, f])) : undefined), [pending]);
  const selectionFiles = pending ?? files;
  const ctx: RowContext = {
    proposal,
    selectable,
    unselected,
    collapsedFiles,
    onToggleFileSelection: (file: FileView) => onUnselectedChange(toggleFile(file, unselected)),
    onToggleHunkSelection: (hunkId: string) => onUnselectedChange(toggleHunk(hunkId, unselected)),
    onToggleGap: props.onToggleGap,
    onToggleCollapsed: props.onToggleCollapsed,
    onOpenDiff: props.onOpenDiff,
    ...(highlights ? { highlights } : {}),
    ...(approvable ? { approvable } : {}),
  };
  const renderRow = (row: DiffRow) => <DiffRowView row={row} ctx={ctx} />;
  const rowClassName = (row: DiffRow) => `diff-row--${row.type}${isRowExcluded(row, ctx) ? ' is-excluded' : ''}`;
  const overall = overallSelectionState(selectionFiles, unselected);
  const summary = summarizeSelection(selectionFiles, unselected);
  const toggleAll = useCallback(() => onUnselectedChange(overall === 'all' ? selectNothing(selectionFiles) : new Set()), [selectionFiles, overall, onUnselectedChange]);

  return (
    <section ref={container} className={`diff diff--${layout}`} aria-labelledby="diff-heading" data-highlighted={highlights ? (complete ? 'all' : 'partly') : undefined}>
      <div className="diff-toolbar r-toolbar">
        <h2 id="diff-heading">Changes</h2>
        <span className="r-muted">
          {plural(files.length, 'file')}, {pending ? `${plural(summary.totalHunks, 'hunk')} still to approve` : plural(summary.totalHunks, 'hunk')}
        </span>
        {selectable && (
          <label className="r-field">
            <TriStateCheckbox state={overall} label="Select all changes" onToggle={toggleAll} />
            All
          </label>
        )}
        <span className="r-spacer" />
        <div className="r-toolbar" role="group" aria-label="Diff layout">
          <Button icon="list-flat" aria-pressed={layout === 'inline'} onClick={() => props.onLayoutChange('inline')}>
            Inline
          </Button>
          <Button icon="split-horizontal" aria-pressed={layout === 'split'} onClick={() => props.onLayoutChange('split')}>
            Side by side
          </Button>
        </div>
      </div>
      <p className="diff-hint r-muted">
        <kbd>j</kbd>/<kbd>k</kbd> next/previous hunk{selectable ? ', Space toggles the focused checkbox' : ''}.
      </p>
      <DiffRowList rows={rows} renderRow={renderRow} rowClassName={rowClassName} scrollRef={scrollToRow} />
    </section>
  );
}
