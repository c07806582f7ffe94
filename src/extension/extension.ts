// Extension entry point. Activation happens only on Rusty's own commands, views and panels
// (package.json); it builds the container and returns. Heavy parts load on first use.
import type * as vscode from 'vscode';
import { Container } from './container';

let container: Container | undefined;

export function activate(context: vscode.ExtensionContext): void {
  container = new Container(context);
  context.subscriptions.push(container);
}

export async function deactivate(): Promise<void> {
  // VS Code awaits this before disposing context.subscriptions: MCP servers get their staged
  // shutdown (close stdin → SIGTERM → SIGKILL) instead of being left to the process-exit sweep.
  const c = container;
  container = undefined;
  await c?.shutdown();
}
