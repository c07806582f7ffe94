// Text encoding rules shared by every engine: what we diff is normalized text (LF, no BOM);
// what we write keeps the original file's line endings, BOM and final-newline choice.

const UTF8_BOM = '\uFEFF';

export interface TextFormat {
  eol: '\n' | '\r\n';
  bom: boolean;
  finalNewline: boolean;
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

export function decodeUtf8(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/** Line ending is CRLF when most line breaks are CRLF. */
export function detectFormat(raw: string): TextFormat {
  const bom = raw.startsWith(UTF8_BOM);
  const crlf = (raw.match(/\r\n/g) ?? []).length;
  const lf = (raw.match(/\n/g) ?? []).length - crlf;
  return { eol: crlf > lf ? '\r\n' : '\n', bom, finalNewline: raw.length === 0 ? true : raw.endsWith('\n') };
}

/** Strip BOM and turn CRLF/CR into LF. */
export function normalize(raw: string): string {
  const noBom = raw.startsWith(UTF8_BOM) ? raw.slice(1) : raw;
  return noBom.replace(/\r\n?/g, '\n');
}

/** Re-encode normalized text in a file's format (its EOL, BOM and final-newline choice). */
export function encodeLike(normalizedText: string, format: TextFormat): string {
  let text = normalize(normalizedText);
  if (text.length > 0) {
    const ends = text.endsWith('\n');
    if (format.finalNewline && !ends) text += '\n';
    if (!format.finalNewline && ends) text = text.slice(0, -1);
  }
  if (format.eol === '\r\n') text = text.replace(/\n/g, '\r\n');
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
