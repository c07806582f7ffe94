import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, escapeHtml, makeNonce, renderWebviewHtml } from './html';
import { auditFilterFromState, proposalIdFromState } from './panelState';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

describe('webview HTML', () => {
  it('has the strict nonce CSP: nothing by default, local scripts/styles/fonts only', () => {
    expect(contentSecurityPolicy(cspSource, 'N0NCE')).toBe(
      `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource} 'nonce-N0NCE'; font-src ${cspSource}; script-src 'nonce-N0NCE'`,
    );
  });

  it('loads the bundle with the nonce, mounts on #root and names the app', () => {
    const html = renderWebviewHtml({ name: 'review', title: 'Rusty <review>', cspSource, nonce: 'abc', scriptUri: `${cspSource}/dist/webview/review.js`, styleUri: `${cspSource}/dist/webview/review.css` });
    expect(html).toContain(`<script nonce="abc" src="${cspSource}/dist/webview/review.js"></script>`);
    expect(html).toContain(`<link rel="stylesheet" nonce="abc" href="${cspSource}/dist/webview/review.css">`);
    expect(html).toContain('<div id="root" data-webview="review"></div>');
    expect(html).toContain('<title>Rusty &lt;review&gt;</title>');
    expect(html).not.toMatch(/https?:\/\/(?!file\+)/); // no remote content
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('still loads, without scripts, when the bundle is not built', () => {
    const html = renderWebviewHtml({ name: 'approvals', title: 'Rusty', cspSource, nonce: 'abc' });
    expect(html).not.toContain('<script');
    expect(html).toContain('dist/webview/approvals.js is missing');
    expect(html).toContain("default-src 'none'");
  });

  it('makes fresh, attribute-safe nonces and escapes HTML', () => {
    const a = makeNonce();
    expect(a).toMatch(/^[A-Za-z0-9]{16,}$/);
    expect(makeNonce()).not.toBe(a);
    expect(escapeHtml(`"<&'>`)).toBe('&quot;&lt;&amp;&#39;&gt;');
  });
});

describe('restored panel state', () => {
  it('takes a well-formed proposal id from what the review webview saved', () => {
    expect(proposalIdFromState({ review: { proposalId: 'p0', layout: 'inline', unselected: [] } })).toBe('p0');
    expect(proposalIdFromState({ proposalId: 'p1' })).toBe('p1');
    expect(proposalIdFromState({ proposal: { id: 'p2' } })).toBe('p2');
    expect(proposalIdFromState({ snapshot: { proposal: { id: 'p3' } } })).toBe('p3');
    expect(proposalIdFromState({ proposalId: '../x' })).toBeUndefined();
    expect(proposalIdFromState(null)).toBeUndefined();
    expect(proposalIdFromState('p1')).toBeUndefined();
  });

  it('takes the audit filter the same way', () => {
    expect(auditFilterFromState({ filter: { proposalId: 'p1' } })).toBe('p1');
    expect(auditFilterFromState({ proposalId: 42 })).toBeUndefined();
    expect(auditFilterFromState(undefined)).toBeUndefined();
  });
});
