// Keeps the "AI Models" view current when the metrics or the daily spend change on disk — a CLI
// `rusty ask`, `rusty mcp call` with sampling, or another window. Reuses the state folder's
// debounced watcher (fs.watch, polling where watching is not possible) on `<state>/ai`. No vscode.
import * as fs from 'node:fs';
import { StateWatcher } from '../workspace/stateWatcher';

export class AiStatsWatch {
  private current: { dir: string; watcher: StateWatcher } | undefined;

  constructor(private readonly onChange: () => void, private readonly opts: { log?: { warn(message: string): void }; debounceMs?: number; poll?: boolean; pollMs?: number } = {}) {}

  /** Watch this folder (StatePaths.ai) from now on; the same folder again is a no-op. */
  watch(aiDir: string): void {
    if (this.current?.dir === aiDir) return;
    this.current?.watcher.dispose();
    // The folder exists before the first request so that it can be watched.
    fs.mkdirSync(aiDir, { recursive: true });
    this.current = {
      dir: aiDir,
      watcher: new StateWatcher({
        dirs: [aiDir], onChange: this.onChange,
        ...(this.opts.log ? { log: this.opts.log } : {}),
        ...(this.opts.debounceMs !== undefined ? { debounceMs: this.opts.debounceMs } : {}),
        ...(this.opts.poll ? { poll: true } : {}),
        ...(this.opts.pollMs !== undefined ? { pollMs: this.opts.pollMs } : {}),
      }),
    };
  }

  get dir(): string | undefined {
    return this.current?.dir;
  }

  dispose(): void {
    this.current?.watcher.dispose();
    this.current = undefined;
  }
}
