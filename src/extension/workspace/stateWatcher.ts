// Tells the extension when Rusty's state changed — proposals written by the CLI, an agent, or
// another window — so views update without a reload. The state folder is outside the workspace,
// so this uses Node's fs.watch (inotify on Linux; it runs wherever the extension host runs, which
// for a remote window is the remote machine that holds the files), debounced. Where watching is
// not possible (no inotify watches left, unsupported file system) it polls instead.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface StateWatcherOptions {
  /** Folders to watch (non-recursively), e.g. `<state>/proposals` and `<state>` (audit log). */
  dirs: string[];
  onChange: () => void;
  debounceMs?: number;
  pollMs?: number;
  /** Force polling (tests). */
  poll?: boolean;
  log?: { warn(message: string): void };
}

export class StateWatcher {
  private watchers: fs.FSWatcher[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private poller: ReturnType<typeof setInterval> | undefined;
  private lastSignature = '';
  private disposed = false;

  constructor(private readonly opts: StateWatcherOptions) {
    if (opts.poll) this.startPolling();
    else {
      try {
        for (const dir of opts.dirs) {
          const w = fs.watch(dir, { persistent: false }, () => this.changed());
          w.on('error', (err) => this.fallBack(err));
          this.watchers.push(w);
        }
      } catch (err) {
        this.fallBack(err);
      }
    }
  }

  private fallBack(err: unknown): void {
    if (this.disposed || this.poller) return;
    this.opts.log?.warn(`Watching Rusty's state folder failed (${(err as Error).message}); checking for changes every ${(this.opts.pollMs ?? 2000) / 1000}s instead.`);
    for (const w of this.watchers) w.close();
    this.watchers = [];
    this.startPolling();
  }

  private startPolling(): void {
    this.lastSignature = this.signature();
    this.poller = setInterval(() => {
      const sig = this.signature();
      if (sig !== this.lastSignature) {
        this.lastSignature = sig;
        this.changed();
      }
    }, this.opts.pollMs ?? 2000);
    this.poller.unref?.();
  }

  /** Names, sizes and mtimes of the watched folders' entries. */
  private signature(): string {
    const parts: string[] = [];
    for (const dir of this.opts.dirs) {
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        try {
          const st = fs.statSync(path.join(dir, name));
          parts.push(`${dir}/${name}:${st.size}:${st.mtimeMs}`);
        } catch {
          // gone between readdir and stat
        }
      }
    }
    return parts.join('\n');
  }

  private changed(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.disposed) this.opts.onChange();
    }, this.opts.debounceMs ?? 150);
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.timer) clearTimeout(this.timer);
    if (this.poller) clearInterval(this.poller);
  }
}
