// Options and HTML for every Rusty webview: scripts enabled, local resources limited to the built
// webview bundles (dist/webview) and media/, strict CSP with a fresh nonce per load.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { makeNonce, renderWebviewHtml, type WebviewName } from './html';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** `initialSnapshot`: written into the page, so the first paint needs no `ready` round trip (host: seed it). */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, name: WebviewName, title: string, initialSnapshot?: unknown): string {
  const file = (ext: string, base: string = name) => {
    const uri = vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${base}.${ext}`);
    return uri.scheme !== 'file' || fs.existsSync(uri.fsPath) ? webview.asWebviewUri(uri).toString() : undefined;
  };
  return renderWebviewHtml({ name, title, cspSource: webview.cspSource, nonce: makeNonce(), scriptUri: file('js'), styleUri: file('css'),
    ...(name === 'review' ? { highlighterUri: file('js', 'highlight') } : {}),
    ...(initialSnapshot !== undefined ? { initialSnapshot } : {}),
  });
}
