import { describe, expect, it } from 'vitest';
import { safeBlock, safeLine } from './terminalText';
import { hiddenCharKind, splitHidden } from '../../shared/hiddenChars';

describe('terminal text', () => {
  it('escapes every control character, keeps tabs, and shows bidi and invisible characters as <U+XXXX>', () => {
    expect(safeLine('a\u001b[2K\rb\u0007\nc\td\u007f\u009b')).toBe('a\\x1b[2K\\rb\\x07\\nc\td\\x7f\\x9b');
    expect(safeLine('/*\u202E } \u2066if\u2069*/ x\u200By\uFEFF\u{E0041}')).toBe('/*<U+202E> } <U+2066>if<U+2069>*/ x<U+200B>y<U+FEFF><U+E0041>');
    expect(safeBlock('one\u001b]0;t\u0007\ntwo\r\n')).toBe('one\\x1b]0;t\\x07\ntwo\\r\n');
    expect(safeLine('plain ASCII, ünïcödé, 日本語, emoji 🎉')).toBe('plain ASCII, ünïcödé, 日本語, emoji 🎉');
    // Idempotent: escaped text has nothing left to escape.
    const once = safeBlock('x\u001b\u202E\u0000\ny');
    expect(safeBlock(once)).toBe(once);
  });

  it('classifies the Trojan Source code points (CVE-2021-42574) and cuts text around them', () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) expect(hiddenCharKind(String.fromCodePoint(cp))).toBe('bidi');
    for (const cp of [0x200b, 0x200c, 0x200d, 0x2060, 0x2064, 0xfeff, 0x00ad, 0x3164, 0xe0001, 0xe0100]) expect(hiddenCharKind(String.fromCodePoint(cp))).toBe('invisible');
    for (const cp of [0x00, 0x07, 0x0a, 0x1b, 0x7f, 0x85, 0x9b]) expect(hiddenCharKind(String.fromCodePoint(cp))).toBe('control');
    for (const ch of ['a', ' ', '~', 'é', '→', '\uFE0F', '😀']) expect(hiddenCharKind(ch)).toBeUndefined();
    expect(splitHidden('a\u202Eb\tc')).toEqual(['a', { ch: '\u202E', kind: 'bidi', label: 'U+202E' }, 'b\tc']);
  });
});
