// Extension entry point (dist/extension.js, a few KB). Activation happens only on Rusty's own
// commands, views and panels (package.json) and does registration only: every contributed command
// gets a stand-in that waits for the container. The container — core, zod schemas, providers, views,
// webview hosts — is dist/container.js, require()d in a timer right after activate() returns; it
// replaces the stand-ins with the real commands in the same tick. A command run before then (the
// one that activated Rusty) runs as soon as the container is up. Engines, MCP, AI and GitHub load on
// first use from their own bundles, as before.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as ContainerModule from './container';
import type { Container } from './container';

let container: Container | undefined;
let starting: Promise<Container | undefined> | undefined;
/** Deactivated before the timer fired: the container is not built. */
let stopped = false;

/** Every command package.json contributes (commands/ids.ts lists the same; a unit test checks). */
function contributedCommands(context: vscode.ExtensionContext): string[] {
  const pkg = context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
  return (pkg.contributes?.commands ?? []).map((c) => c.command);
}

/** The extension's exports: `ready` settles once the container is up (true) or failed to load (false). */
export interface RustyApi { ready: Promise<boolean> }

export function activate(context: vscode.ExtensionContext): RustyApi {
  stopped = false;
  const standIns = contributedCommands(context).map((id) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    // The real command is registered by now (or the container failed to load and said so).
    return (await start()) ? vscode.commands.executeCommand(id, ...args) : undefined;
  }));
  const start = (): Promise<Container | undefined> => (starting ??= new Promise((resolve) => {
    setTimeout(() => resolve(load(context, standIns)), 0);
  }));
  context.subscriptions.push({ dispose: () => { for (const d of standIns.splice(0)) d.dispose(); } });
  return { ready: start().then((c) => !!c) };
}

/** Builds the container from dist/container.js; its commands replace the stand-ins in one tick. */
function load(context: vscode.ExtensionContext, standIns: vscode.Disposable[]): Container | undefined {
  if (stopped) return undefined;
  const t0 = performance.now();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(path.join(__dirname, 'container.js')) as typeof ContainerModule;
    for (const d of standIns.splice(0)) d.dispose();
    container = new bundle.Container(context);
    context.subscriptions.push(container);
    container.log.info(`Rusty is ready (container loaded and built in ${Math.round(performance.now() - t0)} ms, after activation).`);
    return container;
  } catch (err) {
    for (const d of standIns.splice(0)) d.dispose();
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(`Rusty could not start: ${message}. Reinstall the extension, or rebuild it with "npm run build".`);
    return undefined;
  }
}

export async function deactivate(): Promise<void> {
  // VS Code awaits this before disposing context.subscriptions: MCP servers get their staged
  // shutdown (close stdin → SIGTERM → SIGKILL) instead of being left to the process-exit sweep.
  const c = container;
  container = undefined;
  starting = undefined;
  stopped = true;
  await c?.shutdown();
}
