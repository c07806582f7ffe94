// Content-addressed blob store: every version of every touched file is kept once, named by its
// sha256. Checkpoints and proposals refer to blobs by hash, so storage grows with the change,
// never with the size of the repository.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../util/hash';
import { readIfExists, writeFileDurable } from '../util/fsx';
import { RustyError } from '../util/errors';

export class BlobStore {
  constructor(readonly dir: string) {}

  private file(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new RustyError('bad-state', `Not a blob hash: ${hash}`);
    return path.join(this.dir, hash.slice(0, 2), hash.slice(2));
  }

  /** Store bytes (durably) and return their hash; storing the same bytes twice is free. */
  put(bytes: Uint8Array): string {
    const hash = sha256(bytes);
    const file = this.file(hash);
    if (!fs.existsSync(file)) writeFileDurable(file, bytes);
    return hash;
  }

  has(hash: string): boolean {
    return fs.existsSync(this.file(hash));
  }

  /** Read and verify; a damaged blob is an error, never silently wrong bytes. */
  get(hash: string): Buffer {
    const bytes = readIfExists(this.file(hash));
    if (!bytes) throw new RustyError('checkpoint-missing', `Stored content ${hash.slice(0, 12)} is missing (removed by gc or deleted by hand).`);
    if (sha256(bytes) !== hash) throw new RustyError('checkpoint-missing', `Stored content ${hash.slice(0, 12)} is damaged (its bytes no longer match their hash).`);
    return bytes;
  }

  *list(): Generator<{ hash: string; size: number }> {
    if (!fs.existsSync(this.dir)) return;
    for (const prefix of fs.readdirSync(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of fs.readdirSync(path.join(this.dir, prefix))) {
        if (!/^[0-9a-f]{62}$/.test(rest)) continue;
        yield { hash: prefix + rest, size: fs.statSync(path.join(this.dir, prefix, rest)).size };
      }
    }
  }

  remove(hash: string): void {
    fs.rmSync(this.file(hash), { force: true });
  }
}
