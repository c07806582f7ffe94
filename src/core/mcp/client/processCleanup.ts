// Every child process Rusty spawns for an MCP server is tracked here, so that neither the CLI nor
// the extension host leaves orphans behind: on process exit (or a fatal signal) the survivors are
// killed synchronously — 'exit' handlers cannot wait for anything.
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let installed = false;

export function trackChild(child: ChildProcess): void {
  installHandlers();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function untrackChild(child: ChildProcess): void {
  children.delete(child);
}

export function trackedChildCount(): number {
  return children.size;
}

/** Kills every tracked child still running (synchronous; safe to call from an 'exit' handler). */
export function killTrackedChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.once('exit', () => killTrackedChildren());
  // A fatal signal skips 'exit' handlers. Kill the children, then let the signal do what it would
  // have done — unless the host has its own handler, which then owns the shutdown.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // Another handler (the CLI's Ctrl-C) owns the shutdown: it cancels calls and stops servers in
      // stages; the 'exit' handler stays as the safety net.
      if (process.listenerCount(signal) > 1) return;
      killTrackedChildren();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
