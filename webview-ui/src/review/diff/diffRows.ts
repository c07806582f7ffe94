// Flattens a proposal's files into one list of rows (file headers, hunk headers, lines, folded
// unchanged regions) so the diff can be rendered — and virtualized — as a single list.
import type { FileView, HunkView } from '../../protocol';

export type DiffLayout = 'inline' | 'split';
export type LineKind = 'context' | 'add' | 'del';

export interface DiffLine {
  kind: LineKind;
  oldNo?: number;
  newNo?: number;
  text: string;
}

export type DiffRow =
  | { type: 'file'; key: string; fileIndex: number }
  | { type: 'hunk'; key: string; fileIndex: number; hunkIndex: number }
  | { type: 'line'; key: string; fileIndex: number; hunkIndex?: number; line: DiffLine }
  | { type: 'pair'; key: string; fileIndex: number; hunkIndex?: number; left?: DiffLine; right?: DiffLine }
  | { type: 'gap'; key: string; fileIndex: number; gapKey: string; count: number; expandable: boolean; expanded: boolean }
  | { type: 'note'; key: string; fileIndex: number; hunkIndex?: number; text: string };

export interface DiffRowsInput {
  files: readonly FileView[];
  texts: Readonly<Record<string, { before: string; after: string }>>;
  layout: DiffLayout;
  expandedGaps: ReadonlySet<string>;
  collapsedFiles: ReadonlySet<string>;
}

const NO_NEWLINE = '\\';

/** Lines of an LF text; a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** jsdiff: a hunk with no old (new) lines starts *after* line oldStart (newStart); others at it. */
function startIndex(start: number, count: number): number {
  return count === 0 ? start : start - 1;
}

export function gapKeyOf(path: string, index: number): string {
  return `${path}#${index}`;
}

export function buildDiffRows(input: DiffRowsInput): DiffRow[] {
  const rows: DiffRow[] = [];
  input.files.forEach((file, fileIndex) => buildFileRows(rows, file, fileIndex, input));
  return rows;
}

function buildFileRows(rows: DiffRow[], file: FileView, fileIndex: number, input: DiffRowsInput): void {
  const base = `${fileIndex}:${file.path}`;
  rows.push({ type: 'file', key: base, fileIndex });
  if (input.collapsedFiles.has(file.path)) return;

  if (file.binary) {
    rows.push({ type: 'note', key: `${base}:binary`, fileIndex, text: 'Binary file: contents not shown. Use “Open in VS Code diff” to compare.' });
    return;
  }
  if (file.hunks.length === 0) {
    const text = file.kind === 'rename' ? 'Renamed; the contents are unchanged.' : file.kind === 'create' ? 'Creates an empty file.' : 'No line changes (only line endings or encoding differ).';
    rows.push({ type: 'note', key: `${base}:empty`, fileIndex, text });
    return;
  }

  const beforeText = input.texts[file.path]?.before;
  const before = beforeText === undefined ? undefined : splitLines(beforeText);
  let oldCursor = 0; // index of the first old line not yet shown
  let delta = 0; // new line index minus old line index outside hunks

  const pushGap = (index: number, from: number, to: number) => {
    const count = to - from;
    if (count <= 0) return;
    const gapKey = gapKeyOf(file.path, index);
    const expandable = before !== undefined;
    const expanded = expandable && input.expandedGaps.has(gapKey);
    rows.push({ type: 'gap', key: `${base}:gap${index}`, fileIndex, gapKey, count, expandable, expanded });
    if (!expanded) return;
    for (let i = from; i < to; i++) {
      const line: DiffLine = { kind: 'context', oldNo: i + 1, newNo: i + 1 + delta, text: before[i] ?? '' };
      const key = `${base}:ctx${i}`;
      rows.push(input.layout === 'split' ? { type: 'pair', key, fileIndex, left: line, right: line } : { type: 'line', key, fileIndex, line });
    }
  };

  file.hunks.forEach((hunk, hunkIndex) => {
    const oldStart = startIndex(hunk.oldStart, hunk.oldLines);
    const newStart = startIndex(hunk.newStart, hunk.newLines);
    pushGap(hunkIndex, oldCursor, oldStart);
    rows.push({ type: 'hunk', key: `${base}:h${hunkIndex}`, fileIndex, hunkIndex });
    const lines = hunkLines(hunk, oldStart, newStart);
    if (input.layout === 'split') pushPairs(rows, lines, `${base}:h${hunkIndex}`, fileIndex, hunkIndex);
    else lines.forEach((line, i) => rows.push(toInlineRow(line, `${base}:h${hunkIndex}:${i}`, fileIndex, hunkIndex)));
    oldCursor = oldStart + hunk.oldLines;
    delta = newStart + hunk.newLines - oldCursor;
  });
  // The rest of the file, when its length is known.
  if (before) pushGap(file.hunks.length, oldCursor, before.length);
}

type HunkLine = DiffLine | { kind: 'note'; text: string };

/** A hunk's lines with line numbers; "\ No newline at end of file" markers become notes. */
export function hunkLines(hunk: HunkView, oldStart: number, newStart: number): HunkLine[] {
  let oldNo = oldStart + 1;
  let newNo = newStart + 1;
  return hunk.lines.map((raw): HunkLine => {
    const sign = raw[0];
    const text = raw.slice(1);
    if (sign === '+') return { kind: 'add', newNo: newNo++, text };
    if (sign === '-') return { kind: 'del', oldNo: oldNo++, text };
    if (sign === NO_NEWLINE) return { kind: 'note', text: 'No newline at end of file' };
    return { kind: 'context', oldNo: oldNo++, newNo: newNo++, text };
  });
}

function toInlineRow(line: HunkLine, key: string, fileIndex: number, hunkIndex: number): DiffRow {
  return line.kind === 'note' ? { type: 'note', key, fileIndex, hunkIndex, text: line.text } : { type: 'line', key, fileIndex, hunkIndex, line };
}

/**
 * Side by side: context lines face themselves; a run of removed lines followed by a run of added
 * lines is zipped so each old line faces its replacement, extras face a blank.
 */
function pushPairs(rows: DiffRow[], lines: HunkLine[], base: string, fileIndex: number, hunkIndex: number): void {
  let i = 0;
  let n = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.kind === 'note') {
      rows.push({ type: 'note', key: `${base}:n${n++}`, fileIndex, hunkIndex, text: line.text });
      i++;
      continue;
    }
    if (line.kind === 'context') {
      rows.push({ type: 'pair', key: `${base}:p${n++}`, fileIndex, hunkIndex, left: line, right: line });
      i++;
      continue;
    }
    const dels: DiffLine[] = [];
    const adds: DiffLine[] = [];
    const notes: string[] = [];
    for (; i < lines.length && lines[i]!.kind === 'del'; i++) dels.push(lines[i] as DiffLine);
    for (; i < lines.length && (lines[i]!.kind === 'note' || lines[i]!.kind === 'add'); i++) {
      const l = lines[i]!;
      if (l.kind === 'note') notes.push(l.text);
      else adds.push(l as DiffLine);
    }
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) {
      rows.push({ type: 'pair', key: `${base}:p${n++}`, fileIndex, hunkIndex, left: dels[k], right: adds[k] });
    }
    for (const text of notes) rows.push({ type: 'note', key: `${base}:n${n++}`, fileIndex, hunkIndex, text });
  }
}

/** Rows that j/k move between: file headers and hunk headers. */
export function navigationStops(rows: readonly DiffRow[]): number[] {
  const stops: number[] = [];
  rows.forEach((row, index) => {
    if (row.type === 'file' || row.type === 'hunk') stops.push(index);
  });
  return stops;
}
