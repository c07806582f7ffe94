// What the "MCP Servers" view shows, as plain data: labels, descriptions, tooltips (Markdown),
// codicon ids with theme colours, context values for the menus. The view provider turns these into
// vscode.TreeItems; the Refresh command returns them (tests, other extensions). Pure: no vscode.
import * as path from 'node:path';
import type {
  McpConfigError, McpPromptInfo, McpResourceInfo, McpServerState, McpServerStatus, McpToolAnnotations, McpToolInfo,
} from '../../core/mcp/types';

export type McpGroupKind = 'tools' | 'resources' | 'prompts';

/** The view's elements. Commands from the context menu receive one of these as their argument. */
export type McpNode =
  | { kind: 'problems'; errors: McpConfigError[]; policy: string[] }
  | { kind: 'problem'; error: McpConfigError; index: number }
  | { kind: 'policyProblem'; message: string; index: number }
  | { kind: 'server'; name: string }
  | { kind: 'group'; server: string; group: McpGroupKind }
  | { kind: 'tool'; server: string; tool: McpToolInfo }
  | { kind: 'resource'; server: string; resource: McpResourceInfo }
  | { kind: 'prompt'; server: string; prompt: McpPromptInfo }
  | { kind: 'message'; server?: string; text: string; tooltip?: string; icon: string; color?: string };

export interface ItemData {
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon?: { id: string; color?: string };
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** Command run on click (config problems open their file). */
  command?: { command: string; title: string; arguments: unknown[] };
}

/** A rendered subtree, as the Refresh command returns it. */
export interface TreeSnapshotNode extends ItemData {
  children?: TreeSnapshotNode[];
}

const STATUS_ICON: Record<McpServerStatus, { id: string; color?: string }> = {
  connected: { id: 'pass-filled', color: 'testing.iconPassed' },
  starting: { id: 'loading~spin' },
  degraded: { id: 'warning', color: 'list.warningForeground' },
  failed: { id: 'error', color: 'list.errorForeground' },
  stopped: { id: 'circle-large-outline' },
};

/** Fenced so server output cannot turn into Markdown links or HTML in the tooltip. */
function fence(text: string): string {
  const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}text\n${text}\n${ticks}`;
}

/** Escapes Markdown in names and messages that come from configs and servers. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function serverItem(s: McpServerState): ItemData {
  const via = s.connectedVia && s.connectedVia !== s.transport ? `${s.transport}→${s.connectedVia}` : s.transport;
  const counts = s.status === 'connected' || s.status === 'degraded'
    ? ` · ${s.toolCount} tool${s.toolCount === 1 ? '' : 's'}` : '';
  const lines = [`**${md(s.name)}** — ${s.status} (${via})`];
  if (s.serverInfo) lines.push(`Server: ${md(s.serverInfo.name)} ${md(s.serverInfo.version)}`);
  if (s.pid) lines.push(`Process: ${s.pid}`);
  if (s.restarts) lines.push(`Restarts: ${s.restarts}`);
  if (s.lastSeen) lines.push(`Last seen: ${s.lastSeen}`);
  if (s.lastError) lines.push('', '**Last error**', fence(s.lastError));
  if (s.stderrTail.length) lines.push('', '**stderr (last lines)**', fence(s.stderrTail.slice(-12).join('\n')));
  return {
    id: `server:${s.name}`,
    label: s.name,
    description: `${s.status} · ${via}${counts}`,
    tooltip: lines.join('\n\n'),
    icon: STATUS_ICON[s.status],
    contextValue: `mcpServer.${s.status}`,
    collapsible: 'collapsed',
  };
}

const GROUP_LABEL: Record<McpGroupKind, string> = { tools: 'Tools', resources: 'Resources', prompts: 'Prompts' };
const GROUP_ICON: Record<McpGroupKind, string> = { tools: 'tools', resources: 'files', prompts: 'comment-discussion' };

export function groupItem(server: string, group: McpGroupKind, count: number): ItemData {
  return {
    id: `group:${server}:${group}`,
    label: GROUP_LABEL[group],
    description: String(count),
    icon: { id: GROUP_ICON[group] },
    contextValue: `mcpGroup.${group}`,
    collapsible: count > 0 ? 'collapsed' : 'none',
  };
}

/** `read-only`, `destructive`, … — hints as the server states them (trusted or not). */
export function annotationWords(a: McpToolAnnotations | undefined): string[] {
  if (!a) return [];
  const words: string[] = [];
  if (a.readOnlyHint) words.push('read-only');
  if (a.destructiveHint) words.push('destructive');
  if (a.idempotentHint) words.push('idempotent');
  if (a.openWorldHint) words.push('open-world');
  return words;
}

function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n').find((l) => l.trim())?.trim();
  return line && line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export function toolItem(t: McpToolInfo): ItemData {
  const hints = annotationWords(t.annotations);
  const lines = [`**${md(t.title ?? t.annotations?.title ?? t.name)}** (${md(t.server)}/${md(t.name)})`];
  if (t.description) lines.push(md(t.description));
  if (hints.length) lines.push(`Hints (from the server): ${hints.join(', ')}`);
  lines.push('**Input schema**', fence(JSON.stringify(t.inputSchema, null, 2)));
  const desc = [hints.length ? `[${hints.join(', ')}]` : '', firstLine(t.description) ?? ''].filter(Boolean).join(' ');
  return {
    id: `tool:${t.server}:${t.name}`,
    label: t.name,
    ...(desc ? { description: desc } : {}),
    tooltip: lines.join('\n\n'),
    icon: { id: t.annotations?.destructiveHint ? 'warning' : 'symbol-method' },
    contextValue: 'mcpTool',
    collapsible: 'none',
  };
}

export function resourceItem(r: McpResourceInfo): ItemData {
  const lines = [`**${md(r.name)}**`, `\`${r.uri.replace(/`/g, '')}\``];
  if (r.mimeType) lines.push(md(r.mimeType));
  if (r.description) lines.push(md(r.description));
  return {
    id: `resource:${r.server}:${r.uri}`,
    label: r.name,
    description: r.uri,
    tooltip: lines.join('\n\n'),
    icon: { id: 'file' },
    contextValue: 'mcpResource',
    collapsible: 'none',
  };
}

export function promptItem(p: McpPromptInfo): ItemData {
  const args = (p.arguments ?? []).map((a) => `${a.name}${a.required ? ' (required)' : ''}${a.description ? ` — ${a.description}` : ''}`);
  const desc = firstLine(p.description);
  return {
    id: `prompt:${p.server}:${p.name}`,
    label: p.name,
    ...(desc ? { description: desc } : {}),
    tooltip: [`**${md(p.name)}**`, ...(p.description ? [md(p.description)] : []), ...(args.length ? ['**Arguments**', ...args.map((a) => `- ${md(a)}`)] : [])].join('\n\n'),
    icon: { id: 'comment-discussion' },
    contextValue: 'mcpPrompt',
    collapsible: 'none',
  };
}

export function problemsItem(count: number): ItemData {
  return {
    id: 'problems',
    label: 'Config problems',
    description: String(count),
    tooltip: 'Entries Rusty could not use. The other servers work; click a problem to open its file.',
    icon: { id: 'warning', color: 'list.warningForeground' },
    contextValue: 'mcpProblems',
    collapsible: 'expanded',
  };
}

/** Where a config entry came from, for people: `.vscode/mcp.json`, `settings (rusty.mcp.servers)`. */
export function sourceLabel(e: McpConfigError, workspace?: string): string {
  if (!e.source.file) return e.source.kind === 'rusty-settings' ? 'settings (rusty.mcp.servers)' : e.source.kind;
  const rel = workspace ? path.relative(workspace, e.source.file) : '';
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : e.source.file;
}

export function problemItem(e: McpConfigError, index: number, openCommand: string, workspace?: string): ItemData {
  const where = sourceLabel(e, workspace);
  return {
    id: `problem:${index}`,
    label: e.server ? `${e.server}: ${e.message}` : e.message,
    description: `${where}${e.path ? ` · ${e.path}` : ''}`,
    tooltip: [`**${md(where)}**${e.path ? ` at \`${e.path.replace(/`/g, '')}\`` : ''}`, md(e.message)].join('\n\n'),
    icon: { id: 'error', color: 'list.errorForeground' },
    contextValue: 'mcpProblem',
    collapsible: 'none',
    command: { command: openCommand, title: 'Open', arguments: [{ kind: 'problem', error: e, index } satisfies McpNode] },
  };
}

/** A problem in `.rusty/policy.json` or the rusty.mcp.rules / trustedServers settings (the message names its entry). */
export function policyProblemItem(message: string, index: number, openCommand: string): ItemData {
  return {
    id: `policyProblem:${index}`,
    label: message,
    description: 'policy',
    tooltip: md(message),
    icon: { id: 'error', color: 'list.errorForeground' },
    contextValue: 'mcpProblem',
    collapsible: 'none',
    command: { command: openCommand, title: 'Open', arguments: [{ kind: 'policyProblem', message, index } satisfies McpNode] },
  };
}

export function messageItem(n: Extract<McpNode, { kind: 'message' }>, index: number): ItemData {
  return {
    id: `message:${n.server ?? ''}:${index}`,
    label: n.text,
    ...(n.tooltip ? { tooltip: n.tooltip } : {}),
    icon: { id: n.icon, ...(n.color ? { color: n.color } : {}) },
    contextValue: 'mcpMessage',
    collapsible: 'none',
  };
}
