// Proposals persist as one JSON file each, written durably (temp + fsync + rename), so a reader
// in another process never sees a torn file. Mutations happen under the state lock.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Proposal, ProposalStatus } from './model';
import { readJson, removeDurable, writeJsonDurable } from '../util/fsx';
import { RustyError } from '../util/errors';
import type { Priority } from './changeSet';

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export class ProposalStore {
  constructor(readonly dir: string) {}

  private file(id: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new RustyError('not-found', `No proposal ${JSON.stringify(id)}: ids contain only letters, digits, '-' and '_'.`);
    return path.join(this.dir, `${id}.json`);
  }

  get(id: string): Proposal {
    const p = this.find(id);
    if (!p) throw new RustyError('not-found', `No proposal ${id} in this workspace (see \`rusty list\`).`);
    return p;
  }

  find(id: string): Proposal | undefined {
    return readJson<Proposal>(this.file(id));
  }

  save(p: Proposal, opts: { durable?: boolean } = {}): void {
    writeJsonDurable(this.file(p.id), p, opts.durable ?? true);
  }

  remove(id: string): void {
    removeDurable(this.file(id));
  }

  /** Queue order: pending work by priority then age; everything else newest first. */
  list(filter: { status?: ProposalStatus[] } = {}): Proposal[] {
    if (!fs.existsSync(this.dir)) return [];
    const all: Proposal[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const p = readJson<Proposal>(path.join(this.dir, name));
      if (p && (!filter.status || filter.status.includes(p.status))) all.push(p);
    }
    const open = (p: Proposal) => p.status === 'pending' || p.status === 'conflicted';
    return all.sort((a, b) => {
      if (open(a) !== open(b)) return open(a) ? -1 : 1;
      if (open(a)) return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.createdAt.localeCompare(b.createdAt);
      return b.updatedAt.localeCompare(a.updatedAt);
    });
  }
}
