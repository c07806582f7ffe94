// MCP in VS Code: the "MCP Servers" view and every `rusty.mcp.*` command, registered in the same
// style as registerCommands.ts (a handler table keyed by the typed ids, so a missing handler does
// not compile; handlers never reject into VS Code — errors are shown once with the buttons that
// help, and the command returns undefined). Nothing here loads the MCP SDK: the first command or
// the view's first draw loads dist/mcp.js through McpHost.
import * as vscode from 'vscode';
import type { McpLogLevel, McpServerState } from '../../core/mcp/types';
import { MCP_LOG_LEVELS } from '../../core/mcp/types';
import type { Secrets } from '../adapters/secrets';
import { McpCommands, Views } from '../commands/ids';
import { callTarget, runCallTool, type CallOutcome, type CallTarget } from './callTool';
import { openAtJsonPath, openMcpJson, openPolicy, openSetting } from './configFiles';
import { showGrants } from './grants';
import { McpHost } from './mcpHost';
import { describeMcpError, type McpErrorAction } from './mcpErrors';
import { McpTreeProvider } from './treeProvider';
import type { McpNode } from './treeModel';

type Handler = (...args: unknown[]) => Promise<unknown>;

export interface McpRegistrationDeps {
  log: vscode.LogOutputChannel;
  secrets: Secrets;
  /** Work deactivate() awaits (the staged shutdown of MCP servers). */
  onShutdown?: (fn: () => Promise<void>) => void;
  /** The window's MCP host, for the features that use MCP servers (AI asks, sampling). */
  onMcpHost?: (host: McpHost) => void;
}

/** The server a command acts on: a name, a tree node, or `{server}`. */
export function serverOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (!arg || typeof arg !== 'object') return undefined;
  const n = arg as { kind?: string; name?: unknown; server?: unknown };
  if (n.kind === 'server' && typeof n.name === 'string') return n.name;
  return typeof n.server === 'string' ? n.server : undefined;
}

export function registerMcp(deps: McpRegistrationDeps, context: vscode.ExtensionContext): vscode.Disposable[] {
  const host = new McpHost({ log: deps.log, secrets: deps.secrets, globalState: context.globalState });
  deps.onShutdown?.(() => host.shutdown());
  deps.onMcpHost?.(host);
  const tree = new McpTreeProvider(host);
  const view = vscode.window.createTreeView(Views.mcpServers, { treeDataProvider: tree, showCollapseAll: true });

  const workspace = (): string => {
    const folder = host.folder();
    if (!folder) throw new Error('Open a folder first: MCP servers are configured per workspace folder.');
    return folder.uri.fsPath;
  };

  const showError = (err: unknown, ctx: { server?: string; tool?: string; interactive?: boolean; retry?: () => void; edit?: () => void }) => {
    const e = describeMcpError(err, ctx);
    deps.log[e.level === 'info' ? 'info' : 'error'](`MCP${ctx.server ? ` ${ctx.server}${ctx.tool ? `/${ctx.tool}` : ''}` : ''}: ${e.message}`);
    if (e.kind === 'internal' && err instanceof Error && err.stack) deps.log.error(err.stack);
    const show = e.level === 'info' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    const actions: McpErrorAction[] = e.actions.filter((a) => (a === 'Retry' ? !!ctx.retry : a === 'Edit Arguments' ? !!ctx.edit : true));
    void show(e.message, ...actions).then(async (pick) => {
      try {
        const server = ctx.server;
        switch (pick) {
          case 'Retry': ctx.retry?.(); break;
          case 'Edit Arguments': ctx.edit?.(); break;
          case 'Restart Server': if (server) await vscode.commands.executeCommand(McpCommands.mcpRestart, server); break;
          case 'Show Log': if (server) await host.docs.showLog(server); break;
          case 'Open Policy': await openPolicy(workspace()); break;
          case 'Show Grants': await vscode.commands.executeCommand(McpCommands.mcpShowGrants); break;
          case 'Open Config': await vscode.commands.executeCommand(McpCommands.mcpAddServer); break;
          default: break;
        }
      } catch (inner) {
        deps.log.error(`MCP: ${(inner as Error).message}`);
      }
    });
  };

  /** A server from the argument, else a quick pick among those `fits` accepts. */
  const pickServer = async (arg: unknown, verb: string, fits: (s: McpServerState) => boolean, allowAll = false): Promise<string | null | undefined> => {
    const given = serverOf(arg);
    if (given) return given;
    const service = await host.service();
    const states = service.servers().filter(fits);
    if (states.length === 0) {
      void vscode.window.showInformationMessage(service.servers().length ? `No MCP server to ${verb.toLowerCase()}.` : 'No MCP servers are configured. Add one with "Rusty: Add MCP Server".');
      return undefined;
    }
    const items: (vscode.QuickPickItem & { name: string | null })[] = [
      ...(allowAll && states.length > 1 ? [{ label: '$(run-all) All servers', name: null }] : []),
      ...states.map((s) => ({ label: s.name, description: `${s.status} · ${s.transport}`, ...(s.lastError ? { detail: s.lastError } : {}), name: s.name })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `Rusty: ${verb} MCP Server` });
    return picked ? picked.name : undefined;
  };

  const serverAction = async (server: string, title: string, run: () => Promise<void>): Promise<McpServerState | undefined> => {
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, run);
    } catch (err) {
      showError(err, { server });
    }
    tree.refresh();
    return host.loaded()?.servers().find((s) => s.name === server);
  };

  const callTool = async (target: CallTarget): Promise<unknown> => {
    const outcome: CallOutcome = { interactive: false };
    try {
      return await runCallTool(host, target, outcome);
    } catch (err) {
      const again = (t: CallTarget) => () => void vscode.commands.executeCommand(McpCommands.mcpCallTool, t);
      const same = { ...target, ...(outcome.server ? { server: outcome.server } : {}), ...(outcome.tool ? { tool: outcome.tool } : {}) };
      showError(err, {
        ...(outcome.server ? { server: outcome.server } : {}),
        ...(outcome.tool ? { tool: outcome.tool } : {}),
        interactive: outcome.interactive,
        retry: again(same),
        // Back to the input box, prefilled with what was typed (callTool.ts keeps it).
        ...(outcome.interactive ? { edit: again({ ...same, args: undefined } as CallTarget) } : {}),
      });
      return undefined;
    }
  };

  const handlers: Record<keyof typeof McpCommands, Handler> = {
    mcpRefresh: async () => {
      if (host.loaded()) await host.reload();
      else await host.service();
      tree.refresh();
      return { servers: await tree.snapshot() };
    },

    mcpStart: async (arg) => {
      const server = await pickServer(arg, 'Start', (s) => s.status !== 'connected' && s.status !== 'starting', true);
      if (server === undefined) return undefined;
      const service = await host.service();
      if (server === null) {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting MCP servers…' }, () => service.start());
        const failed = service.servers().filter((s) => s.status === 'failed');
        if (failed.length) showError(new Error(`${failed.length} MCP server(s) failed to start: ${failed.map((s) => `${s.name} (${s.lastError ?? 'no message'})`).join('; ')}`), {});
        tree.refresh();
        return service.servers();
      }
      return serverAction(server, `Starting MCP server "${server}"…`, () => service.start(server));
    },

    mcpStop: async (arg) => {
      const server = await pickServer(arg, 'Stop', (s) => s.status !== 'stopped');
      if (!server) return undefined;
      const service = await host.service();
      return serverAction(server, `Stopping MCP server "${server}"…`, () => service.stop(server));
    },

    mcpSignIn: async (arg) => {
      const server = await pickServer(arg, 'Sign In', () => true);
      if (!server) return undefined;
      const service = await host.service();
      try {
        const { signedIn } = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Signing in to MCP server "${server}" in your browser…`, cancellable: false },
          () => service.login(server),
        );
        void vscode.window.showInformationMessage(signedIn ? `Signed in to MCP server "${server}".` : `MCP server "${server}" is connected and did not ask for a sign-in.`);
        return signedIn;
      } catch (err) {
        showError(err, { server, interactive: true });
        return undefined;
      }
    },

    mcpSetLogLevel: async (arg) => {
      const server = await pickServer(arg, 'Set Log Level', (s) => s.status === 'connected' || s.status === 'degraded');
      if (!server) return undefined;
      const level = await vscode.window.showQuickPick([...MCP_LOG_LEVELS], { title: `Log level of MCP server "${server}"`, placeHolder: 'Messages at this level and above go to the server log' });
      if (!level) return undefined;
      const service = await host.service();
      try {
        await service.setLogLevel(server, level as McpLogLevel);
        return level;
      } catch (err) {
        showError(err, { server, interactive: true });
        return undefined;
      }
    },

    mcpSignOut: async (arg) => {
      const server = await pickServer(arg, 'Sign Out', () => true);
      if (!server) return undefined;
      const service = await host.service();
      try {
        const { removed } = await service.logout(server);
        void vscode.window.showInformationMessage(removed ? `Signed out of MCP server "${server}".` : `No sign-in was stored for MCP server "${server}".`);
        return removed;
      } catch (err) {
        showError(err, { server, interactive: true });
        return undefined;
      }
    },

    mcpRestart: async (arg) => {
      const server = await pickServer(arg, 'Restart', () => true);
      if (!server) return undefined;
      const service = await host.service();
      return serverAction(server, `Restarting MCP server "${server}"…`, () => service.restart(server));
    },

    mcpShowLog: async (arg) => {
      const server = await pickServer(arg, 'Show Log of', () => true);
      if (!server) return undefined;
      await host.service();
      await host.docs.showLog(server);
      return undefined;
    },

    mcpCallTool: (arg) => callTool(callTarget(arg)),

    mcpShowGrants: () => showGrants(host, deps.log),

    mcpAddServer: async () => {
      const picked = await vscode.window.showQuickPick([
        { label: '$(json) .vscode/mcp.json', description: 'this workspace; also read by VS Code', target: 'mcp-json' as const },
        { label: '$(settings-gear) Settings: rusty.mcp.servers', description: 'user or workspace settings', target: 'settings' as const },
        { label: '$(shield) .rusty/policy.json', description: 'which tools are allowed, asked or denied', target: 'policy' as const },
      ], { title: 'Rusty: Add MCP Server', placeHolder: 'Where should the server be configured? Use ${input:…} or ${env:…} for tokens, never the token itself.' });
      if (!picked) return undefined;
      if (picked.target === 'mcp-json') await openMcpJson(workspace());
      else if (picked.target === 'policy') await openPolicy(workspace());
      else await openSetting('rusty.mcp.servers');
      return undefined;
    },

    mcpForgetInputs: async () => {
      const keys = [...new Set([...host.secrets.keys(), ...host.configInputKeys()])];
      if (keys.length === 0) {
        void vscode.window.showInformationMessage('No MCP input values are stored.');
        return [];
      }
      const ok = await vscode.window.showWarningMessage(
        `Forget ${keys.length} stored MCP input value${keys.length === 1 ? '' : 's'}?`,
        { modal: true, detail: `${keys.map((k) => k.replace(/^mcp\.input\./, '${input:') + '}').join(', ')}\n\nServers that use them ask again the next time their configuration is read.` },
        'Forget',
      );
      if (ok !== 'Forget') return undefined;
      const forgotten = await host.secrets.forgetAll(host.configInputKeys());
      deps.log.info(`MCP: forgot ${forgotten.length} stored input value(s)`);
      void vscode.window.showInformationMessage(`Forgot ${forgotten.length} MCP input value${forgotten.length === 1 ? '' : 's'}.`);
      return forgotten;
    },

    mcpOpenConfigProblem: async (arg) => {
      const node = arg as McpNode | undefined;
      if (node?.kind === 'problem') {
        if (node.error.source.file) await openAtJsonPath(node.error.source.file, node.error.path);
        else await openSetting('rusty.mcp.servers');
      } else if (node?.kind === 'policyProblem') {
        if (/rusty\.mcp\./.test(node.message)) await openSetting(/trustedServers/.test(node.message) ? 'rusty.mcp.trustedServers' : 'rusty.mcp.rules');
        else await openPolicy(workspace());
      }
      return undefined;
    },
  };

  const wrap = (id: string, handler: Handler) => async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      showError(err, { ...(serverOf(args[0]) ? { server: serverOf(args[0])! } : {}) });
      deps.log.error(`${id} failed: ${(err as Error).message}`);
      return undefined;
    }
  };

  return [
    host,
    tree,
    view,
    ...Object.entries(handlers).map(([key, handler]) => {
      const id = McpCommands[key as keyof typeof McpCommands];
      return vscode.commands.registerCommand(id, wrap(id, handler));
    }),
  ];
}
