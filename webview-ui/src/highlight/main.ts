// Entry of dist/webview/highlight.js: loaded by the review panel after its first paint.
import { createRustyHighlighter } from './highlighter';
import { HIGHLIGHTER_READY_EVENT } from './types';

window.rustyHighlighter = createRustyHighlighter();
window.dispatchEvent(new Event(HIGHLIGHTER_READY_EVENT));
