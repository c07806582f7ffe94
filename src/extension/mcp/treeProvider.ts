// The "MCP Servers" view: servers with status, their tools / resources / prompts, and the config
// problems. Drawing the view loads the MCP bundle and reads the configs (the view is the first
// use), but starts no server: a server starts when it is expanded, or with Start / Call Tool….
import * as vscode from 'vscode';
import type { McpService } from '../../core/mcp/service';
import { McpCommands } from '../commands/ids';
import type { McpHost } from './mcpHost';
import {
  groupItem, messageItem, policyProblemItem, problemItem, problemsItem, promptItem, resourceItem, serverItem, toolItem,
  type ItemData, type McpNode, type TreeSnapshotNode,
} from './treeModel';

export class McpTreeProvider implements vscode.TreeDataProvider<McpNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<McpNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loadError: string | undefined;
  /** Servers being started because they were expanded (so a failed start is not retried in a loop). */
  private readonly autoStarted = new Set<string>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly host: McpHost) {
    this.sub = host.onDidChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.loadError = undefined;
    this.autoStarted.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: McpNode): vscode.TreeItem {
    return toTreeItem(this.itemFor(node));
  }

  async getChildren(node?: McpNode): Promise<McpNode[]> {
    let service: McpService;
    try {
      service = await this.host.service();
    } catch (err) {
      this.loadError = (err as Error).message;
      return node ? [] : [{ kind: 'message', text: this.loadError, icon: 'error', color: 'list.errorForeground' }];
    }
    return this.childrenOf(service, node, true);
  }

  /** Children without side effects when `lazyStart` is false (snapshots must not start servers). */
  private childrenOf(service: McpService, node: McpNode | undefined, lazyStart: boolean): McpNode[] {
    if (!node) {
      const errors = service.configErrors();
      const policy = service.policyErrors();
      return [
        ...(errors.length || policy.length ? [{ kind: 'problems', errors, policy } as McpNode] : []),
        ...service.servers().map((s): McpNode => ({ kind: 'server', name: s.name })),
      ];
    }
    switch (node.kind) {
      case 'problems':
        return [
          ...node.errors.map((error, index): McpNode => ({ kind: 'problem', error, index })),
          ...node.policy.map((message, index): McpNode => ({ kind: 'policyProblem', message, index })),
        ];
      case 'server': {
        const state = service.servers().find((s) => s.name === node.name);
        if (!state) return [];
        if (state.status === 'stopped') {
          if (lazyStart && !this.autoStarted.has(node.name)) {
            this.autoStarted.add(node.name);
            // The state change event redraws the node when the server is up (or has failed).
            void service.start(node.name).catch(() => undefined);
            return [{ kind: 'message', server: node.name, text: 'Starting…', icon: 'loading~spin' }];
          }
          return [{ kind: 'message', server: node.name, text: 'Stopped — use Start to connect', icon: 'debug-start' }];
        }
        if (state.status === 'starting') return [{ kind: 'message', server: node.name, text: 'Starting…', icon: 'loading~spin' }];
        if (state.status === 'failed') {
          return [{
            kind: 'message', server: node.name, text: `Failed: ${state.lastError ?? 'no error message'}`,
            tooltip: 'Restart it from the context menu, or open its log (Show Log).', icon: 'error', color: 'list.errorForeground',
          }];
        }
        return (['tools', 'resources', 'prompts'] as const).map((group): McpNode => ({ kind: 'group', server: node.name, group }));
      }
      case 'group':
        if (node.group === 'tools') return service.tools(node.server).map((tool): McpNode => ({ kind: 'tool', server: node.server, tool }));
        if (node.group === 'resources') return service.resources(node.server).map((resource): McpNode => ({ kind: 'resource', server: node.server, resource }));
        return service.prompts(node.server).map((prompt): McpNode => ({ kind: 'prompt', server: node.server, prompt }));
      default:
        return [];
    }
  }

  private itemFor(node: McpNode): ItemData {
    const service = this.host.loaded();
    switch (node.kind) {
      case 'problems': return problemsItem(node.errors.length + node.policy.length);
      case 'policyProblem': return policyProblemItem(node.message, node.index, McpCommands.mcpOpenConfigProblem);
      case 'problem': return problemItem(node.error, node.index, McpCommands.mcpOpenConfigProblem, this.host.folder()?.uri.fsPath);
      case 'server': {
        const state = service?.servers().find((s) => s.name === node.name);
        return state ? serverItem(state) : { id: `server:${node.name}`, label: node.name, contextValue: 'mcpServer.stopped', collapsible: 'none' };
      }
      case 'group': {
        const count = !service ? 0 : node.group === 'tools' ? service.tools(node.server).length
          : node.group === 'resources' ? service.resources(node.server).length : service.prompts(node.server).length;
        return groupItem(node.server, node.group, count);
      }
      case 'tool': return toolItem(node.tool);
      case 'resource': return resourceItem(node.resource);
      case 'prompt': return promptItem(node.prompt);
      case 'message': return messageItem(node, 0);
    }
  }

  /** What the view shows now, expanded fully except stopped servers (no server is started). */
  async snapshot(): Promise<TreeSnapshotNode[]> {
    const service = await this.host.service();
    const walk = (node: McpNode | undefined): TreeSnapshotNode[] =>
      this.childrenOf(service, node, false).map((child) => {
        const item = this.itemFor(child);
        const children = item.collapsible === 'none' ? undefined : walk(child);
        return children ? { ...item, children } : item;
      });
    return walk(undefined);
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

export function toTreeItem(d: ItemData): vscode.TreeItem {
  const state = d.collapsible === 'none' ? vscode.TreeItemCollapsibleState.None
    : d.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(d.label, state);
  item.id = d.id;
  if (d.description) item.description = d.description;
  if (d.tooltip) item.tooltip = new vscode.MarkdownString(d.tooltip);
  if (d.icon) item.iconPath = new vscode.ThemeIcon(d.icon.id, d.icon.color ? new vscode.ThemeColor(d.icon.color) : undefined);
  item.contextValue = d.contextValue;
  if (d.command) item.command = d.command;
  return item;
}
