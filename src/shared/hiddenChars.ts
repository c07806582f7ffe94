// Characters a reviewer cannot see or that change how text reads ("Trojan Source",
// CVE-2021-42574): bidirectional controls, invisible characters and control characters.
// Shared by the core (proposal warnings, terminal output) and the review webview (rendering).

export type HiddenCharKind = 'bidi' | 'invisible' | 'control';

/** Bidirectional embeddings, overrides, isolates and marks. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** Zero-width and other invisible code points (fillers, tags, variation selectors used to hide data). */
const INVISIBLE = /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200D\u2028\u2029\u2060-\u2064\u206A-\u206F\u3164\uFE00-\uFE0D\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/u;
/** C0 (tab and newline included; callers decide whether those are fine), DEL and C1. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;

/** Every hidden character, for a quick test or a scan. */
export const HIDDEN_CHARS = new RegExp(`${BIDI.source}|${INVISIBLE.source}|${CONTROL.source}`, 'gu');

export function hiddenCharKind(ch: string): HiddenCharKind | undefined {
  if (BIDI.test(ch)) return 'bidi';
  if (INVISIBLE.test(ch)) return 'invisible';
  if (CONTROL.test(ch)) return 'control';
  return undefined;
}

/** `U+202E`. */
export function codePointLabel(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export type TextPiece = string | { ch: string; kind: HiddenCharKind; label: string };

/** Text cut into plain runs and hidden characters (tabs stay plain), so each can be shown visibly. */
export function splitHidden(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const m of text.matchAll(HIDDEN_CHARS)) {
    const ch = m[0];
    if (ch === '\t') continue;
    if (m.index > last) pieces.push(text.slice(last, m.index));
    pieces.push({ ch, kind: hiddenCharKind(ch)!, label: codePointLabel(ch) });
    last = m.index + ch.length;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

export function hasHidden(text: string): boolean {
  return splitHidden(text).some((p) => typeof p !== 'string');
}
