// Untrusted text (titles, paths, diff lines, rationale, server output) made safe to print to a
// terminal: control characters are escaped (`\x1b`, `\r`, `\n`), so no escape sequence, carriage
// return or bell reaches the terminal, and bidirectional or invisible characters are shown as
// `<U+202E>`. Tabs stay. JSON output needs none of this (JSON escapes controls itself).
import { splitHidden } from '../../shared/hiddenChars';

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

function escapeChar(ch: string, kind: string, label: string): string {
  if (kind !== 'control') return `<${label}>`;
  return NAMED[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** One line: newlines are escaped too, so a path or title cannot add a line of its own. */
export function safeLine(text: string): string {
  return splitHidden(String(text)).map((p) => (typeof p === 'string' ? p : escapeChar(p.ch, p.kind, p.label))).join('');
}

/** Several lines: newlines stay, everything else as in `safeLine`. */
export function safeBlock(text: string): string {
  return String(text).split('\n').map(safeLine).join('\n');
}
