// The gateway's files in a workspace's state folder.
import * as path from 'node:path';

export class GatewayPaths {
  constructor(readonly stateDir: string) {}
  get dir(): string { return path.join(this.stateDir, 'gateway'); }
  /** Client names, scopes and token hashes (0600). */
  get clients(): string { return path.join(this.dir, 'clients.json'); }
  /** The user's gateway policy (auto-approve, limits, hosts/origins, bind address). */
  get policy(): string { return path.join(this.dir, 'policy.json'); }
  get queue(): string { return path.join(this.dir, 'queue.json'); }
  /** Taken around every read-modify-write of queue.json and the plans. */
  get lock(): string { return path.join(this.dir, 'gateway.lock'); }
  get plans(): string { return path.join(this.dir, 'plans'); }
  /** Counters /metrics reports, kept across restarts. */
  get metrics(): string { return path.join(this.dir, 'metrics.json'); }
}
