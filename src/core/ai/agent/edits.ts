// The edit format the model answers in (documented to it in prompt.ts), its tolerant parser, and
// the in-memory application to current file texts. Problems come back as messages the model can
// act on: which file, which block, and the closest lines when a SEARCH text is not found.

/** One SEARCH/REPLACE pair; an empty `search` on a file that does not exist creates it. */
export interface SearchReplace { search: string; replace: string }

export type EditBlock =
  | { kind: 'replace'; path: string; blocks: SearchReplace[] }
  | { kind: 'delete'; path: string };

export interface ParsedEdits {
  edits: EditBlock[];
  /** The answer without the edit blocks: the model's explanation. */
  prose: string;
  /** Malformed blocks, one message each. */
  problems: string[];
}

const SEARCH = /^\s*<{5,9}\s*SEARCH\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE = /^\s*>{5,9}\s*REPLACE\s*$/;
const FILE_LINE = /^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:FILE|File|file|PATH|Path|path)\s*:\s*(.+?)\s*(?:\*\*)?\s*$/;
const DELETE_LINE = /^\s*(?:#{1,6}\s*)?DELETE\s*:\s*(.+?)\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})/;

/** A path as the model wrote it: without quotes, backticks, a leading `./` or `a/` diff prefix. */
function cleanPath(raw: string): string {
  let p = raw.trim().replace(/^[`'"*]+|[`'"*]+$/g, '').trim();
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

/** A bare line that looks like a file path (used when the model omits `FILE:`). */
function looksLikePath(line: string): string | undefined {
  const p = cleanPath(line.replace(/^#{1,6}\s*/, ''));
  return /^[\w@.\-/\\]+\.[A-Za-z0-9]+$/.test(p) && !p.includes(' ') ? p : undefined;
}

/**
 * Parses every edit block in an answer. Tolerates code fences around blocks, `FILE:` lines in
 * markdown, 5–9 marker characters, and a bare path line above `<<<<<<< SEARCH`.
 */
export function parseEdits(answer: string): ParsedEdits {
  const lines = answer.replace(/\r\n?/g, '\n').split('\n');
  const edits: EditBlock[] = [];
  const problems: string[] = [];
  const prose: string[] = [];
  let current: string | undefined;
  /** prose[mark…] was written after the last block or FILE line. */
  let mark = 0;
  const byPath = new Map<string, Extract<EditBlock, { kind: 'replace' }>>();
  const add = (path: string, block: SearchReplace) => {
    let e = byPath.get(path);
    if (!e) {
      e = { kind: 'replace', path, blocks: [] };
      byPath.set(path, e);
      edits.push(e);
    }
    e.blocks.push(block);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const del = DELETE_LINE.exec(line);
    if (del) {
      edits.push({ kind: 'delete', path: cleanPath(del[1]!) });
      continue;
    }
    const file = FILE_LINE.exec(line);
    if (file) {
      current = cleanPath(file[1]!);
      mark = prose.length;
      continue;
    }
    if (!SEARCH.test(line)) {
      prose.push(line);
      continue;
    }
    // The path: a bare path on the nearest non-fence line written since the last block or FILE
    // line, else the current FILE.
    let path: string | undefined;
    for (let j = prose.length - 1; j >= mark; j--) {
      const l = prose[j]!;
      if (FENCE.test(l) || !l.trim()) continue;
      path = looksLikePath(l);
      if (path !== undefined) {
        prose.splice(j, 1);
        current = path;
      }
      break;
    }
    path ??= current;
    const searchLines: string[] = [];
    const replaceLines: string[] = [];
    let j = i + 1;
    while (j < lines.length && !DIVIDER.test(lines[j]!) && !SEARCH.test(lines[j]!)) searchLines.push(lines[j++]!);
    if (j >= lines.length || !DIVIDER.test(lines[j]!)) {
      problems.push(`${path ?? '(no file)'}: a SEARCH block at answer line ${i + 1} has no ======= line; write SEARCH, =======, REPLACE markers exactly as shown.`);
      i = j - 1;
      continue;
    }
    j++;
    while (j < lines.length && !REPLACE.test(lines[j]!) && !SEARCH.test(lines[j]!)) replaceLines.push(lines[j++]!);
    if (j >= lines.length || !REPLACE.test(lines[j]!)) {
      problems.push(`${path ?? '(no file)'}: the block starting at answer line ${i + 1} is not closed with >>>>>>> REPLACE.`);
      i = j - 1;
      continue;
    }
    i = j;
    // Drop the fence pair the model put around the block.
    if (prose.length && FENCE.test(prose[prose.length - 1]!)) prose.pop();
    if (i + 1 < lines.length && FENCE.test(lines[i + 1]!)) i++;
    mark = prose.length;
    if (path === undefined) {
      problems.push(`A SEARCH block at answer line ${i + 1} names no file; put "FILE: path/to/file.ts" on the line before it.`);
      continue;
    }
    add(path, { search: searchLines.join('\n'), replace: replaceLines.join('\n') });
  }
  return { edits, prose: prose.join('\n').replace(/\n{3,}/g, '\n\n').trim(), problems };
}

/** Why one file's blocks could not be applied (fed back to the model). */
export interface ApplyProblem {
  path: string;
  kind: 'no-match' | 'ambiguous';
  message: string;
}

export interface ApplyResult {
  /** New normalized text (LF) when every block applied. */
  text?: string;
  problems: ApplyProblem[];
}

function countOccurrences(haystack: string, needle: string): number[] {
  const at: number[] = [];
  let from = 0;
  for (;;) {
    const i = haystack.indexOf(needle, from);
    if (i < 0) return at;
    at.push(i);
    from = i + Math.max(1, needle.length);
  }
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/** Locate `search` in `text`: exactly, else ignoring trailing spaces and indentation per line. */
function locate(text: string, search: string): { starts: number[]; length: number[] } {
  const exact = countOccurrences(text, search);
  if (exact.length) return { starts: exact, length: exact.map(() => search.length) };
  const want = search.split('\n').map((l) => l.trim());
  while (want.length && want[want.length - 1] === '') want.pop();
  while (want.length && want[0] === '') want.shift();
  if (!want.length) return { starts: [], length: [] };
  const lines = text.split('\n');
  const offsets: number[] = [];
  let off = 0;
  for (const l of lines) {
    offsets.push(off);
    off += l.length + 1;
  }
  const starts: number[] = [];
  const length: number[] = [];
  for (let i = 0; i + want.length <= lines.length; i++) {
    let ok = true;
    for (let k = 0; k < want.length && ok; k++) ok = lines[i + k]!.trim() === want[k];
    if (!ok) continue;
    const end = offsets[i + want.length - 1]! + lines[i + want.length - 1]!.length;
    starts.push(offsets[i]!);
    length.push(end - offsets[i]!);
  }
  return { starts, length };
}

/** The window of the file that shares the most lines with `search` (shown when nothing matched). */
export function closestLines(text: string, search: string, context = 1): { from: number; to: number; text: string } | undefined {
  const lines = text.split('\n');
  const want = search.split('\n').map((l) => l.trim()).filter(Boolean);
  if (!want.length || !lines.length) return undefined;
  const wanted = new Set(want);
  const tokens = (s: string) => new Set(s.split(/[^\w$]+/).filter((t) => t.length > 1));
  const wantTokens = tokens(want.join(' '));
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < lines.length; i++) {
    let score = 0;
    for (let k = 0; k < want.length && i + k < lines.length; k++) {
      const l = lines[i + k]!.trim();
      if (wanted.has(l)) score += 2;
      else for (const t of tokens(l)) if (wantTokens.has(t)) score += 0.2;
    }
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  if (best < 0) return undefined;
  const from = Math.max(0, best - context);
  const to = Math.min(lines.length, best + want.length + context);
  return { from: from + 1, to, text: lines.slice(from, to).join('\n') };
}

/** Apply one file's blocks in order to its normalized text. */
export function applyBlocks(path: string, text: string, blocks: readonly SearchReplace[]): ApplyResult {
  let out = text;
  const problems: ApplyProblem[] = [];
  blocks.forEach((b, n) => {
    const which = blocks.length > 1 ? `SEARCH block ${n + 1} of ${blocks.length}` : 'The SEARCH block';
    if (!b.search.trim()) {
      problems.push({ path, kind: 'no-match', message: `${path}: ${which} is empty, but the file exists; an empty SEARCH only creates a new file. Quote the lines to replace.` });
      return;
    }
    const found = locate(out, b.search);
    if (found.starts.length === 1) {
      const s = found.starts[0]!;
      let end = s + found.length[0]!;
      // An empty REPLACE of whole lines removes the lines, not just their text.
      if (b.replace === '' && (s === 0 || out[s - 1] === '\n') && out[end] === '\n') end++;
      out = out.slice(0, s) + b.replace + out.slice(end);
      return;
    }
    if (found.starts.length > 1) {
      const at = found.starts.map((s) => lineOf(out, s));
      problems.push({ path, kind: 'ambiguous', message: `${path}: ${which} matches ${at.length} places (lines ${at.join(', ')}); include more surrounding lines so it matches exactly one.` });
      return;
    }
    const near = closestLines(out, b.search);
    problems.push({
      path, kind: 'no-match',
      message: `${path}: ${which} matches nothing in the file.` + (near
        ? ` The closest lines are ${near.from}–${near.to}:\n${near.text}\nCopy the SEARCH text exactly from the file (read_file shows it) and send the block again.`
        : ' Read the file (read_file) and copy the SEARCH text exactly.'),
    });
  });
  return problems.length ? { problems } : { text: out, problems };
}
