// Proposals persist as one JSON file each, written durably (temp + fsync + rename), so a reader
// in another process never sees a torn file. Mutations happen under the state lock. Every read is
// checked against the schema; a corrupt file is quarantined (moved aside, named in the error) so
// the other proposals keep working.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Proposal, ProposalStatus } from './model';
import { removeDurable, writeJsonDurable } from '../util/fsx';
import { RustyError } from '../util/errors';
import type { Priority } from './changeSet';
import { proposalSchema, readStateFile } from '../state/schemas';
import type { Quarantine, QuarantineRecord } from '../state/quarantine';

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export class ProposalStore {
  constructor(readonly dir: string, private readonly quarantine?: Quarantine) {}

  /** The file's proposal, undefined when missing, or the quarantine record when it was corrupt. */
  private load(file: string): Proposal | undefined | { corrupt: QuarantineRecord } {
    const id = path.basename(file, '.json');
    const r = readStateFile<Proposal>(file, proposalSchema, (p) => p.id === id ? undefined : `id: is ${JSON.stringify(p.id)} but the file is named ${id}.json`);
    if (r.status === 'ok') return r.value;
    if (r.status === 'missing') return undefined;
    const record = this.quarantine?.put(file, 'proposal', r.reason);
    if (record) return { corrupt: record };
    if (this.quarantine) return this.load(file); // moved by another process meanwhile
    throw new RustyError('bad-state', `Proposal file ${file} is corrupt: ${r.reason}. Run \`rusty doctor\`.`);
  }

  private corruptError(id: string, r: QuarantineRecord, now: boolean): RustyError {
    return new RustyError('bad-state',
      `Proposal ${id} is corrupt and ${now ? 'was' : 'has been'} quarantined (${path.join(this.quarantine!.stateDir, r.original)}: ${r.reason}); ` +
      `it is kept at ${r.movedTo}. The other proposals are unaffected; run \`rusty doctor\` for details.`, { quarantined: r });
  }

  /** Files quarantined from this folder (now or earlier), for warnings. */
  quarantined(): QuarantineRecord[] {
    return this.quarantine?.list().filter((r) => r.kind === 'proposal') ?? [];
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new RustyError('not-found', `No proposal ${JSON.stringify(id)}: ids contain only letters, digits, '-' and '_'.`);
    return path.join(this.dir, `${id}.json`);
  }

  get(id: string): Proposal {
    const p = this.find(id);
    if (!p) throw new RustyError('not-found', `No proposal ${id} in this workspace (see \`rusty list\`).`);
    return p;
  }

  /** Undefined when there is no such proposal; throws naming the file when it is corrupt. */
  find(id: string): Proposal | undefined {
    const p = this.load(this.file(id));
    if (p && 'corrupt' in p) throw this.corruptError(id, p.corrupt, true);
    if (!p) {
      const earlier = this.quarantine?.find(`proposals/${id}.json`);
      if (earlier) throw this.corruptError(id, earlier, false);
    }
    return p;
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
      const p = this.load(path.join(this.dir, name));
      if (p && 'corrupt' in p) continue;
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
