// Serves `rusty-proposal:` documents (read-only) so "Open in VS Code diff" uses the native diff editor.
import * as vscode from 'vscode';
import type { Container } from '../container';
import { blobToText } from '../views/proposalViews';
import { fileAt, parseProposalUri, PROPOSAL_SCHEME, proposalUriParts, sideHash, type Side } from './proposalUri';

export class ProposalContentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly container: Container) {}

  static uri(folder: vscode.Uri, id: string, path: string, side: Side): vscode.Uri {
    return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, ...proposalUriParts({ folder: folder.toString(), id, path, side }) });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const parts = parseProposalUri(uri);
    if (!parts) return '(not a Rusty proposal address)';
    const ws = this.container.workspaceFor(vscode.Uri.parse(parts.folder)) ?? this.container.current();
    if (!ws) return '(the workspace folder of this proposal is not open)';
    const core = await ws.core();
    let p;
    try {
      p = core.proposals.find(parts.id);
    } catch {
      p = undefined; // not a well-formed id
    }
    if (!p) return `(proposal ${parts.id} is gone — removed by garbage collection?)`;
    const f = fileAt(p, parts.path);
    if (!f) return `(proposal ${parts.id} has no file ${parts.path})`;
    const hash = sideHash(f, parts.side);
    if (hash === null) return '';
    const bytes = core.blobText(hash);
    if (f.binary) return `(binary file, ${bytes.byteLength} bytes — not shown)`;
    return blobToText(bytes);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
