// The agent gateway's language-model tools in a real extension host: VS Code lists them, and
// vscode.lm.invokeTool runs them through the gateway's real tools (in-process MCP client): a change
// becomes a pending proposal with source agent:vscode-lm and nothing is written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RustyCore } from '../../src/core/rustyCore';
import { fixtureFolder, rustyExtension } from './helpers';

const TOOLS = ['rusty_propose_change', 'rusty_get_proposal', 'rusty_analyze', 'rusty_refactor'];

function core(): RustyCore {
  return new RustyCore({ workspace: fixtureFolder().uri.fsPath, actor: 'host-test' });
}

async function invoke(name: string, input: Record<string, unknown>): Promise<string> {
  const cts = new vscode.CancellationTokenSource();
  const r = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, cts.token);
  return r.content.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart).map((p) => p.value).join('');
}

suite('gateway: language-model tools', () => {
  suiteSetup(async () => {
    await rustyExtension().activate();
  });

  test('VS Code lists the four Rusty tools', () => {
    const names = vscode.lm.tools.map((t) => t.name);
    for (const n of TOOLS) assert.ok(names.includes(n), `${n} missing from ${names.join(', ')}`);
  });

  test('rusty_propose_change queues a pending proposal (source agent:vscode-lm) and writes nothing; rusty_get_proposal reads it', async () => {
    const rel = 'src/gateway-host-test.ts';
    const file = path.join(fixtureFolder().uri.fsPath, rel);
    const out = JSON.parse(await invoke('rusty_propose_change', { title: 'Host test: add a file', edits: [{ path: rel, create: 'export const fromLmTool = 1;\n' }] })) as { state: string; proposalId: string };
    assert.equal(out.state, 'proposed', JSON.stringify(out));
    const p = core().get(out.proposalId);
    assert.equal(p.source, 'agent:vscode-lm');
    assert.equal(p.status, 'pending');
    assert.equal(fs.existsSync(file), false);
    const got = JSON.parse(await invoke('rusty_get_proposal', { id: out.proposalId })) as { status: string; diff: string };
    assert.equal(got.status, 'pending');
    assert.match(got.diff, /\+export const fromLmTool = 1;/);
    await core().reject(out.proposalId, 'host test cleanup');
  });

  test('a refused input comes back as a sentence, not an exception', async () => {
    const text = await invoke('rusty_propose_change', { title: 'Outside', edits: [{ path: '../outside.ts', create: 'x' }] });
    assert.match(text, /^Rusty refused: .*\.\./);
  });
});
