// The HTML every Rusty webview loads: a strict nonce-based CSP, only local resources (the Vite
// bundles in dist/webview), no remote content. Pure string building, so the CSP is unit-tested.
import { randomBytes } from 'node:crypto';
import { INITIAL_SNAPSHOT_ID } from '../../shared/messages';

export type WebviewName = 'approvals' | 'review' | 'audit';

export interface WebviewHtmlInput {
  name: WebviewName;
  title: string;
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** Webview URIs of the bundle's script and stylesheet, or undefined when the file is missing. */
  scriptUri?: string;
  styleUri?: string;
  /**
   * Review only: webview URI of highlight.js (Shiki). The app loads it itself after its first
   * paint, as a second script with its own nonce, so first paint never waits for it.
   */
  highlighterUri?: string;
  /** The first snapshot, written into the page as JSON (not script): the app renders it at once. */
  initialSnapshot?: unknown;
}

/**
 * JSON safe inside a `<script type="application/json">` element: no `<` (so no `</script>` or
 * `<!--`), `>`, `&` or line/paragraph separators survive as such; JSON.parse reads them back.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The app mounts on `#root`; `data-webview` names the app. Without a built bundle the page still
 * loads and says how to build it.
 */
export function renderWebviewHtml(input: WebviewHtmlInput): string {
  const { nonce } = input;
  // Attribute values are double-quoted: escaping &, ", < and > is enough (the CSP keeps its quotes readable).
  const attr = (s: string) => s.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]!);
  const style = input.styleUri ? `<link rel="stylesheet" nonce="${attr(nonce)}" href="${attr(input.styleUri)}">` : '';
  const highlighter = input.scriptUri && input.highlighterUri ? ` data-highlighter="${attr(input.highlighterUri)}"` : '';
  const initial = input.scriptUri && input.initialSnapshot !== undefined ? `\n  <script type="application/json" id="${INITIAL_SNAPSHOT_ID}">${scriptJson(input.initialSnapshot)}</script>` : '';
  const body = input.scriptUri
    ? `<div id="root" data-webview="${attr(input.name)}"${highlighter}></div>${initial}\n  <script nonce="${attr(nonce)}" src="${attr(input.scriptUri)}"></script>`
    : `<div id="root" data-webview="${attr(input.name)}"><p>Rusty's ${attr(input.name)} view is not built yet (dist/webview/${attr(input.name)}.js is missing). Run <code>npm run build</code> and reload the window.</p></div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(input.title)}</title>
  ${style}
</head>
<body>
  ${body}
</body>
</html>
`;
}
