// Untrusted text (model names from a server, labels, anything read from a state file a model or
// another tool could have written) made safe for a terminal: control characters — ESC sequences
// that recolor, move the cursor or rewrite the title, CR that overprints, BEL, C1 controls, and
// bidi overrides that reorder what is read — are shown as visible \u escapes.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line (newlines and tabs escaped too) unless `multiline`. */
export function terminalText(text: string, opts: { multiline?: boolean } = {}): string {
  return text.replace(opts.multiline ? UNSAFE : UNSAFE_ONE_LINE, escape);
}
