import { describe, expect, it } from 'vitest';
import { createRustyHighlighter, languageOf } from './highlighter';
import { tokenClass } from './theme';

const h = createRustyHighlighter();

describe('highlighter', () => {
  it('colours TypeScript tokens by kind and keeps every line\'s text', () => {
    const lines = ['// note', 'export function foo(a: number): string {', '  return `x${a}` + "q" + 42;', '}', ''];
    const { lines: out } = h.tokenize(lines, 'typescript');
    expect(out.map((l) => l.map((t) => t.text).join(''))).toEqual(lines);
    const cls = (i: number, text: string) => out[i]!.find((t) => t.text.includes(text))?.cls;
    expect(cls(0, 'note')).toBe('r-tok-comment');
    expect(cls(1, 'export')).toBe('r-tok-control');
    expect(cls(1, 'function')).toBe('r-tok-keyword');
    expect(cls(1, 'foo')).toBe('r-tok-function');
    expect(cls(1, 'number')).toBe('r-tok-type');
    expect(cls(2, '42')).toBe('r-tok-number');
    expect(cls(2, '"q')).toBe('r-tok-string');
  });

  it('continues a construct across chunks with the grammar state', () => {
    const first = h.tokenize(['/* a comment', 'still inside'], 'typescript');
    const next = h.tokenize(['end */ const x = 1;'], 'typescript', first.state);
    expect(next.lines[0]![0]).toEqual({ text: 'end */', cls: 'r-tok-comment' });
    const fresh = h.tokenize(['end */ const x = 1;'], 'typescript');
    expect(fresh.lines[0]![0]!.cls).not.toBe('r-tok-comment');
  });

  it('picks grammars by extension and has none for other files', () => {
    expect(['a.ts', 'b.tsx', 'c.mjs', 'd.jsx', 'e.json', 'f.css', 'README.md', 'x.rs'].map(languageOf)).toEqual(['typescript', 'tsx', 'tsx', 'tsx', 'json', 'css', undefined, undefined]);
  });

  it('reads JavaScript with JSX', () => {
    const { lines } = h.tokenize(['const el = <div className="x">{a}</div>;'], 'tsx');
    expect(lines[0]!.find((t) => t.text.includes('div'))?.cls).toBe('r-tok-tag');
    expect(lines[0]!.find((t) => t.text === 'className')?.cls).toBe('r-tok-attribute');
  });

  it('leaves hidden characters and over-long lines as their own text', () => {
    const lines = ['const s = "\u202Eabc";', `const long = "${'x'.repeat(3000)}";`];
    const { lines: out } = h.tokenize(lines, 'typescript');
    expect(out.map((l) => l.map((t) => t.text).join(''))).toEqual(lines);
  });

  it('maps only its own variables to classes', () => {
    expect(tokenClass('var(--r-tok-string)')).toBe('r-tok-string');
    expect(tokenClass('var(--r-tok-foreground)')).toBe('');
    expect(tokenClass('#ff0000')).toBe('');
  });
});
