// Text encoding rules shared by every engine: what we diff is normalized text (LF, no BOM);
// what we write keeps the original file's line endings, BOM and final-newline choice.
import { diffLines } from '../proposals/diff';

const UTF8_BOM = '\uFEFF';

export type Eol = '\n' | '\r\n' | '\r';

export interface TextFormat {
  /** The dominant line ending (what new lines get). */
  eol: Eol;
  bom: boolean;
  finalNewline: boolean;
  /**
   * Only for a file that mixes line endings: its lines (normalized) and each one's own ending, so
   * lines left unchanged keep theirs.
   */
  mixed?: { lines: string[]; eols: Eol[] };
}

export const DEFAULT_FORMAT: TextFormat = { eol: '\n', bom: false, finalNewline: true };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Binary = contains a NUL byte in the first 8 KB, or is not valid UTF-8. */
export function isBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return true;
  try {
    decoder.decode(bytes);
    return false;
  } catch {
    return true;
  }
}

/** Byte offset where `bytes` stop being valid UTF-8 (start of the bad sequence), or undefined. */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  try {
    decoder.decode(bytes);
    return undefined;
  } catch {
    // Find where: the first lead byte whose sequence is malformed, overlong, a surrogate or cut short.
  }
  for (let i = 0; i < bytes.length;) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n >= bytes.length) return i;
    const second = bytes[i + 1]!;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return bytes.length;
}

export function decodeUtf8(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/** The dominant line ending (CRLF, LF or CR alone; LF on a tie with CR, CRLF when most are CRLF). */
export function detectFormat(raw: string): TextFormat {
  const bom = raw.startsWith(UTF8_BOM);
  const crlf = (raw.match(/\r\n/g) ?? []).length;
  const lf = (raw.match(/\n/g) ?? []).length - crlf;
  const cr = (raw.match(/\r/g) ?? []).length - crlf;
  const eol: Eol = cr > crlf && cr > lf ? '\r' : crlf > lf ? '\r\n' : '\n';
  const format: TextFormat = { eol, bom, finalNewline: raw.length === 0 ? true : /[\r\n]$/.test(raw) };
  if ([crlf, lf, cr].filter((n) => n > 0).length > 1) {
    const parts = (bom ? raw.slice(1) : raw).split(/(\r\n|\r|\n)/);
    const lines: string[] = [];
    const eols: Eol[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) {
      lines.push(parts[i]!);
      eols.push(parts[i + 1] as Eol);
    }
    format.mixed = { lines, eols };
  }
  return format;
}

/** Strip BOM and turn CRLF/CR into LF. */
export function normalize(raw: string): string {
  const noBom = raw.startsWith(UTF8_BOM) ? raw.slice(1) : raw;
  return noBom.replace(/\r\n?/g, '\n');
}

/**
 * The ending for each line of `lines` (all but a last line without one), against the original
 * lines (bounded line diff): an unchanged line keeps its ending; a line changed in place (the
 * k-th line of a changed block that replaces at least k original lines) keeps the ending of the
 * line it replaces; any other new line gets the dominant one.
 */
function mixedEols(lines: string[], format: TextFormat & { mixed: NonNullable<TextFormat['mixed']> }): Eol[] {
  const { lines: base, eols } = format.mixed;
  const out = new Array<Eol>(lines.length);
  let i = 0;
  let j = 0;
  for (const c of [...diffLines(base, lines).changes, { aStart: base.length, aLength: 0, bStart: lines.length, bLength: 0 }]) {
    while (j < c.bStart) out[j++] = eols[i++]!;
    for (let k = 0; k < c.bLength; k++) out[j++] = k < c.aLength ? eols[c.aStart + k]! : format.eol;
    i = c.aStart + c.aLength;
  }
  return out;
}

/** Re-encode normalized text in a file's format (its EOL, BOM and final-newline choice). */
export function encodeLike(normalizedText: string, format: TextFormat): string {
  let text = normalize(normalizedText);
  if (text.length > 0) {
    const ends = text.endsWith('\n');
    if (format.finalNewline && !ends) text += '\n';
    if (!format.finalNewline && ends) text = text.slice(0, -1);
  }
  if (format.mixed) {
    const lines = text.split('\n');
    const last = lines.pop()!; // '' when the text ends with a newline
    const eols = mixedEols(lines, format as TextFormat & { mixed: NonNullable<TextFormat['mixed']> });
    text = lines.map((l, i) => l + eols[i]).join('') + last;
  } else if (format.eol !== '\n') {
    text = text.replace(/\n/g, format.eol);
  }
  return (format.bom ? UTF8_BOM : '') + text;
}

export function toBytes(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** Decoded, normalized view of a file's bytes together with its format. */
export function readText(bytes: Uint8Array): { text: string; format: TextFormat } {
  const raw = decodeUtf8(bytes);
  return { text: normalize(raw), format: detectFormat(raw) };
}
