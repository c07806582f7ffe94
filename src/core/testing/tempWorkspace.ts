// Test support: a real workspace folder and a private state folder in the OS temp dir.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RustyCore, type CoreOptions } from '../rustyCore';
import { sha256 } from '../util/hash';
import { treeSnapshot } from './tree';

export interface TempWorkspace {
  root: string;
  stateRoot: string;
  env: NodeJS.ProcessEnv;
  write(rel: string, content: string | Uint8Array): void;
  read(rel: string): string;
  bytes(rel: string): Buffer;
  exists(rel: string): boolean;
  hash(rel: string): string;
  snapshot(): Map<string, string>;
  core(opts?: Partial<CoreOptions>): RustyCore;
  cleanup(): void;
}

export function tempWorkspace(files: Record<string, string | Uint8Array> = {}): TempWorkspace {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-test-')));
  const root = path.join(base, 'ws');
  const stateRoot = path.join(base, 'state');
  fs.mkdirSync(root);
  const env = { ...process.env, RUSTY_STATE_DIR: stateRoot };
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  const ws: TempWorkspace = {
    root, stateRoot, env,
    write(rel, content) {
      fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
      fs.writeFileSync(abs(rel), content);
    },
    read: (rel) => fs.readFileSync(abs(rel), 'utf8'),
    bytes: (rel) => fs.readFileSync(abs(rel)),
    exists: (rel) => fs.existsSync(abs(rel)),
    hash: (rel) => sha256(fs.readFileSync(abs(rel))),
    snapshot: () => treeSnapshot(root),
    core: (opts = {}) => new RustyCore({ workspace: root, actor: 'test', env, ...opts }),
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
  for (const [rel, content] of Object.entries(files)) ws.write(rel, content);
  return ws;
}

export function modify(ws: TempWorkspace, rel: string, content: string) {
  return { kind: 'modify' as const, path: rel, baseHash: ws.hash(rel), content };
}
