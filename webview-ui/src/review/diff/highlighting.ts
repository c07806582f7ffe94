// Syntax colours for the diff, added after the first paint. The highlighter (Shiki, in
// dist/webview/highlight.js) is not part of review.js: the host names its URL on #root
// (data-highlighter) and it is loaded with review.js's own nonce once the diff has painted. Files
// are tokenized in small chunks between frames, the files with rows on screen first; until a
// line's tokens are ready it shows as plain text.
import { useEffect, useRef, useState } from 'react';
import type { FileView, ReviewSnapshot } from '../../protocol';
import type { RustyHighlighter, Token } from '../../highlight/types';
import { HIGHLIGHTER_READY_EVENT } from '../../highlight/types';
import { hunkLines, splitLines } from './diffRows';

export type { Token } from '../../highlight/types';
export type DiffSide = 'old' | 'new';

export interface Highlights {
  tokens(fileIndex: number, side: DiffSide, lineNo: number | undefined): Token[] | undefined;
}

/** Lines per tokenize call; a task runs calls until its time slice is used. */
const CHUNK_LINES = 150;
const SLICE_MS = 12;
/** Files longer than this are highlighted from their hunks only (not the whole text). */
const FULL_TEXT_MAX_LINES = 20_000;

// Read while review.js runs: the nonce the host gave it, for the highlighter's script element.
const scriptNonce = typeof document !== 'undefined' ? ((document.currentScript as HTMLScriptElement | null)?.nonce ?? '') : '';
let loading: Promise<RustyHighlighter | undefined> | undefined;

/** The highlighter, loading highlight.js on first call; undefined when the host offers none. */
export function loadHighlighter(): Promise<RustyHighlighter | undefined> {
  if (window.rustyHighlighter) return Promise.resolve(window.rustyHighlighter);
  const src = document.getElementById('root')?.dataset.highlighter;
  if (!src) return Promise.resolve(undefined);
  loading ??= new Promise((resolve) => {
    const done = () => resolve(window.rustyHighlighter);
    window.addEventListener(HIGHLIGHTER_READY_EVENT, done, { once: true });
    const script = document.createElement('script');
    if (scriptNonce) script.nonce = scriptNonce;
    script.src = src;
    script.onerror = () => resolve(undefined);
    document.head.appendChild(script);
  });
  return loading;
}

function afterFirstPaint(run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => (timer = setTimeout(run, 0))) : undefined;
  if (frame === undefined) timer = setTimeout(run, 0);
  return () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

interface SideJob {
  lang: string;
  lines: string[];
  lineNos: number[];
  next: number;
  state: unknown;
  out: Map<number, Token[]>;
  done: boolean;
  /** Where the finished tokens are kept (absent when they came from there). */
  key?: string;
}

// Finished sides by language and text, so a new snapshot of the same proposal (or switching back
// to it) shows its colours at once.
const finished = new Map<string, Map<number, Token[]>>();
const FINISHED_LIMIT = 200;

function sideLines(file: FileView, side: DiffSide, text: string | undefined): { lines: string[]; lineNos: number[] } {
  if (text !== undefined) {
    const lines = splitLines(text);
    if (lines.length <= FULL_TEXT_MAX_LINES) return { lines, lineNos: lines.map((_, i) => i + 1) };
  }
  // From the hunks alone: the side's lines in order (the grammar sees the hunks one after another).
  const lines: string[] = [];
  const lineNos: number[] = [];
  for (const hunk of file.hunks) {
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    const newStart = hunk.newLines === 0 ? hunk.newStart : hunk.newStart - 1;
    for (const line of hunkLines(hunk, oldStart, newStart)) {
      if (line.kind === 'note') continue;
      const no = side === 'old' ? line.oldNo : line.newNo;
      if (no === undefined) continue;
      lines.push(line.text);
      lineNos.push(no);
    }
  }
  return { lines, lineNos };
}

/** Tokenizes a proposal's files side by side, in slices, wanted files first. */
export class HighlightJob implements Highlights {
  private readonly sides: (SideJob | undefined)[][] = [];
  private readonly wanted = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    files: readonly FileView[],
    texts: ReviewSnapshot['texts'],
    private readonly highlighter: RustyHighlighter,
    private readonly onUpdate: () => void,
  ) {
    files.forEach((file, i) => {
      const lang = file.binary ? undefined : highlighter.languageOf(file.to ?? file.path);
      const text = texts[file.path];
      this.sides[i] = !lang
        ? []
        : (['old', 'new'] as const).map((side) => {
            const { lines, lineNos } = sideLines(file, side, side === 'old' ? text?.before : text?.after);
            const key = `${lang}\0${lineNos[0] ?? 0}\0${lines.join('\n')}`;
            const cached = finished.get(key);
            if (cached) return { lang, lines: [], lineNos: [], next: 0, state: undefined, out: cached, done: true };
            return { lang, lines, lineNos, next: 0, state: undefined, out: new Map(), done: lines.length === 0, key };
          });
    });
  }

  tokens(fileIndex: number, side: DiffSide, lineNo: number | undefined): Token[] | undefined {
    const job = this.sides[fileIndex]?.[side === 'old' ? 0 : 1];
    if (!job || lineNo === undefined) return undefined;
    const tokens = job.out.get(lineNo);
    if (!tokens && !job.done && !this.wanted.has(fileIndex)) {
      this.wanted.add(fileIndex);
      this.schedule();
    }
    return tokens;
  }

  get done(): boolean {
    return this.sides.every((s) => s.every((j) => !j || j.done));
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.step();
    }, 0);
  }

  private nextSide(): SideJob | undefined {
    for (const i of this.wanted) {
      const job = this.sides[i]?.find((j) => j && !j.done);
      if (job) return job;
      this.wanted.delete(i);
    }
    for (const s of this.sides) {
      const job = s.find((j) => j && !j.done);
      if (job) return job;
    }
    return undefined;
  }

  private step(): void {
    if (this.stopped) return;
    const until = performance.now() + SLICE_MS;
    let progressed = false;
    for (let job = this.nextSide(); job && performance.now() < until; job = this.nextSide()) {
      const lines = job.lines.slice(job.next, job.next + CHUNK_LINES);
      const chunk = this.highlighter.tokenize(lines, job.lang, job.state);
      chunk.lines.forEach((tokens, k) => job.out.set(job.lineNos[job.next + k]!, tokens));
      job.state = chunk.state;
      job.next += lines.length;
      progressed = true;
      if (job.next >= job.lines.length) {
        job.done = true;
        if (job.key) {
          if (finished.size >= FINISHED_LIMIT) finished.clear();
          finished.set(job.key, job.out);
        }
      }
    }
    if (progressed) this.onUpdate();
    if (!this.done) this.schedule();
  }
}

/**
 * Highlights for the snapshot's files once the highlighter is loaded (after the first paint), or
 * undefined before that and when there is no highlighter. Re-renders as chunks complete.
 */
export function useHighlights(files: readonly FileView[], texts: ReviewSnapshot['texts']): { highlights: Highlights | undefined; complete: boolean } {
  const [, setVersion] = useState(0);
  const job = useRef<HighlightJob | undefined>(undefined);
  useEffect(() => {
    let cancelled = false;
    let current: HighlightJob | undefined;
    const cancelWait = afterFirstPaint(() => {
      void loadHighlighter().then((highlighter) => {
        if (cancelled || !highlighter) return;
        current = new HighlightJob(files, texts, highlighter, () => setVersion((v) => v + 1));
        job.current = current;
        setVersion((v) => v + 1);
        current.start();
      });
    });
    return () => {
      cancelled = true;
      cancelWait();
      current?.stop();
      if (job.current === current) job.current = undefined;
    };
  }, [files, texts]);
  return { highlights: job.current, complete: !!job.current?.done };
}
