// Read-only documents for MCP: call results, the full arguments of an "ask", server logs. Served by
// a TextDocumentContentProvider (scheme `rusty-mcp`), so the editor cannot change or save them.
// Logs are read again from the service whenever VS Code asks, and refreshed on server changes.
import * as vscode from 'vscode';

export const MCP_DOC_SCHEME = 'rusty-mcp';

/** Most documents kept; older results are dropped (their tabs show "not found" after a reload). */
const KEEP = 50;

export class ReadonlyDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private seq = 0;

  /** `logText(server)` is read whenever a log document is shown or refreshed. */
  constructor(private readonly logText: (server: string) => string | undefined) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.path.startsWith('/log/')) {
      const server = decodeURIComponent(uri.path.slice('/log/'.length).replace(/\.log$/, ''));
      return this.logText(server) ?? `No log for MCP server "${server}" (it has not been started in this window).`;
    }
    return this.texts.get(uri.toString()) ?? 'This document is no longer available. Run the command again.';
  }

  /** Opens `text` in a read-only editor titled `name` (e.g. `everything-echo-result.json`). */
  async show(name: string, text: string, language?: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: MCP_DOC_SCHEME, path: `/${++this.seq}/${name.replace(/[/\\]/g, '_')}` });
    this.texts.set(uri.toString(), text);
    while (this.texts.size > KEEP) this.texts.delete(this.texts.keys().next().value!);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (language && doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  logUri(server: string): vscode.Uri {
    return vscode.Uri.from({ scheme: MCP_DOC_SCHEME, path: `/log/${encodeURIComponent(server)}.log` });
  }

  async showLog(server: string): Promise<vscode.TextEditor> {
    const uri = this.logUri(server);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  /** A server's state changed: an open log document shows the new text. */
  refreshLog(server?: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== MCP_DOC_SCHEME || !doc.uri.path.startsWith('/log/')) continue;
      if (!server || doc.uri.toString() === this.logUri(server).toString()) this.changed.fire(doc.uri);
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
