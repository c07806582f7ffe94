// Bytes ⇄ editor text for the VS Code WorkspaceFs adapter. Pure, so the encoding rules are
// unit-tested in Node: an open document's text is encoded like the file on disk (UTF-8, with a BOM
// when the file has one; the document's EOL is already in its text), and a file's new bytes can go
// into an open editor only when the editor can hold them exactly.

const BOM = [0xef, 0xbb, 0xbf] as const;
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function hasUtf8Bom(bytes: Uint8Array | undefined): boolean {
  return !!bytes && bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

/** Encodings whose bytes are this module's UTF-8 (VS Code's ids). */
export function isUtf8Encoding(encoding: string | undefined): boolean {
  return encoding === undefined || encoding === 'utf8' || encoding === 'utf8bom';
}

export function encodeDocumentText(text: string, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf8');
  if (!bom) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const out = new Uint8Array(body.byteLength + 3);
  out.set(BOM, 0);
  out.set(body, 3);
  return out;
}

export type Eol = '\n' | '\r\n';

/**
 * The text to put in an editor so that saving it writes exactly `bytes`, or a reason it cannot:
 * an editor has one line ending and one encoding; the BOM is the document's encoding (utf8bom).
 */
export function editorTextFor(bytes: Uint8Array, doc: { eol: Eol; bom: boolean }): { text: string } | { reason: string } {
  const bom = hasUtf8Bom(bytes);
  if (bom !== doc.bom) return { reason: bom ? 'the new content starts with a BOM and the editor saves without one' : 'the editor saves with a BOM and the new content has none' };
  let text: string;
  try {
    text = strict.decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    return { reason: 'the new content is not valid UTF-8' };
  }
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const cr = (text.match(/\r/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length;
  if (cr !== crlf) return { reason: 'the new content has lone CR line breaks' };
  if (doc.eol === '\n' && crlf > 0) return { reason: 'the new content has CRLF line breaks and the editor uses LF' };
  if (doc.eol === '\r\n' && lf !== crlf) return { reason: 'the new content has LF line breaks and the editor uses CRLF' };
  return { text };
}
