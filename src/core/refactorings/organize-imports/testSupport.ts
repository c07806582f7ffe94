// Helpers for this folder's tests: real files in a temporary folder.

import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ModifyEdit } from '../../proposals/changeSet';
import type { OrganizeImportsResult } from './index';

export class TempWorkspace {
  readonly root: string;

  constructor(files: Record<string, string | Uint8Array> = {}) {
    this.root = mkdtempSync(path.join(tmpdir(), 'rusty-organize-'));
    for (const [rel, content] of Object.entries(files)) this.write(rel, content);
  }

  write(rel: string, content: string | Uint8Array): void {
    const abs = path.join(this.root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }

  bytes(rel: string): Buffer {
    return readFileSync(path.join(this.root, rel));
  }

  /** Every file's bytes and mtime, to prove nothing was written. */
  snapshot(): Map<string, { bytes: string; mtimeMs: number }> {
    const out = new Map<string, { bytes: string; mtimeMs: number }>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(abs);
        else out.set(path.relative(this.root, abs), { bytes: readFileSync(abs).toString('base64'), mtimeMs: statSync(abs).mtimeMs });
      }
    };
    walk(this.root);
    return out;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function editFor(result: OrganizeImportsResult, rel: string): ModifyEdit | undefined {
  const edit = result.changeSet?.edits.find((e) => e.path === rel);
  if (edit && edit.kind !== 'modify') throw new Error(`expected a modify edit for ${rel}, got ${edit.kind}`);
  return edit;
}

export function contentFor(result: OrganizeImportsResult, rel: string): string | undefined {
  return editFor(result, rel)?.content;
}
