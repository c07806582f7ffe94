// Extension entry point. Activation happens only on Rusty's own commands, views and panels
// (package.json); it builds the container and returns. Heavy parts load on first use.
import type * as vscode from 'vscode';
import { Container } from './container';

let container: Container | undefined;

export function activate(context: vscode.ExtensionContext): void {
  container = new Container(context);
  context.subscriptions.push(container);
}

export function deactivate(): void {
  // The container is disposed with context.subscriptions; nothing else runs in the background.
  container = undefined;
}
