// Untrusted text (model output, tool results, paths a model wrote, model names from a server,
// anything read from a state file another tool could have written) made safe for a terminal:
// control characters — ESC sequences that recolor, move the cursor or rewrite the title, CR that
// overprints, BEL, C1 controls, and bidi marks and overrides that reorder what is read — are shown
// as visible \u escapes, never interpreted.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line (newlines and tabs escaped too) unless `multiline`. */
export function terminalText(text: string, opts: { multiline?: boolean } = {}): string {
  return text.replace(opts.multiline ? UNSAFE : UNSAFE_ONE_LINE, escape);
}

/** Several lines of untrusted text: newlines and tabs stay. */
export function terminalSafe(text: string): string {
  return terminalText(text, { multiline: true });
}

/** One line of untrusted text (newlines shown as ⏎), for progress lines. */
export function terminalLine(text: string, max = 160): string {
  const one = terminalSafe(text).replace(/\r?\n/g, ' ⏎ ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
