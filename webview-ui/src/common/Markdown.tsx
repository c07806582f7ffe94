import { useMemo } from 'react';
import { Marked } from 'marked';
import DOMPurify from 'dompurify';
import { splitHidden } from '../protocol';

const KIND_NAMES = { bidi: 'bidirectional control character', invisible: 'invisible character', control: 'control character' } as const;

// What untrusted markdown may produce: text structure only (no images, forms, styles or raw HTML blocks).
const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];

/** Hidden characters become marked chips, as in VisibleText (escaped text, not markup). */
function markHidden(root: ParentNode): void {
  const doc = root.ownerDocument ?? document;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  for (const t of texts) {
    const pieces = splitHidden(t.data);
    if (pieces.every((p) => typeof p === 'string' || p.ch === '\n')) continue;
    const frag = doc.createDocumentFragment();
    for (const p of pieces) {
      if (typeof p === 'string') frag.append(p);
      else if (p.ch === '\n') frag.append('\n');
      else {
        const mark = doc.createElement('mark');
        mark.className = `r-hidden-char r-hidden-char--${p.kind}`;
        mark.title = `${p.label}: ${KIND_NAMES[p.kind]}`;
        mark.textContent = p.label;
        frag.append(mark);
      }
    }
    t.replaceWith(frag);
  }
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Raw HTML in the text (blocks and inline tags) is shown as text, never parsed.
const md = new Marked({ gfm: true, breaks: true, async: false, renderer: { html: ({ text }) => escapeHtml(text) } });

/**
 * Untrusted markdown (titles, rationales, descriptions) as sanitized HTML. Raw HTML in the text is
 * escaped, not rendered; links stay inert (the target shows as a tooltip, never navigated to
 * inside the webview).
 */
export function renderMarkdown(text: string, inline = false): string {
  const html = (inline ? md.parseInline(text) : md.parse(text)) as string;
  const clean = document.createElement('div');
  clean.innerHTML = DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR: ['href', 'title', 'align'] });
  for (const a of [...clean.querySelectorAll('a')]) {
    const span = document.createElement('span');
    span.className = 'r-md-link';
    const href = a.getAttribute('href') ?? '';
    if (/^(https?:|mailto:)/i.test(href)) span.title = href;
    span.append(...a.childNodes);
    a.replaceWith(span);
  }
  markHidden(clean);
  return clean.innerHTML;
}

export function Markdown({ text, inline = false, className }: { text: string; inline?: boolean; className?: string }) {
  const html = useMemo(() => renderMarkdown(text, inline), [text, inline]);
  const cls = `r-markdown${className ? ` ${className}` : ''}`;
  return inline ? <span className={cls} dangerouslySetInnerHTML={{ __html: html }} /> : <div className={cls} dangerouslySetInnerHTML={{ __html: html }} />;
}
