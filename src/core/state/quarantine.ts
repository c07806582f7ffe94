// Corrupt state files are moved aside, never deleted: `<stateDir>/quarantine/<time>-<name>` with
// `<same>.reason.json` next to it saying where it came from and what was wrong. The rest of the
// state keeps working; `rusty doctor` lists what is there. Moving is a rename in the same folder
// tree, so two processes quarantining the same file at once cannot both succeed or lose it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonDurable, fsyncDir } from '../util/fsx';

export type StateFileKind = 'proposal' | 'checkpoint' | 'journal' | 'blob' | 'grants' | 'lock' | 'workspace-info' | 'audit-head' | 'gateway';

export interface QuarantineRecord {
  kind: StateFileKind;
  /** Where it was, relative to the state folder (`proposals/p-1.json`). */
  original: string;
  /** Where it is now (absolute). */
  movedTo: string;
  reason: string;
  at: string;
}

const REASON_SUFFIX = '.reason.json';

export class Quarantine {
  readonly dir: string;
  constructor(readonly stateDir: string, private readonly opts: { now?: () => Date; onQuarantined?: (r: QuarantineRecord) => void } = {}) {
    this.dir = path.join(stateDir, 'quarantine');
  }

  /** Move `file` (inside the state folder) aside with its reason; undefined when it is already gone. */
  put(file: string, kind: StateFileKind, reason: string): QuarantineRecord | undefined {
    const at = (this.opts.now?.() ?? new Date()).toISOString();
    const original = path.relative(this.stateDir, file).split(path.sep).join('/');
    const name = `${at.replace(/[:.]/g, '-')}-${original.replace(/[/\\]/g, '__')}`;
    const movedTo = path.join(this.dir, name);
    fs.mkdirSync(this.dir, { recursive: true });
    try {
      fs.renameSync(file, movedTo);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // another process moved it first
      throw err;
    }
    const record: QuarantineRecord = { kind, original, movedTo, reason, at };
    writeJsonDurable(movedTo + REASON_SUFFIX, record);
    fsyncDir(path.dirname(file));
    this.opts.onQuarantined?.(record);
    return record;
  }

  /** Everything in quarantine, oldest first. */
  list(): QuarantineRecord[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: QuarantineRecord[] = [];
    for (const name of names.filter((n) => n.endsWith(REASON_SUFFIX)).sort()) {
      try {
        const r = JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as QuarantineRecord;
        if (typeof r.original === 'string' && typeof r.reason === 'string') out.push({ ...r, movedTo: path.join(this.dir, name.slice(0, -REASON_SUFFIX.length)) });
      } catch {
        // An unreadable reason file still leaves the quarantined file itself in place.
      }
    }
    return out;
  }

  /** The latest record for a file that was at `original` (relative to the state folder). */
  find(original: string): QuarantineRecord | undefined {
    return this.list().filter((r) => r.original === original).pop();
  }
}
