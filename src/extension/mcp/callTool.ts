// "Call Tool…": pick a tool (from a tree node, a server, or all servers), type its arguments as
// JSON prefilled from the inputSchema and checked against it before anything is sent (errors
// shown inline, the text kept for the next try), then call it through the service — the
// permission gate and the audit log — with a cancellable progress notification, and show the
// result in a read-only JSON document.
import * as vscode from 'vscode';
import type { McpService } from '../../core/mcp/service';
import type { McpCallResult, McpToolInfo } from '../../core/mcp/types';
import { loadMcp } from './loadMcp';
import type { McpHost } from './mcpHost';
import { describeProperties, parseArguments, skeletonFor } from './schemaSkeleton';
import type { McpNode } from './treeModel';

/** What the command accepts besides a tree node: `{server, tool, args}` runs without asking for input. */
export interface CallToolCommandArgs {
  server?: string;
  tool?: string;
  /** An object, or JSON text. Given → no input box; the service still validates it. */
  args?: Record<string, unknown> | string;
  /** Open the result in an editor (default true). */
  show?: boolean;
}

export interface CallTarget {
  server?: string;
  tool?: string;
  args?: Record<string, unknown> | string;
  show: boolean;
}

export function callTarget(arg: unknown): CallTarget {
  if (typeof arg === 'string') return { server: arg, show: true };
  if (!arg || typeof arg !== 'object') return { show: true };
  const n = arg as Partial<McpNode> & CallToolCommandArgs & { name?: string };
  if (n.kind === 'tool') return { server: n.server, tool: (n as Extract<McpNode, { kind: 'tool' }>).tool.name, show: true };
  if (n.kind === 'server') return { server: n.name, show: true };
  if (n.kind) return { ...(typeof n.server === 'string' ? { server: n.server } : {}), show: true };
  return {
    ...(typeof n.server === 'string' ? { server: n.server } : {}),
    ...(typeof n.tool === 'string' ? { tool: n.tool } : {}),
    ...(n.args !== undefined && (typeof n.args === 'string' || (typeof n.args === 'object' && n.args !== null)) ? { args: n.args } : {}),
    show: n.show !== false,
  };
}

/** Arguments typed per tool in this window, so a failed or rejected call never loses them. */
const lastInput = new Map<string, string>();

function isUp(service: McpService, server: string): boolean {
  const status = service.servers().find((s) => s.name === server)?.status;
  return status === 'connected' || status === 'degraded';
}

async function withStartProgress(title: string, run: () => Promise<void>): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, run);
}

/** The tool to call: the one given, else a quick pick over the server's (or every server's) tools. */
export async function pickTool(service: McpService, server: string | undefined, tool: string | undefined): Promise<McpToolInfo | undefined> {
  if (server && !isUp(service, server)) {
    await withStartProgress(`Starting MCP server "${server}"…`, () => service.start(server));
  } else if (!server && !service.servers().some((s) => s.status === 'connected' || s.status === 'degraded')) {
    if (service.servers().length === 0) {
      void vscode.window.showInformationMessage('No MCP servers are configured. Add one to .vscode/mcp.json or the rusty.mcp.servers setting ("Rusty: Add MCP Server").');
      return undefined;
    }
    await withStartProgress('Starting MCP servers…', () => service.start());
  }
  const tools = service.tools(server);
  if (tool && server) {
    const found = tools.find((t) => t.name === tool);
    // Unknown tools go to the service, which names the close matches.
    return found ?? { server, name: tool, inputSchema: { type: 'object' } };
  }
  if (tools.length === 0) {
    void vscode.window.showInformationMessage(server ? `MCP server "${server}" offers no tools.` : 'None of the running MCP servers offers tools. Start a server from the MCP Servers view.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    tools.map((t) => ({ label: t.name, description: server ? t.title : `${t.server}${t.title ? ` · ${t.title}` : ''}`, detail: t.description?.split('\n')[0], t })),
    { title: server ? `Rusty: Call a tool of ${server}` : 'Rusty: Call an MCP tool', placeHolder: 'Type to filter by name, server or description', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.t;
}

/**
 * The arguments in an untitled JSON document (the last ones for this tool, else a skeleton from
 * the schema), checked against the tool's input schema as the user types (diagnostics in the
 * editor); "Call" sends them, "Cancel" or closing the document gives up.
 */
async function askArguments(tool: McpToolInfo): Promise<Record<string, unknown> | undefined> {
  const key = `${tool.server}/${tool.name}`;
  const props = describeProperties(tool.inputSchema);
  if (props.length === 0) return {};
  const { validateArguments } = loadMcp();
  const problems = (text: string): string[] => {
    const parsed = parseArguments(text);
    if (!parsed.ok) return [parsed.message];
    return validateArguments(tool.inputSchema, parsed.args);
  };
  const initial = lastInput.get(key) ?? JSON.stringify(skeletonFor(tool.inputSchema), null, 2);
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: initial });
  await vscode.window.showTextDocument(doc, { preview: false });
  const diagnostics = vscode.languages.createDiagnosticCollection(`rusty-mcp-args`);
  const refresh = () => {
    const found = problems(doc.getText());
    diagnostics.set(doc.uri, found.map((m) => new vscode.Diagnostic(new vscode.Range(0, 0, Math.max(0, doc.lineCount - 1), 0), `${tool.name}: ${m}`, vscode.DiagnosticSeverity.Error)));
  };
  refresh();
  const subs = [
    diagnostics,
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc) refresh();
    }),
  ];
  try {
    for (;;) {
      const closed = new Promise<undefined>((resolve) => subs.push(vscode.workspace.onDidCloseTextDocument((d) => d === doc && resolve(undefined))));
      const pick = await Promise.race([
        vscode.window.showInformationMessage(`Edit the arguments of ${tool.server}/${tool.name} in the JSON document (${props.join(' · ')}), then choose Call.`, 'Call', 'Cancel'),
        closed,
      ]);
      if (pick !== 'Call' || doc.isClosed) return undefined;
      const text = doc.getText();
      const found = problems(text);
      if (found.length) {
        void vscode.window.showErrorMessage(`The arguments do not match the tool's input schema: ${found.join('; ')}`);
        continue;
      }
      lastInput.set(key, text);
      const parsed = parseArguments(text);
      return parsed.ok ? parsed.args : undefined;
    }
  } finally {
    for (const d of subs) d.dispose();
    if (!doc.isClosed && vscode.window.activeTextEditor?.document === doc) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
}

/** Progress from the server, as increments of the notification's bar. */
function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>) {
  let shown = 0;
  return (p: { progress: number; total?: number; message?: string }) => {
    const pct = p.total && p.total > 0 ? Math.min(100, (p.progress / p.total) * 100) : undefined;
    const increment = pct !== undefined && pct > shown ? pct - shown : undefined;
    if (pct !== undefined && pct > shown) shown = pct;
    progress.report({
      message: p.message ?? (p.total ? `${p.progress} / ${p.total}` : `${p.progress}`),
      ...(increment !== undefined ? { increment } : {}),
    });
  };
}

export function resultDocument(r: McpCallResult): string {
  return JSON.stringify({
    server: r.server,
    tool: r.tool,
    isError: r.isError,
    durationMs: Math.round(r.durationMs),
    attempts: r.attempts,
    bytes: r.bytes,
    ...(r.savedTo ? { savedTo: r.savedTo } : {}),
    content: r.content,
    ...(r.structuredContent !== undefined ? { structuredContent: r.structuredContent } : {}),
  }, null, 2);
}

export interface CallOutcome {
  result?: McpCallResult;
  /** Where the failure happened, so "Edit Arguments" can come back to the same tool. */
  server?: string;
  tool?: string;
  interactive: boolean;
}

/** Runs the whole flow; throws the service's errors (the command shows them with their actions). */
export async function runCallTool(host: McpHost, target: CallTarget, outcome: CallOutcome): Promise<McpCallResult | undefined> {
  const service = await host.service();
  const tool = await pickTool(service, target.server, target.tool);
  if (!tool) return undefined;
  outcome.server = tool.server;
  outcome.tool = tool.name;
  let args: Record<string, unknown> | undefined;
  if (target.args !== undefined) {
    if (typeof target.args === 'string') {
      const parsed = parseArguments(target.args);
      // The service turns anything that is not an object into an invalid-params error with its wording.
      args = parsed.ok ? parsed.args : (target.args as unknown as Record<string, unknown>);
    } else args = target.args;
  } else {
    outcome.interactive = true;
    args = await askArguments(tool);
    if (!args) return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `MCP ${tool.server}/${tool.name}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      return service.callTool(tool.server, tool.name, args, { signal: abort.signal, onProgress: progressReporter(progress) }).finally(() => sub.dispose());
    },
  );
  outcome.result = result;
  if (target.show) await host.docs.show(`${tool.server}-${tool.name}-result.json`, resultDocument(result), 'json');
  if (result.isError) void vscode.window.showWarningMessage(`${tool.server}/${tool.name} reported an error (isError); its message is in the result document.`);
  else if (result.savedTo) void vscode.window.showInformationMessage(`The result of ${tool.server}/${tool.name} was ${result.bytes.toLocaleString('en-US')} bytes, so it was saved to ${result.savedTo}.`);
  return result;
}
