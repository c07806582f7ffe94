// Garbage collection: checkpoints and finished proposals older than the retention period go,
// then every blob nothing refers to any more. Pending work and live journals are never touched.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProposalStore } from '../proposals/store';
import type { ProposalStatus } from '../proposals/model';
import type { CheckpointStore } from './checkpointStore';
import type { BlobStore } from './blobStore';
import type { JournalRecord } from './transaction';
import { readJson, sweepTempFiles } from '../util/fsx';

const FINISHED: ProposalStatus[] = ['rejected', 'rolled-back', 'stale', 'failed'];

export interface GcReport {
  retentionDays: number;
  removedProposals: number;
  removedCheckpoints: number;
  removedBlobs: number;
  bytesFreed: number;
  keptBlobs: number;
  bytesKept: number;
}

export function collectGarbage(opts: {
  proposals: ProposalStore; checkpoints: CheckpointStore; blobs: BlobStore;
  journalDir: string; now: Date; retentionDays: number;
}): GcReport {
  const cutoff = opts.now.getTime() - opts.retentionDays * 24 * 3600 * 1000;
  const journals = fs.existsSync(opts.journalDir)
    ? fs.readdirSync(opts.journalDir).filter((n) => n.endsWith('.json')).map((n) => readJson<JournalRecord>(path.join(opts.journalDir, n))).filter((j): j is JournalRecord => !!j)
    : [];
  const liveCheckpoints = new Set(journals.map((j) => j.checkpointId));
  const report: GcReport = { retentionDays: opts.retentionDays, removedProposals: 0, removedCheckpoints: 0, removedBlobs: 0, bytesFreed: 0, keptBlobs: 0, bytesKept: 0 };

  for (const p of opts.proposals.list()) {
    if (FINISHED.includes(p.status) && Date.parse(p.updatedAt) <= cutoff) {
      opts.proposals.remove(p.id);
      report.removedProposals++;
    }
  }
  const referenced = new Set<string>();
  for (const c of opts.checkpoints.list()) {
    if (!liveCheckpoints.has(c.id) && Date.parse(c.createdAt) <= cutoff) {
      opts.checkpoints.remove(c.id);
      report.removedCheckpoints++;
      continue;
    }
    for (const f of c.files) for (const h of [f.before, f.after]) if (h) referenced.add(h);
  }
  for (const p of opts.proposals.list()) for (const f of p.files) for (const h of [f.baseHash, f.newHash]) if (h) referenced.add(h);
  // Temp files a killed process left behind (gc runs under the state lock, so none are live).
  for (const dir of [opts.proposals.dir, opts.checkpoints.dir, opts.journalDir]) sweepTempFiles(dir);
  for (const sub of fs.existsSync(opts.blobs.dir) ? fs.readdirSync(opts.blobs.dir) : []) sweepTempFiles(path.join(opts.blobs.dir, sub));
  for (const blob of [...opts.blobs.list()]) {
    if (referenced.has(blob.hash)) {
      report.keptBlobs++;
      report.bytesKept += blob.size;
    } else {
      opts.blobs.remove(blob.hash);
      report.removedBlobs++;
      report.bytesFreed += blob.size;
    }
  }
  return report;
}
