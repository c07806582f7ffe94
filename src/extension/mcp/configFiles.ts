// Opening the files MCP configs and policies live in: a config problem at its JSON path, the
// workspace policy, .vscode/mcp.json. A file that does not exist yet opens as an untitled document
// at its path with a starting template, so nothing is written until the user saves.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { locateJsonPath } from './jsonPath';

export const MCP_JSON_TEMPLATE = `{
  // MCP servers for this workspace (Rusty and VS Code read this file).
  // Secrets: use \${input:<id>} (asked once, kept in VS Code's secret storage) or \${env:VAR}.
  "servers": {
    "example": {
      "type": "stdio",
      "command": "node",
      "args": ["\${workspaceFolder}/path/to/server.js"],
      "env": { "API_TOKEN": "\${input:example-token}" }
    }
  },
  "inputs": [
    { "id": "example-token", "type": "promptString", "description": "API token for the example server", "password": true }
  ]
}
`;

export const POLICY_TEMPLATE = `{
  "trustedServers": [],
  "rules": [
    { "server": "*", "tool": "delete_*", "decision": "deny" }
  ]
}
`;

async function openOrCreate(file: string, template: string): Promise<vscode.TextEditor> {
  if (fs.existsSync(file)) return vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file).with({ scheme: 'untitled' }));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (doc.getText() === '') await editor.edit((e) => e.insert(new vscode.Position(0, 0), template));
  return editor;
}

export function openMcpJson(workspace: string): Promise<vscode.TextEditor> {
  return openOrCreate(path.join(workspace, '.vscode', 'mcp.json'), MCP_JSON_TEMPLATE);
}

export function openPolicy(workspace: string): Promise<vscode.TextEditor> {
  return openOrCreate(path.join(workspace, '.rusty', 'policy.json'), POLICY_TEMPLATE);
}

export async function openSetting(key: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', key);
}

/** Opens `file` with the entry at `jsonPath` selected (JSON/JSONC files; others open at the top). */
export async function openAtJsonPath(file: string, jsonPath: string): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  const at = /\.(json|jsonc)$/i.test(file) ? locateJsonPath(editor.document.getText(), jsonPath) : undefined;
  if (!at) return;
  const range = new vscode.Range(editor.document.positionAt(at.offset), editor.document.positionAt(at.offset + at.length));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
