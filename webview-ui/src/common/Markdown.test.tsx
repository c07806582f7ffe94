import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { Markdown, renderMarkdown } from './Markdown';

describe('Markdown (untrusted text)', () => {
  it('renders code spans, emphasis and "- " lists instead of showing the raw syntax', () => {
    const { container } = render(<Markdown text={'Rename `floatSafeRemainder` **safely**:\n\n- one\n- two'} />);
    expect(container.querySelector('code')?.textContent).toBe('floatSafeRemainder');
    expect(container.querySelector('strong')?.textContent).toBe('safely');
    expect([...container.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(container.textContent).not.toContain('`');
    expect(container.textContent).not.toContain('- one');
  });

  it('shows raw HTML as text and runs nothing from it', () => {
    const { container } = render(<Markdown text={'<img src=x onerror="alert(1)"> <script>alert(2)</script>\n\n<b>bold?</b> `Array<string>`'} />);
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(container.textContent).toContain('<b>bold?</b>');
    expect(container.querySelector('code')?.textContent).toBe('Array<string>');
  });

  it('keeps links inert: no <a>, no href, the target only as a tooltip', () => {
    const html = renderMarkdown('[docs](https://example.com/x) and [evil](javascript:alert(1)) <https://auto.example>');
    const box = document.createElement('div');
    box.innerHTML = html;
    expect(box.querySelector('a, [href]')).toBeNull();
    const links = [...box.querySelectorAll('.r-md-link')];
    expect(links.map((l) => l.textContent)).toEqual(['docs', 'evil', 'https://auto.example']);
    expect(links[0]!.getAttribute('title')).toBe('https://example.com/x');
    expect(html).not.toContain('javascript:alert');
  });

  it('renders inline text (titles) without a paragraph and marks hidden characters', () => {
    const { container } = render(<Markdown text={'Fix `a`\u202Eb'} inline />);
    expect(container.querySelector('p')).toBeNull();
    expect(container.querySelector('code')?.textContent).toBe('a');
    const mark = container.querySelector('mark.r-hidden-char--bidi');
    expect(mark?.textContent).toBe('U+202E');
  });
});
