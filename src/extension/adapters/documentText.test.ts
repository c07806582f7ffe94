import { describe, expect, it } from 'vitest';
import { editorTextFor, encodeDocumentText, hasUtf8Bom, isUtf8Encoding } from './documentText';

const b = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('document text ⇄ bytes', () => {
  it('encodes editor text as UTF-8, with a BOM when the file has one', () => {
    expect(Buffer.from(encodeDocumentText('a\r\nb', false)).toString('hex')).toBe(Buffer.from('a\r\nb').toString('hex'));
    expect(Buffer.from(encodeDocumentText('é', true)).toString('hex')).toBe('efbbbfc3a9');
    expect(hasUtf8Bom(encodeDocumentText('x', true))).toBe(true);
    expect(hasUtf8Bom(b('x'))).toBe(false);
    expect(hasUtf8Bom(undefined)).toBe(false);
    expect(isUtf8Encoding('utf8bom')).toBe(true);
    expect(isUtf8Encoding('windows1252')).toBe(false);
  });

  it('says what text puts exactly these bytes in an editor, and refuses what an editor cannot hold', () => {
    const lf = { eol: '\n' as const, bom: false };
    const crlf = { eol: '\r\n' as const, bom: false };
    expect(editorTextFor(b('a\nb\n'), lf)).toEqual({ text: 'a\nb\n' });
    expect(editorTextFor(b('a\r\nb\r\n'), crlf)).toEqual({ text: 'a\r\nb\r\n' });
    expect(editorTextFor(b('\uFEFFa\n'), { eol: '\n', bom: true })).toEqual({ text: 'a\n' });
    expect(editorTextFor(b('one line'), crlf)).toEqual({ text: 'one line' });
    expect(editorTextFor(b('a\r\nb\n'), crlf)).toHaveProperty('reason');
    expect(editorTextFor(b('a\r\nb\r\n'), lf)).toHaveProperty('reason');
    expect(editorTextFor(b('a\rb'), lf)).toHaveProperty('reason');
    expect(editorTextFor(b('\uFEFFa\n'), lf)).toHaveProperty('reason');
    expect(editorTextFor(b('a\n'), { eol: '\n', bom: true })).toHaveProperty('reason');
    expect(editorTextFor(new Uint8Array([0xff, 0xfe, 0x41]), lf)).toEqual({ reason: 'the new content is not valid UTF-8' });
    // Round trip: the text for the bytes, encoded again, is the same bytes.
    const bytes = b('\uFEFFx\r\ny\r\n');
    const fit = editorTextFor(bytes, { eol: '\r\n', bom: true });
    expect('text' in fit && Buffer.from(encodeDocumentText(fit.text, true)).equals(Buffer.from(bytes))).toBe(true);
  });
});
