// What highlight.js offers the review panel (on `window.rustyHighlighter`).

/** A run of a line's text and its token class (`r-tok-keyword`; '' = the editor foreground). */
export interface Token {
  text: string;
  cls: string;
}

export interface HighlightChunk {
  /** One entry per input line; the tokens' texts joined are exactly the line. */
  lines: Token[][];
  /** Opaque grammar state at the end of the chunk: pass it to tokenize the next lines. */
  state: unknown;
}

export interface RustyHighlighter {
  /** The grammar for a path, or undefined when there is none (the diff stays plain). */
  languageOf(path: string): string | undefined;
  tokenize(lines: readonly string[], lang: string, state?: unknown): HighlightChunk;
}

declare global {
  interface Window {
    rustyHighlighter?: RustyHighlighter;
  }
}

/** Fired on window when highlight.js has set `window.rustyHighlighter`. */
export const HIGHLIGHTER_READY_EVENT = 'rusty-highlighter-ready';
