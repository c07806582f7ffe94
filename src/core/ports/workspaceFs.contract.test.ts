// The WorkspaceFs contract against the in-memory and Node adapters. The VS Code adapter runs the
// same cases in the extension host (test/suite/workspaceFs.contract.test.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryWorkspaceFs } from './memoryWorkspaceFs';
import { NodeWorkspaceFs } from './nodeWorkspaceFs';
import { workspaceFsContract } from './workspaceFs.contract';
import { tempWorkspace } from '../testing/tempWorkspace';

const registrar = { test: (name: string, fn: () => Promise<void>) => it(name, fn) };

describe('MemoryWorkspaceFs contract', () => {
  workspaceFsContract(async (initial) => {
    const wfs = new MemoryWorkspaceFs('/memory-workspace', initial);
    const outside = { 'x.txt': 'outside' };
    return {
      wfs,
      linkOutside: async (rel) => {
        wfs.escapingLinks.add(rel);
        return () => ({ ...outside });
      },
    };
  }, registrar, { modes: true });
});

describe('NodeWorkspaceFs contract', () => {
  workspaceFsContract(async (initial) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-wfs-contract-'));
    for (const [rel, content] of Object.entries(initial)) {
      const abs = path.join(root, ...rel.split('/'));
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-wfs-outside-'));
    fs.writeFileSync(path.join(outside, 'x.txt'), 'outside');
    return {
      wfs: new NodeWorkspaceFs(root),
      linkOutside: async (rel, to) => {
        fs.symlinkSync(to === 'folder' ? outside : path.join(outside, 'x.txt'), path.join(root, ...rel.split('/')));
        return () => Object.fromEntries(fs.readdirSync(outside).map((n) => [n, fs.readFileSync(path.join(outside, n), 'utf8')]));
      },
      dispose: () => {
        fs.rmSync(root, { recursive: true, force: true });
        fs.rmSync(outside, { recursive: true, force: true });
      },
    };
  }, registrar, { modes: process.platform !== 'win32' });
});

describe('transactions and adapters', () => {
  it('tell the adapter which op of a batch is the new path of a rename (so an editor can follow it)', async () => {
    const ws = tempWorkspace({ 'src/mv.ts': 'move me\n' });
    try {
      const seen: { rel: string; renamedFrom?: string; bytes: boolean }[] = [];
      class Recording extends NodeWorkspaceFs {
        override async applyBatch(...args: Parameters<NodeWorkspaceFs['applyBatch']>): Promise<void> {
          for (const o of args[0]) seen.push({ rel: o.rel, bytes: o.bytes !== null, ...(o.renamedFrom ? { renamedFrom: o.renamedFrom } : {}) });
          return super.applyBatch(...args);
        }
      }
      const core = ws.core({ wfs: new Recording(ws.root) });
      const { proposal } = await core.submit({ title: 'mv', source: 'test', edits: [{ kind: 'rename', path: 'src/mv.ts', to: 'src/moved.ts', baseHash: ws.hash('src/mv.ts') }] });
      await core.approve(proposal.id);
      expect(seen).toEqual([{ rel: 'src/moved.ts', bytes: true, renamedFrom: 'src/mv.ts' }, { rel: 'src/mv.ts', bytes: false }]);
      seen.length = 0;
      await core.rollback(proposal.id);
      expect(seen).toEqual(expect.arrayContaining([{ rel: 'src/mv.ts', bytes: true, renamedFrom: 'src/moved.ts' }, { rel: 'src/moved.ts', bytes: false }]));
    } finally {
      ws.cleanup();
    }
  });
});
