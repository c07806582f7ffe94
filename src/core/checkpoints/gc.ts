// Garbage collection: checkpoints and finished proposals older than the retention period go,
// then every blob nothing refers to any more. Pending work and live journals are never touched,
// nor blobs whose hash appears in a quarantined file (it may still be repaired by hand).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProposalStore } from '../proposals/store';
import type { ProposalStatus } from '../proposals/model';
import type { CheckpointStore } from './checkpointStore';
import type { BlobStore } from './blobStore';
import { readIfExists, sweepTempFiles } from '../util/fsx';

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
  /** Folder of quarantined files: hashes found in them keep their blobs. */
  quarantineDir?: string;
}): GcReport {
  const cutoff = opts.now.getTime() - opts.retentionDays * 24 * 3600 * 1000;
  // Read as text: a damaged journal must not stop gc, and the id it names still protects its checkpoint.
  const liveCheckpoints = new Set<string>();
  for (const n of fs.existsSync(opts.journalDir) ? fs.readdirSync(opts.journalDir).filter((name) => name.endsWith('.json')) : []) {
    const text = readIfExists(path.join(opts.journalDir, n))?.toString('utf8') ?? '';
    for (const m of text.matchAll(/"checkpointId"\s*:\s*"([^"]+)"/g)) liveCheckpoints.add(m[1]!);
  }
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
  for (const name of opts.quarantineDir && fs.existsSync(opts.quarantineDir) ? fs.readdirSync(opts.quarantineDir) : []) {
    const text = readIfExists(path.join(opts.quarantineDir!, name))?.toString('latin1') ?? '';
    for (const m of text.matchAll(/[0-9a-f]{64}/g)) referenced.add(m[0]);
  }
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
