// Characters a reviewer cannot see or that change how text reads ("Trojan Source",
// CVE-2021-42574): bidirectional controls, invisible characters and control characters.
// Shared by the core (proposal warnings, terminal output) and the review webview (rendering).

export type HiddenCharKind = 'bidi' | 'invisible' | 'control';

type Range = readonly [number, number];

/** Bidirectional embeddings, overrides, isolates and marks. */
const BIDI: readonly Range[] = [[0x061c, 0x061c], [0x200e, 0x200f], [0x202a, 0x202e], [0x2066, 0x2069]];
/** Zero-width and other invisible code points (fillers, tags, variation selectors used to hide data). */
const INVISIBLE: readonly Range[] = [
  [0x00ad, 0x00ad], [0x034f, 0x034f], [0x115f, 0x1160], [0x17b4, 0x17b5], [0x180e, 0x180e], [0x200b, 0x200d],
  [0x2028, 0x2029], [0x2060, 0x2064], [0x206a, 0x206f], [0x3164, 0x3164], [0xfe00, 0xfe0d], [0xfeff, 0xfeff],
  [0xffa0, 0xffa0], [0xfff9, 0xfffb], [0xe0000, 0xe007f], [0xe0100, 0xe01ef],
];
/** C0 (tab and newline included; callers decide whether those are fine), DEL and C1. */
const CONTROL: readonly Range[] = [[0x00, 0x1f], [0x7f, 0x9f]];

const inRanges = (cp: number, ranges: readonly Range[]) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

export function hiddenCharKind(ch: string): HiddenCharKind | undefined {
  const cp = ch.codePointAt(0);
  if (cp === undefined || (cp >= 0x20 && cp < 0x7f)) return undefined;
  if (inRanges(cp, CONTROL)) return 'control';
  if (inRanges(cp, BIDI)) return 'bidi';
  if (inRanges(cp, INVISIBLE)) return 'invisible';
  return undefined;
}

/** `U+202E`. */
export function codePointLabel(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export type TextPiece = string | { ch: string; kind: HiddenCharKind; label: string };

/** Printable ASCII and tabs only: the common case, checked without building anything. */
function plainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c >= 0x7f) return false;
  }
  return true;
}

/** Text cut into plain runs and hidden characters (tabs stay plain), so each can be shown visibly. */
export function splitHidden(text: string): TextPiece[] {
  if (plainAscii(text)) return text ? [text] : [];
  const pieces: TextPiece[] = [];
  let run = '';
  for (const ch of text) {
    const kind = ch === '\t' ? undefined : hiddenCharKind(ch);
    if (!kind) {
      run += ch;
      continue;
    }
    if (run) pieces.push(run);
    run = '';
    pieces.push({ ch, kind, label: codePointLabel(ch) });
  }
  if (run) pieces.push(run);
  return pieces;
}

export function hasHidden(text: string): boolean {
  return splitHidden(text).some((p) => typeof p !== 'string');
}

/**
 * Untrusted text for a place that shows plain text only (a tooltip, a title attribute): each
 * bidirectional, invisible or control character becomes its label, `<U+202E>`, as the review
 * panel's chips show it (a newline too, so a name cannot add a fake line to a list). Tabs stay.
 */
export function visiblePlain(text: string): string {
  return splitHidden(text).map((p) => (typeof p === 'string' ? p : `<${p.label}>`)).join('');
}
