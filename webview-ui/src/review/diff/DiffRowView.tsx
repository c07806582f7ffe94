import type { FileView, ProposalDetailView } from '../../protocol';
import { Button } from '../../common/Button';
import { Icon } from '../../common/Icon';
import { formatLineCounts } from '../../common/format';
import type { DiffLine, DiffRow } from './diffRows';
import { fileSelectionState, isHunkSelectable, isHunkSelected } from './selection';
import { TriStateCheckbox } from './TriStateCheckbox';
import { VisibleText } from '../../common/VisibleText';
import type { DiffSide, Highlights, Token } from './highlighting';

/** What every row needs to know besides itself. */
export interface RowContext {
  proposal: ProposalDetailView;
  /** Checkboxes are shown only while the proposal can be approved. */
  selectable: boolean;
  unselected: ReadonlySet<string>;
  collapsedFiles: ReadonlySet<string>;
  onToggleFileSelection(file: FileView): void;
  onToggleHunkSelection(hunkId: string): void;
  onToggleGap(gapKey: string): void;
  onToggleCollapsed(path: string): void;
  onOpenDiff(path: string): void;
  /**
   * Of a proposal applied in part: each file as far as it can still be approved (its pending
   * hunks), by path; a file absent here is applied whole. Undefined when nothing is applied.
   */
  approvable?: ReadonlyMap<string, FileView>;
  /** Syntax colours, once the highlighter has loaded. */
  highlights?: Highlights;
}

const KIND_LABELS: Record<FileView['kind'], string> = { modify: 'modified', create: 'new file', delete: 'deleted', rename: 'renamed' };

export function fileDisplayName(file: FileView): string {
  return file.to ? `${file.path} \u2192 ${file.to}` : file.path;
}

/** Whether a row belongs to a hunk (or whole file) the reviewer has left out. */
export function isRowExcluded(row: DiffRow, ctx: RowContext): boolean {
  if (!ctx.selectable || row.type === 'file' || row.type === 'gap') return false;
  const whole = ctx.proposal.files[row.fileIndex];
  if (!whole) return false;
  const file = selectionFile(whole, ctx);
  // Applied already: not part of this approval, but not left out either.
  if (!file) return false;
  const hunk = row.hunkIndex === undefined ? undefined : whole.hunks[row.hunkIndex];
  if (hunk && isAppliedNow(hunk.id, ctx)) return false;
  if (!isHunkSelectable(file) || !hunk) return fileSelectionState(file, ctx.unselected) === 'none';
  return !isHunkSelected(hunk.id, ctx.unselected);
}

/** The part of a file an approval can still take (undefined: applied whole). */
export function selectionFile(file: FileView, ctx: Pick<RowContext, 'approvable'>): FileView | undefined {
  return ctx.approvable ? ctx.approvable.get(file.path) : file;
}

function isAppliedNow(hunkId: string, ctx: RowContext): boolean {
  return !!ctx.proposal.applied?.hunks.includes(hunkId);
}

export function DiffRowView({ row, ctx }: { row: DiffRow; ctx: RowContext }) {
  const file = ctx.proposal.files[row.fileIndex];
  if (!file) return null;
  switch (row.type) {
    case 'file':
      return <FileHeaderRow file={file} ctx={ctx} />;
    case 'hunk':
      return <HunkHeaderRow file={file} hunkIndex={row.hunkIndex} ctx={ctx} />;
    case 'line':
      return <InlineLine line={row.line} tokens={lineTokens(ctx, row.fileIndex, row.line, row.line.kind === 'del' ? 'old' : 'new')} />;
    case 'pair':
      return (
        <div className="diff-pair">
          <SideLine line={row.left} side="old" tokens={lineTokens(ctx, row.fileIndex, row.left, 'old')} />
          <SideLine line={row.right} side="new" tokens={lineTokens(ctx, row.fileIndex, row.right, 'new')} />
        </div>
      );
    case 'gap':
      return <GapRow row={row} ctx={ctx} />;
    case 'note':
      return (
        <div className="diff-note r-muted">
          <Icon name="info" /> {row.text}
        </div>
      );
    default: {
      const unknown: never = row;
      return unknown;
    }
  }
}

function FileHeaderRow({ file, ctx }: { file: FileView; ctx: RowContext }) {
  const name = fileDisplayName(file);
  const collapsed = ctx.collapsedFiles.has(file.path);
  // Of a proposal applied in part, the checkbox covers only the hunks still to approve.
  const pending = selectionFile(file, ctx);
  const selectable = ctx.selectable && !!pending;
  const wholeOnly = !pending || !isHunkSelectable(pending);
  const appliedHunks = ctx.approvable ? file.hunks.length - (pending?.hunks.length ?? 0) : 0;
  const appliedLabel = !ctx.approvable || appliedHunks === 0 ? undefined : pending ? `${appliedHunks} of ${file.hunks.length} hunks applied` : 'applied';
  return (
    <div className="diff-file" data-nav-stop tabIndex={selectable ? undefined : -1} {...(selectable ? {} : { 'data-nav-target': '' })}>
      <Button
        variant="icon"
        icon={collapsed ? 'chevron-right' : 'chevron-down'}
        aria-expanded={!collapsed}
        aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${name}`}
        title={collapsed ? 'Show changes' : 'Hide changes'}
        onClick={() => ctx.onToggleCollapsed(file.path)}
      />
      {selectable && pending && (
        <TriStateCheckbox
          state={fileSelectionState(pending, ctx.unselected)}
          label={name}
          data-nav-target=""
          title={wholeOnly ? 'This file is approved as a whole' : appliedHunks > 0 ? 'Select every hunk of this file still to approve' : 'Select every hunk of this file'}
          onToggle={() => ctx.onToggleFileSelection(pending)}
        />
      )}
      <span className="diff-file__path r-mono">
        <VisibleText text={name} />
      </span>
      <span className={`diff-file__kind diff-file__kind--${file.kind}`}>{KIND_LABELS[file.kind]}</span>
      {file.binary && <span className="r-muted">binary</span>}
      <span className="r-mono r-muted" aria-label={`${file.added} added, ${file.removed} removed`}>
        {formatLineCounts(file.added, file.removed)}
      </span>
      {selectable && wholeOnly && file.hunks.length > 0 && <span className="r-muted">whole file only</span>}
      {appliedLabel && <span className="diff-file__applied">{appliedLabel}</span>}
      <span className="r-spacer" />
      <Button variant="icon" icon="diff" aria-label={`Open ${name} in VS Code diff`} title="Open in VS Code diff" onClick={() => ctx.onOpenDiff(file.path)} />
    </div>
  );
}

function HunkHeaderRow({ file, hunkIndex, ctx }: { file: FileView; hunkIndex: number; ctx: RowContext }) {
  const hunk = file.hunks[hunkIndex];
  if (!hunk) return null;
  const range = `@@ \u2212${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
  const applied = ctx.proposal.applied;
  const appliedNow = isAppliedNow(hunk.id, ctx);
  const pending = selectionFile(file, ctx);
  const selectable = ctx.selectable && !appliedNow && !!pending && isHunkSelectable(pending);
  return (
    <div className="diff-hunk" data-nav-stop tabIndex={selectable ? undefined : -1} {...(selectable ? {} : { 'data-nav-target': '' })}>
      {selectable && (
        <input
          type="checkbox"
          className="r-checkbox"
          data-nav-target=""
          // The name leaves the path out so a file's checkbox is the only one matching its path.
          aria-label={`Hunk ${hunk.id} (lines ${hunk.newStart}\u2013${hunk.newStart + Math.max(hunk.newLines, 1) - 1})`}
          checked={isHunkSelected(hunk.id, ctx.unselected)}
          onChange={() => ctx.onToggleHunkSelection(hunk.id)}
        />
      )}
      <span className="diff-hunk__range r-mono">{range}</span>
      <span className="diff-hunk__id r-mono r-muted">{hunk.id}</span>
      {applied && <span className={appliedNow ? 'diff-hunk__applied' : 'r-muted'}>{appliedNow ? 'applied' : 'not applied'}</span>}
    </div>
  );
}

const SIGNS: Record<DiffLine['kind'], string> = { add: '+', del: '\u2212', context: ' ' };
const SPOKEN: Record<DiffLine['kind'], string> = { add: 'added', del: 'removed', context: '' };

function lineTokens(ctx: RowContext, fileIndex: number, line: DiffLine | undefined, side: DiffSide): Token[] | undefined {
  if (!line || !ctx.highlights) return undefined;
  return ctx.highlights.tokens(fileIndex, side, side === 'old' ? line.oldNo : line.newNo);
}

/** The line's text, in syntax colours when its tokens are ready (their texts joined are the line). */
function LineText({ text, tokens }: { text: string; tokens: Token[] | undefined }) {
  return (
    <span className="diff-line__text">
      {tokens
        ? tokens.map((t, i) =>
            t.cls ? (
              <span key={i} className={t.cls}>
                <VisibleText text={t.text} />
              </span>
            ) : (
              <VisibleText key={i} text={t.text} />
            ),
          )
        : <VisibleText text={text} />}
    </span>
  );
}

function InlineLine({ line, tokens }: { line: DiffLine; tokens?: Token[] | undefined }) {
  return (
    <div className={`diff-line diff-line--${line.kind}`}>
      <span className="diff-line__no">{line.oldNo ?? ''}</span>
      <span className="diff-line__no">{line.newNo ?? ''}</span>
      <span className="diff-line__sign" aria-hidden="true">
        {SIGNS[line.kind]}
      </span>
      {SPOKEN[line.kind] && <span className="r-sr-only">{SPOKEN[line.kind]}: </span>}
      <LineText text={line.text} tokens={tokens} />
    </div>
  );
}

function SideLine({ line, side, tokens }: { line?: DiffLine; side: 'old' | 'new'; tokens?: Token[] | undefined }) {
  if (!line) return <div className="diff-line diff-line--blank" />;
  return (
    <div className={`diff-line diff-line--${line.kind}`}>
      <span className="diff-line__no">{(side === 'old' ? line.oldNo : line.newNo) ?? ''}</span>
      <span className="diff-line__sign" aria-hidden="true">
        {SIGNS[line.kind]}
      </span>
      {SPOKEN[line.kind] && <span className="r-sr-only">{SPOKEN[line.kind]}: </span>}
      <LineText text={line.text} tokens={tokens} />
    </div>
  );
}

function GapRow({ row, ctx }: { row: Extract<DiffRow, { type: 'gap' }>; ctx: RowContext }) {
  const label = `${row.count} unchanged ${row.count === 1 ? 'line' : 'lines'}`;
  if (!row.expandable) {
    return (
      <div className="diff-gap r-muted">
        <Icon name="fold" /> {label}
      </div>
    );
  }
  return (
    <div className="diff-gap">
      <Button variant="icon" icon={row.expanded ? 'fold' : 'unfold'} aria-expanded={row.expanded} onClick={() => ctx.onToggleGap(row.gapKey)}>
        {row.expanded ? `Hide ${label}` : `Show ${label}`}
      </Button>
    </div>
  );
}
