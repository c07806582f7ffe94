import { describe, expect, it } from 'vitest';
import { encodeLike, invalidUtf8Offset, readText } from './text';

const reencode = (raw: string, edit: (text: string) => string) => {
  const { text, format } = readText(Buffer.from(raw, 'utf8'));
  return encodeLike(edit(text), format);
};

describe('line endings survive a re-encode', () => {
  it('CR-only files stay CR-only (with and without a final line break)', () => {
    expect(reencode('one\rtwo\rthree\r', (t) => t.replace('two', 'TWO'))).toBe('one\rTWO\rthree\r');
    expect(reencode('one\rtwo', (t) => `${t}\nthree`)).toBe('one\rtwo\rthree');
    expect(readText(Buffer.from('a\rb\r')).format).toMatchObject({ eol: '\r', finalNewline: true });
  });

  it('a mixed file keeps each unchanged line\'s own ending; changed lines keep theirs, new lines take the dominant one', () => {
    const raw = 'a\r\nb\nc\r\nd\r\ne\rf\r\n';
    expect(reencode(raw, (t) => t)).toBe(raw);
    expect(reencode(raw, (t) => t.replace('c\n', 'C\n'))).toBe('a\r\nb\nC\r\nd\r\ne\rf\r\n');
    expect(reencode(raw, (t) => t.replace('b\n', 'b\nnew\n'))).toBe('a\r\nb\nnew\r\nc\r\nd\r\ne\rf\r\n');
    expect(reencode(raw, (t) => t.replace('d\n', ''))).toBe('a\r\nb\nc\r\ne\rf\r\n');
    // A line changed in place keeps its own ending, not the dominant CRLF (soak R3b).
    expect(reencode(raw, (t) => t.replace('b\n', 'B\n').replace('e\n', 'E\n'))).toBe('a\r\nB\nc\r\nd\r\nE\rf\r\n');
    // Two lines replaced by three: the first two take the replaced lines' endings, the extra one the dominant.
    expect(reencode(raw, (t) => t.replace('d\ne\n', 'D1\nE1\nX\n'))).toBe('a\r\nb\nc\r\nD1\r\nE1\rX\r\nf\r\n');
    // Lines moved apart by edits on both sides are matched by a line diff, not by position.
    expect(reencode(raw, (t) => `top\n${t.replace('d\n', 'D\n')}bottom\n`)).toBe('top\r\na\r\nb\nc\r\nD\r\ne\rf\r\nbottom\r\n');
  });

  it('a mixed file with a BOM and no final line break', () => {
    const raw = '\uFEFFx\ny\r\nz';
    expect(reencode(raw, (t) => t.replace('z', 'Z'))).toBe('\uFEFFx\ny\r\nZ');
  });
});

describe('invalidUtf8Offset', () => {
  it('is undefined for valid UTF-8 and names the first bad sequence otherwise', () => {
    expect(invalidUtf8Offset(Buffer.from('{"a":"é€😀"}', 'utf8'))).toBeUndefined();
    expect(invalidUtf8Offset(Buffer.from([0x7b, 0x22, 0xff, 0x22]))).toBe(2);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc3]))).toBe(1); // cut short
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong
    expect(invalidUtf8Offset(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2); // surrogate
    expect(invalidUtf8Offset(Buffer.from([0xe2, 0x82, 0xac, 0xe2, 0x28, 0xa1]))).toBe(3);
  });
});
