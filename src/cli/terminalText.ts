// Untrusted text (model output, tool results, paths a model wrote) on a terminal: control
// characters (escape sequences, carriage returns, bells, C1 controls, bidi overrides) are shown as
// visible escapes, never interpreted. Newlines and tabs stay.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line of untrusted text (newlines shown as ⏎), for progress lines. */
export function terminalLine(text: string, max = 160): string {
  const one = terminalSafe(text).replace(/\r?\n/g, ' ⏎ ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
