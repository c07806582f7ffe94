import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, escapeHtml, makeNonce, renderWebviewHtml } from './html';
import { askingFromState, auditFilterFromState, INTERRUPTED_MESSAGE, proposalIdFromState } from './panelState';

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

  it('names the review panel\'s highlighter on #root, to be loaded after first paint with the same nonce', () => {
    const hl = `${cspSource}/dist/webview/highlight.js`;
    const html = renderWebviewHtml({ name: 'review', title: 'R', cspSource, nonce: 'abc', scriptUri: `${cspSource}/dist/webview/review.js`, highlighterUri: `${hl}?"x` });
    expect(html).toContain(`<div id="root" data-webview="review" data-highlighter="${hl}?&quot;x"></div>`);
    // Still the one parser-inserted script: review.js adds highlight.js itself, with its nonce.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(renderWebviewHtml({ name: 'review', title: 'R', cspSource, nonce: 'abc', highlighterUri: hl })).not.toContain('data-highlighter');
  });

  it('writes the first snapshot into the page as inert JSON that no proposal text can break out of', () => {
    const hostile = { proposal: { title: '</script><script>alert(1)</script><!-- \u2028 & > "q"' }, texts: { 'a.ts': { before: '</SCRIPT>', after: 'x' } } };
    const html = renderWebviewHtml({ name: 'review', title: 'R', cspSource, nonce: 'abc', scriptUri: `${cspSource}/dist/webview/review.js`, initialSnapshot: hostile });
    const block = /<script type="application\/json" id="rusty-initial-snapshot">([^<]*)<\/script>/.exec(html);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(hostile);
    // The JSON block and review.js: two script elements, two end tags, and the JSON comes first.
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html.indexOf('rusty-initial-snapshot')).toBeLessThan(html.indexOf('review.js'));
    // Without a bundle there is nothing to read it: no block.
    expect(renderWebviewHtml({ name: 'review', title: 'R', cspSource, nonce: 'abc', initialSnapshot: hostile })).not.toContain('rusty-initial-snapshot');
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

  it('restores a saved "asking" view: a finished one as it ended, a running one as interrupted; garbage is refused and sizes are capped', () => {
    const view = {
      task: 'Explain paginate', scope: 'src/page.ts', state: 'answered', startedAt: '2026-12-03T12:00:00.000Z', route: 'Chose vscode-lm/x.',
      candidates: [{ index: 1, model: 'vscode-lm/x', text: 'It pages.' }], events: [{ candidate: 0, kind: 'route', message: 'Chose', at: 't' }], answer: 'It pages.',
    };
    expect(askingFromState({ asking: view })).toEqual(view);
    expect(askingFromState({ asking: { ...view, state: 'running', answer: undefined } })).toMatchObject({ state: 'interrupted', error: INTERRUPTED_MESSAGE });
    expect(askingFromState({ asking: { ...view, state: 'cancelling' } })?.state).toBe('interrupted');
    expect(askingFromState({ asking: { ...view, state: 'exploded' } })).toBeUndefined();
    expect(askingFromState({ asking: { ...view, candidates: 'x' } })).toBeUndefined();
    expect(askingFromState({ review: { proposalId: 'p1' } })).toBeUndefined();
    expect(askingFromState(null)).toBeUndefined();
    const big = askingFromState({ asking: { ...view, candidates: [{ index: 1, model: 'm', text: 'x'.repeat(100_000) }, { index: -1, model: 'bad', text: '' }], events: [...Array(500)].map(() => ({ candidate: 0, kind: 'tool', message: 'm', at: '' })).concat([{ candidate: 0, kind: 'evil' as 'tool', message: '', at: '' }]) } });
    expect(big?.candidates).toHaveLength(1);
    expect(big?.candidates[0]!.text.length).toBe(20_000);
    expect(big?.events.length).toBe(299);
  });
});
