// MCP in a real extension host: the packaged extension reads the workspace's .vscode/mcp.json,
// shows the server in the "MCP Servers" view (through the snapshot the Refresh command returns),
// starts @modelcontextprotocol/server-everything over stdio from the repository's node_modules,
// and calls its tools through the permission gate: a policy rule allows `echo` (the echoed text
// comes back), a deny rule refuses `get-sum` (and the audit log says so). The MCP SDK is not in
// the activation bundle.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workspaceStateDir } from '../../src/core/state/location';
import type { McpCallResult, McpServerState } from '../../src/core/mcp/types';
import type { TreeSnapshotNode } from '../../src/extension/mcp/treeModel';
import { closeAllEditors, eventually } from './editors';
import { fixtureFolder, rustyExtension } from './helpers';

/** The repository checkout the suite bundle was built in (out/test/suite → ../../..). */
const REPO = path.resolve(__dirname, '..', '..', '..');
const EVERYTHING = path.join(REPO, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const OAUTH_SERVER = path.join(REPO, 'test', 'fixtures', 'mcp', 'oauth-server.mjs');
/** Its `ask` tool asks for a form whose fields all have defaults, so Enter answers every step. */
const DEFAULTS_SERVER = path.join(REPO, 'test', 'fixtures', 'mcp', 'defaults-server.mjs');
let oauthServer: ChildProcess | undefined;

function ws(...parts: string[]): string {
  return path.join(fixtureFolder().uri.fsPath, ...parts);
}

async function snapshot(): Promise<TreeSnapshotNode[]> {
  const r = await vscode.commands.executeCommand<{ servers: TreeSnapshotNode[] } | undefined>('rusty.mcp.refresh');
  assert.ok(r, 'Refresh MCP Servers returned nothing (it failed; see the Rusty output)');
  return r.servers;
}

function node(nodes: TreeSnapshotNode[] | undefined, label: string): TreeSnapshotNode {
  const found = nodes?.find((n) => n.label === label);
  assert.ok(found, `no "${label}" in ${JSON.stringify(nodes?.map((n) => n.label))}`);
  return found;
}

interface AuditLine { action: string; details: { server?: string; tool?: string; decision?: string; outcome?: string } }

function audit(): AuditLine[] {
  const file = path.join(workspaceStateDir(fixtureFolder().uri.fsPath, process.env), 'audit.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditLine);
}

/** Runs `step` (a UI command answering what the host shows) every second until `pending` settles. */
async function untilSettled<T>(pending: Thenable<T>, step: () => Thenable<unknown> | Promise<unknown>, ms = 30_000): Promise<T> {
  let settled = false;
  const done = Promise.resolve(pending).finally(() => (settled = true));
  const t0 = Date.now();
  while (!settled && Date.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 1000));
    if (!settled) await step();
  }
  return done;
}

suite('MCP in the extension host', () => {
  suiteSetup(async function () {
    if (!fs.existsSync(EVERYTHING)) {
      // The suite runs from a built checkout; without its node_modules there is no server to start.
      this.skip();
    }
    fs.mkdirSync(ws('.vscode'), { recursive: true });
    fs.mkdirSync(ws('.rusty'), { recursive: true });
    // Electron's process.execPath is not node; the code-server host's is.
    const command = process.versions.electron ? 'node' : process.execPath;
    // A remote server behind OAuth (test/fixtures/mcp/oauth-server.mjs prints its URL).
    oauthServer = spawn(command, [OAUTH_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const oauthBase = await new Promise<string>((resolve, reject) => {
      oauthServer!.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
      oauthServer!.once('error', reject);
    });
    fs.writeFileSync(ws('.vscode', 'mcp.json'), JSON.stringify({
      servers: {
        everything: { type: 'stdio', command, args: [EVERYTHING] },
        remote: { type: 'http', url: `${oauthBase}/mcp` },
        broken: { type: 'stdio' },
        defaults: { type: 'stdio', command, args: [DEFAULTS_SERVER] },
      },
    }, null, 2));
    fs.writeFileSync(ws('.rusty', 'policy.json'), JSON.stringify({
      rules: [
        { server: 'everything', tool: 'echo', decision: 'allow' },
        { server: 'everything', tool: 'get-sum', decision: 'deny' },
        { server: 'everything', tool: 'toggle-simulated-logging', decision: 'allow' },
        { server: 'everything', tool: 'trigger-elicitation-request', decision: 'allow' },
        { server: 'remote', tool: 'whoami', decision: 'allow' },
        { server: 'defaults', tool: 'ask', decision: 'allow' },
      ],
    }, null, 2));
    await rustyExtension().activate();
  });

  suiteTeardown(async () => {
    oauthServer?.kill();
    await vscode.commands.executeCommand('rusty.mcp.stop', 'everything');
    await vscode.commands.executeCommand('rusty.mcp.stop', 'defaults');
    await closeAllEditors();
    fs.rmSync(ws('.vscode', 'mcp.json'), { force: true });
    fs.rmSync(ws('.rusty'), { recursive: true, force: true });
  });

  test('MCP: the activation bundle has no MCP SDK; it is in dist/mcp.js, loaded on first use', async () => {
    const dist = path.join(rustyExtension().extensionPath, 'dist');
    const activation = fs.readFileSync(path.join(dist, 'extension.js'), 'utf8');
    // The bundles are minified with names kept: class names and protocol method strings survive.
    const sdkMarkers = ['StreamableHTTPClientTransport', 'notifications/cancelled'];
    for (const marker of sdkMarkers) assert.ok(!activation.includes(marker), `dist/extension.js contains the MCP SDK (${marker})`);
    const mcp = path.join(dist, 'mcp.js');
    assert.ok(fs.existsSync(mcp), 'the VSIX has no dist/mcp.js');
    const mcpText = fs.readFileSync(mcp, 'utf8');
    for (const marker of sdkMarkers) assert.ok(mcpText.includes(marker), `dist/mcp.js does not hold the MCP SDK (${marker})`);
  });

  test('MCP: the view lists the configured server (stopped until used) and the config problem', async () => {
    const roots = await snapshot();
    const problems = node(roots, 'Config problems');
    assert.ok(problems.children?.some((c) => c.label.startsWith('broken:') && /command/.test(c.label) && c.description?.includes('.vscode/mcp.json')),
      `the broken entry is listed with its file: ${JSON.stringify(problems.children)}`);
    assert.equal(problems.children?.find((c) => c.label.startsWith('broken:'))?.command?.command, 'rusty.mcp.openConfigProblem');
    const server = node(roots, 'everything');
    assert.equal(server.contextValue, 'mcpServer.stopped');
    assert.match(server.description ?? '', /^stopped · stdio/);
    assert.ok(!roots.some((n) => n.label === 'broken'), 'an invalid entry is not a server');
  });

  test('MCP: Start connects server-everything over stdio and the view shows its tools, resources and prompts', async () => {
    const state = await vscode.commands.executeCommand<McpServerState | undefined>('rusty.mcp.start', 'everything');
    assert.ok(state, 'Start returned nothing');
    assert.equal(state.status, 'connected', `status ${state.status}: ${state.lastError ?? ''}`);
    assert.ok(state.pid, 'a stdio server has a pid');
    const server = node(await snapshot(), 'everything');
    assert.equal(server.contextValue, 'mcpServer.connected');
    assert.deepEqual(server.icon, { id: 'pass-filled', color: 'testing.iconPassed' });
    assert.match(server.description ?? '', /^connected · stdio · \d+ tools$/);
    const tools = node(server.children, 'Tools');
    assert.ok(Number(tools.description) > 5, `tool count ${tools.description}`);
    const echo = node(tools.children, 'echo');
    assert.equal(echo.contextValue, 'mcpTool');
    assert.match(echo.tooltip ?? '', /Input schema/);
    assert.ok(Number(node(server.children, 'Resources').description) > 0, 'server-everything offers resources');
    assert.ok(Number(node(server.children, 'Prompts').description) > 0, 'server-everything offers prompts');
  });

  test('MCP: Call Tool… with a policy allowing echo returns the echoed text and shows it read-only', async () => {
    const result = await vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', {
      server: 'everything', tool: 'echo', args: { message: 'hello from the host' },
    });
    assert.ok(result, 'the call failed (see the Rusty output)');
    assert.equal(result.isError, false);
    assert.deepEqual(result.content, [{ type: 'text', text: 'Echo: hello from the host' }]);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'the result is shown in an editor');
    assert.equal(editor.document.uri.scheme, 'rusty-mcp');
    assert.match(editor.document.getText(), /Echo: hello from the host/);
    assert.equal(editor.document.languageId, 'json');
    await eventually(() => audit().some((l) => l.action === 'mcp.call' && l.details.tool === 'echo' && l.details.outcome === 'ok'), 'the call in the audit log');
  });

  test('MCP: a deny rule refuses the call on the call path, and the refusal is audited', async () => {
    const result = await vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', {
      server: 'everything', tool: 'get-sum', args: { a: 1, b: 2 }, show: false,
    });
    assert.equal(result, undefined, 'a denied call returns nothing');
    await eventually(() => audit().some((l) => l.action === 'mcp.decision' && l.details.tool === 'get-sum' && l.details.decision === 'deny'), 'the deny decision in the audit log');
    assert.ok(!audit().some((l) => l.action === 'mcp.call' && l.details.tool === 'get-sum'), 'a denied tool is never called');
  });

  test('MCP: arguments that do not match the schema are refused before the call', async () => {
    const before = audit().length;
    const result = await vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', {
      server: 'everything', tool: 'echo', args: { message: 42 }, show: false,
    });
    assert.equal(result, undefined);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!audit().slice(before).some((l) => l.action === 'mcp.call'), 'nothing was sent');
  });

  test('MCP: Call Tool… takes the arguments in a JSON document with schema diagnostics, then Call sends them', async () => {
    const pending = vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', { server: 'everything', tool: 'echo', show: false });
    let doc: vscode.TextDocument | undefined;
    await eventually(() => {
      doc = vscode.window.activeTextEditor?.document;
      return !!doc && doc.isUntitled && doc.languageId === 'json';
    }, 'the untitled JSON document of the arguments');
    const editor = vscode.window.activeTextEditor!;
    const whole = () => new vscode.Range(0, 0, editor.document.lineCount, 0);
    // A schema error: message must be a string.
    assert.ok(await editor.edit((e) => e.replace(whole(), '{ "message": 42 }')));
    await eventually(() => vscode.languages.getDiagnostics(doc!.uri).some((d) => /echo: .*message.*string/i.test(d.message)), 'a diagnostic for the wrong type');
    assert.ok(await editor.edit((e) => e.replace(whole(), '{ "message": "typed in the editor" }')));
    await eventually(() => vscode.languages.getDiagnostics(doc!.uri).length === 0, 'the diagnostics to clear');
    // "Call" is the notification's primary action.
    const result = await untilSettled(pending, () => vscode.commands.executeCommand('notification.acceptPrimaryAction'));
    assert.ok(result, 'the call failed (see the Rusty output)');
    assert.deepEqual(result.content, [{ type: 'text', text: 'Echo: typed in the editor' }]);
    assert.ok(doc!.isClosed || vscode.window.activeTextEditor?.document !== doc, 'the arguments document is closed after the call');
  });

  test('MCP: Set Log Level from the server\'s commands; the server\'s log messages reach its log', async () => {
    const state = await vscode.commands.executeCommand<McpServerState | undefined>('rusty.mcp.start', 'everything');
    assert.ok(state?.logFile, 'the server has a log file');
    const pending = vscode.commands.executeCommand<string | undefined>('rusty.mcp.setLogLevel', 'everything');
    // The levels quick pick: the first item is debug.
    assert.equal(await untilSettled(pending, () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem')), 'debug');
    const toggle = () => vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', { server: 'everything', tool: 'toggle-simulated-logging', args: {}, show: false });
    assert.match(JSON.stringify((await toggle())?.content), /Started simulated/);
    try {
      await eventually(() => /\[(debug|info|notice|warning|error|critical|alert|emergency) [^\]]*\] \w+[- ]level/i.test(fs.readFileSync(state.logFile!, 'utf8')), 'a log message from the server in its log', 30_000);
    } finally {
      await toggle();
    }
  });

  test('MCP: a server asking for input gets a form; Decline and Escape reach the server', async () => {
    const call = () => vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', { server: 'everything', tool: 'trigger-elicitation-request', args: {}, show: false });
    // The form's first step: Answer (first) or Decline (second).
    const declined = await untilSettled(call(), async () => {
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    });
    assert.match(JSON.stringify(declined?.content), /declined/i);
    const cancelled = await untilSettled(call(), () => vscode.commands.executeCommand('workbench.action.closeQuickOpen'));
    assert.match(JSON.stringify(cancelled?.content), /cancel/i);
    await eventually(() => audit().filter((l) => l.action === 'mcp.elicitation').length >= 2, 'both answers in the audit log');
    const answers = audit().filter((l) => l.action === 'mcp.elicitation').map((l) => (l.details as { action?: string }).action);
    assert.deepEqual(answers.slice(-2), ['decline', 'cancel']);
  });

  test('MCP: Answer in the form takes each field\'s default with Enter; the server gets accept with the values, the audit redacts them', async () => {
    const before = audit().filter((l) => l.action === 'mcp.elicitation').length;
    const call = vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', { server: 'defaults', tool: 'ask', args: {}, show: false });
    // Answer (the first item), then Name, Count, Color and Subscribe: each step accepts what it shows.
    const answered = await untilSettled(call, () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'), 60_000);
    assert.ok(answered, 'the call failed (see the Rusty output)');
    assert.deepEqual(answered.content, [{ type: 'text', text: 'accept {"name":"Ada","count":3,"color":"blue","subscribe":true}' }]);
    await eventually(() => audit().filter((l) => l.action === 'mcp.elicitation').length > before, 'the answer in the audit log');
    const line = audit().filter((l) => l.action === 'mcp.elicitation').at(-1)!;
    const details = line.details as { server?: string; action?: string; values?: Record<string, unknown> };
    assert.equal(details.server, 'defaults');
    assert.equal(details.action, 'accept');
    assert.equal((details as { by?: string }).by, 'user', 'answered in the form, not by a default mode');
    assert.deepEqual(details.values, { name: '[redacted]', count: '[redacted]', color: '[redacted]', subscribe: '[redacted]' });
    assert.ok(!JSON.stringify(line).includes('Ada'), 'no value in the audit log');
  });

  test('MCP: Sign In on a remote server runs the OAuth flow through the browser step; calls then work; Sign Out forgets it', async () => {
    const g = globalThis as { __rustyTestOpenExternal?: (url: string) => Promise<boolean> };
    const opened: string[] = [];
    // The "browser": follows the authorization redirect to Rusty's loopback listener.
    g.__rustyTestOpenExternal = async (url) => {
      opened.push(url);
      await fetch(url).catch(() => undefined);
      return true;
    };
    const whoami = () => vscode.commands.executeCommand<McpCallResult | undefined>('rusty.mcp.callTool', { server: 'remote', tool: 'whoami', args: {}, show: false });
    try {
      assert.equal(await whoami(), undefined, 'a server that needs sign-in is not called before Sign In');
      assert.equal(opened.length, 0, 'a call never opens the browser for a server never signed in to');
      assert.equal(await vscode.commands.executeCommand<boolean | undefined>('rusty.mcp.signIn', 'remote'), true);
      const auth = new URL(opened[0]!);
      assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(new URL(auth.searchParams.get('redirect_uri')!).hostname, '127.0.0.1');
      assert.ok(auth.searchParams.get('resource')?.endsWith('/mcp'), 'the resource parameter names the server');
      const result = await whoami();
      assert.deepEqual(result?.content, [{ type: 'text', text: 'token ok' }]);
      assert.equal(await vscode.commands.executeCommand<boolean | undefined>('rusty.mcp.signOut', 'remote'), true);
      await eventually(() => audit().some((l) => l.action === 'mcp.signout'), 'the sign-out in the audit log');
      assert.ok(audit().some((l) => l.action === 'mcp.signin'), 'the sign-in in the audit log');
      const auditText = fs.readFileSync(path.join(workspaceStateDir(fixtureFolder().uri.fsPath, process.env), 'audit.jsonl'), 'utf8');
      assert.ok(!/\bat-\d+|\brt-\d+/.test(auditText), 'no token in the audit log');
    } finally {
      delete g.__rustyTestOpenExternal;
      await vscode.commands.executeCommand('rusty.mcp.stop', 'remote');
    }
  });

  test('MCP: Show Log opens the server log read-only; Stop stops the process', async () => {
    await vscode.commands.executeCommand('rusty.mcp.showLog', 'everything');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.scheme === 'rusty-mcp' && editor.document.uri.path.startsWith('/log/'), 'the log opens in a rusty-mcp document');
    const pid = (await vscode.commands.executeCommand<McpServerState | undefined>('rusty.mcp.start', 'everything'))?.pid;
    const stopped = await vscode.commands.executeCommand<McpServerState | undefined>('rusty.mcp.stop', 'everything');
    assert.equal(stopped?.status, 'stopped');
    assert.equal(node(await snapshot(), 'everything').contextValue, 'mcpServer.stopped');
    if (pid) {
      await eventually(() => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      }, `server process ${pid} to exit`);
    }
  });
});
