// Untrusted text on a terminal, for the AI commands: the same escaping as the rest of the CLI
// (src/core/util/terminalText.ts — controls as \x1b, \r, \n; bidi and invisible characters as
// <U+202E>), plus a one-line shortened form for progress lines.
import { safeBlock, safeLine } from '../core/util/terminalText';

/** One line (newlines escaped too) unless `multiline`. */
export function terminalText(text: string, opts: { multiline?: boolean } = {}): string {
  return opts.multiline ? safeBlock(text) : safeLine(text);
}

/** Several lines of untrusted text: newlines stay. */
export function terminalSafe(text: string): string {
  return safeBlock(text);
}

/** One line of untrusted text (newlines shown as ⏎), for progress lines. */
export function terminalLine(text: string, max = 160): string {
  const one = String(text).split(/\r?\n/).map(safeLine).join(' ⏎ ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
