import * as path from 'node:path';

/** The layout of one workspace's state folder. */
export class StatePaths {
  constructor(readonly dir: string) {}
  get lock(): string { return path.join(this.dir, 'state.lock'); }
  get proposals(): string { return path.join(this.dir, 'proposals'); }
  get blobs(): string { return path.join(this.dir, 'blobs'); }
  get checkpoints(): string { return path.join(this.dir, 'checkpoints'); }
  get journal(): string { return path.join(this.dir, 'journal'); }
  get audit(): string { return path.join(this.dir, 'audit.jsonl'); }
  get workspaceInfo(): string { return path.join(this.dir, 'workspace.json'); }
  /** AI usage: per-model metrics, daily spend, and the lock both are updated under. */
  get ai(): string { return path.join(this.dir, 'ai'); }
  get aiMetrics(): string { return path.join(this.dir, 'ai', 'metrics.json'); }
  get aiSpend(): string { return path.join(this.dir, 'ai', 'spend.json'); }
  get aiLock(): string { return path.join(this.dir, 'ai', 'ai.lock'); }
  /** Corrupt files moved aside (see quarantine.ts). */
  get quarantine(): string { return path.join(this.dir, 'quarantine'); }
  /** Timed MCP grants (same as mcpStatePaths().grants). */
  get grants(): string { return path.join(this.dir, 'mcp', 'grants.json'); }
}
