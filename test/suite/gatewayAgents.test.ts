// The VS Code agent gateway with a real MCP SDK client over Streamable HTTP, in a real extension
// host with the installed VSIX: the status bar menu offers what each state allows (its quick pick
// answered with VS Code's own quick-open commands); a submission the gateway refuses shows in the
// approvals sidebar; execute_code runs in the code-mode sandbox shipped in the VSIX (worker and
// QuickJS next to dist/gateway.js), reading files, and its writes become a proposal, not a write.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { RustyCore } from '../../src/core/rustyCore';
import { ClientRegistry } from '../../src/core/gateway/clients';
import { GatewayPaths } from '../../src/core/gateway/paths';
import { readDeadLetters } from '../../src/core/gateway/queue';
import type { DeadLetterView } from '../../src/shared/approvalsProtocol';
import { eventually } from './editors';
import { fixtureFolder, rustyExtension } from './helpers';

type MenuResult = { offered: string[]; picked?: string; deadLetters?: DeadLetterView[] } | undefined;

function core(): RustyCore {
  return new RustyCore({ workspace: fixtureFolder().uri.fsPath, actor: 'host-test' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run the status bar menu and answer its quick pick: move down `down` items, then accept. */
async function menu(down: number): Promise<MenuResult> {
  let done = false;
  const result = Promise.resolve(vscode.commands.executeCommand<MenuResult>('rusty.gateway.menu')).finally(() => {
    done = true;
  });
  for (let attempt = 0; attempt < 20 && !done; attempt++) {
    await sleep(1000);
    if (done) break;
    for (let i = 0; i < down; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}

async function connect(url: string, name: string): Promise<Client> {
  const stateDir = core().stateDir;
  const registry = new ClientRegistry(new GatewayPaths(stateDir).clients);
  if (registry.active().some((c) => c.name === name)) registry.revoke(name);
  const { token } = registry.add(name, 'propose');
  const c = new Client({ name: 'host-test-agent', version: '1' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return c;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tool results are JSON the assertions walk
async function call(c: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const r = await c.callTool({ name, arguments: args }) as { isError?: boolean; content: { text: string }[] };
  assert.ok(!r.isError, r.content[0]?.text);
  return JSON.parse(r.content[0]!.text);
}

suite('gateway: agents in VS Code', function () {
  this.timeout(240_000);
  let url = '';
  const clients: Client[] = [];

  suiteSetup(async () => {
    await rustyExtension().activate();
    // Any free port: other hosts may run on this machine.
    await vscode.workspace.getConfiguration('rusty').update('gateway.port', 0, vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    for (const c of clients) await c.close().catch(() => {});
    await vscode.commands.executeCommand('rusty.gateway.stop');
    await vscode.workspace.getConfiguration('rusty').update('gateway.port', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('the status bar menu offers what each state allows; a refused submission shows in the approvals sidebar', async () => {
    const started = await vscode.commands.executeCommand<{ url: string; port: number } | undefined>('rusty.gateway.start');
    assert.ok(started, 'Start Agent Gateway returned nothing (it failed; see the Rusty output)');
    url = started.url;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    // Running, nothing refused: connect, copy, stop. Copy puts the URL on the clipboard.
    const copy = await menu(1);
    assert.deepEqual(copy, { offered: ['connect', 'copy', 'stop'], picked: 'copy' });
    assert.equal(await vscode.env.clipboard.readText(), url);

    // A search/replace whose text is not in the file is refused when processed: a dead letter.
    const agent = await connect(url, 'host-agent');
    clients.push(agent);
    const sub = await call(agent, 'submit_change_set', { title: 'Host test: impossible edit', edits: [{ path: 'src/math.ts', search: 'no such text anywhere', replace: 'x' }], wait: 30 });
    const queueFile = new GatewayPaths(core().stateDir).queue;
    await eventually(() => readDeadLetters(queueFile).some((d) => d.id === sub.ticket), 'the dead letter', 30_000);

    const dead = await menu(1);
    assert.deepEqual(dead?.offered, ['connect', 'dead', 'copy', 'stop']);
    assert.equal(dead?.picked, 'dead');
    const shown = dead?.deadLetters?.find((d) => d.id === sub.ticket);
    assert.ok(shown, `the sidebar's snapshot has no dead letter ${sub.ticket}: ${JSON.stringify(dead?.deadLetters)}`);
    assert.equal(shown.client, 'host-agent');
    assert.equal(shown.title, 'Host test: impossible edit');
    assert.match(shown.reason, /no such text anywhere|not found/i);
    assert.ok(!Number.isNaN(Date.parse(shown.failedAt)));

    // Stop from the menu: the port closes.
    const stop = await menu(3);
    assert.equal(stop?.picked, 'stop');
    await agent.close();
    clients.pop();
    await assert.rejects(fetch(url, { method: 'POST' }));

    // Stopped: start or connect; Start from the menu runs it again.
    const start = await menu(0);
    assert.deepEqual(start, { offered: ['start', 'connect'], picked: 'start' });
    const again = await vscode.commands.executeCommand<{ url: string } | undefined>('rusty.gateway.start');
    assert.ok(again);
    url = again.url;
    const res = await fetch(url, { method: 'POST' });
    assert.equal(res.status, 401);
  });

  test('execute_code runs in the sandbox shipped in the VSIX: it reads files, and its writes become a pending proposal of the agent', async () => {
    if (!url) {
      const started = await vscode.commands.executeCommand<{ url: string } | undefined>('rusty.gateway.start');
      assert.ok(started);
      url = started.url;
    }
    const agent = await connect(url, 'host-coder');
    clients.push(agent);
    const tools = (await agent.listTools()).tools.map((t) => t.name);
    for (const t of ['execute_code', 'search_tools', 'get_tool_docs']) assert.ok(tools.includes(t), `${t} missing from ${tools.join(', ')}`);
    const file = path.join(fixtureFolder().uri.fsPath, 'src', 'math.ts');
    const before = fs.readFileSync(file, 'utf8');

    const read = await call(agent, 'execute_code', { code: "const t = await workspace.read('src/math.ts'); console.log(t!.split('\\n')[0]);" });
    assert.equal(read.ok, true, JSON.stringify(read));
    assert.equal(read.output, `${before.split('\n')[0]}\n`);

    const write = await call(agent, 'execute_code', { title: 'Host test: script edit', code: "const t = (await workspace.read('src/math.ts'))!; await workspace.write('src/math.ts', t.replace('return a + b;', 'return b + a;')); console.log('ok');" });
    assert.equal(write.ok, true, JSON.stringify(write));
    assert.equal(write.state, 'proposed', JSON.stringify(write));
    assert.deepEqual(write.files, ['src/math.ts']);
    const p = core().get(write.proposalId as string);
    assert.equal(p.source, 'agent:host-coder');
    assert.equal(p.status, 'pending');
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'the script wrote the file');
    await core().reject(p.id, 'host test cleanup');
  });
});
