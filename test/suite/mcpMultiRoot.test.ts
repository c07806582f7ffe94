// MCP in a multi-root window: scripts/vscode-host/run-tests.mjs opens a .code-workspace with two
// folders for the tests titled "(multi-root)". Each folder's .vscode/mcp.json defines servers (one
// name in both): both appear, the second folder's as `name (folder)`, each runs in its own folder,
// and the servers' roots are both folders.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpCallResult } from '../../src/core/mcp/types';
import type { TreeSnapshotNode } from '../../src/extension/mcp/treeModel';
import { rustyExtension } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
/** `where` answers the server's cwd, `roots` the client's roots. */
const DEFAULTS_SERVER = path.join(REPO, 'test', 'fixtures', 'mcp', 'defaults-server.mjs');

function folders(): [vscode.WorkspaceFolder, vscode.WorkspaceFolder] {
  const all = vscode.workspace.workspaceFolders ?? [];
  assert.ok(all.length >= 2, `a multi-root window has two folders, not ${all.length}`);
  return [all[0]!, all[1]!];
}

async function labels(): Promise<string[]> {
  const r = await vscode.commands.executeCommand<{ servers: TreeSnapshotNode[] } | undefined>('rusty.mcp.refresh');
  return r?.servers.map((n) => n.label) ?? [];
}

async function call(server: string, tool: string): Promise<string> {
  const r = await vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', { server, tool, args: {}, show: false });
  assert.ok(r, `${server}/${tool} failed (see the Rusty output)`);
  assert.equal(r.isError, false, JSON.stringify(r.content));
  const first = r.content[0] as { type: string; text?: string };
  return first.text ?? '';
}

suite('MCP in a multi-root window (multi-root)', () => {
  const written: string[] = [];
  const servers = ['where', 'where (workspace-b)', 'beside'];

  suiteSetup(async () => {
    const [a, b] = folders();
    const command = process.versions.electron ? 'node' : process.execPath;
    const server = { type: 'stdio', command, args: [DEFAULTS_SERVER] };
    const write = (file: string, value: unknown) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(value, null, 2));
      written.push(file);
    };
    write(path.join(a.uri.fsPath, '.vscode', 'mcp.json'), { servers: { where: server } });
    write(path.join(b.uri.fsPath, '.vscode', 'mcp.json'), { servers: { where: server, beside: server } });
    // The policy is the first folder's.
    write(path.join(a.uri.fsPath, '.rusty', 'policy.json'), {
      rules: [
        { server: '*', tool: 'where', decision: 'allow' },
        { server: '*', tool: 'roots', decision: 'allow' },
      ],
    });
    await rustyExtension().activate();
  });

  suiteTeardown(async () => {
    for (const s of servers) await vscode.commands.executeCommand('rusty.mcp.stop', s);
    for (const f of written) fs.rmSync(f, { force: true });
  });

  test('MCP (multi-root): both folders\' servers appear, each runs in its folder, and the roots are both folders', async () => {
    const [a, b] = folders();
    assert.equal(path.basename(b.uri.fsPath), 'workspace-b', 'the runner names the second folder workspace-b');
    // The configs were written after the window opened: the file watchers pick them up.
    let seen: string[] = [];
    for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 1000))) {
      seen = await labels();
      if (servers.every((s) => seen.includes(s))) break;
    }
    for (const s of servers) assert.ok(seen.includes(s), `no "${s}" in ${JSON.stringify(seen)}`);

    const real = (p: string) => fs.realpathSync.native(p);
    assert.equal(real(await call('where', 'where')), real(a.uri.fsPath), 'the first folder\'s server runs in the first folder');
    assert.equal(real(await call('where (workspace-b)', 'where')), real(b.uri.fsPath), 'the second folder\'s `where` runs in the second folder');
    assert.equal(real(await call('beside', 'where')), real(b.uri.fsPath), 'the second folder\'s `beside` runs in the second folder');

    const roots = (JSON.parse(await call('beside', 'roots')) as string[]).map((u) => real(vscode.Uri.parse(u).fsPath)).sort();
    assert.deepEqual(roots, [real(a.uri.fsPath), real(b.uri.fsPath)].sort());
  });
});
