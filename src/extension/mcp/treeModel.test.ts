import { describe, expect, it } from 'vitest';
import type { McpConfigError, McpServerState, McpToolInfo } from '../../core/mcp/types';
import { annotationWords, groupItem, md, problemItem, serverItem, sourceLabel, toolItem } from './treeModel';

function state(over: Partial<McpServerState>): McpServerState {
  return { name: 'everything', status: 'connected', transport: 'stdio', stderrTail: [], restarts: 0, toolCount: 13, resourceCount: 7, promptCount: 3, ...over };
}

describe('serverItem', () => {
  it('connected: green check, status · transport · tools, menus for a connected server', () => {
    const item = serverItem(state({ pid: 42, serverInfo: { name: 'mcp-servers/everything', version: '2.0.0' } }));
    expect(item).toMatchObject({
      id: 'server:everything', label: 'everything', description: 'connected · stdio · 13 tools',
      icon: { id: 'pass-filled', color: 'testing.iconPassed' }, contextValue: 'mcpServer.connected', collapsible: 'collapsed',
    });
    expect(item.tooltip).toContain('Process: 42');
  });

  it('failed / degraded carry a theme colour; the tooltip holds the last error and stderr tail, fenced', () => {
    const failed = serverItem(state({ status: 'failed', lastError: 'spawn nope ENOENT', stderrTail: ['line 1', 'has ``` ticks'] }));
    expect(failed.icon).toEqual({ id: 'error', color: 'list.errorForeground' });
    expect(failed.description).toBe('failed · stdio');
    expect(failed.tooltip).toContain('**Last error**');
    expect(failed.tooltip).toContain('spawn nope ENOENT');
    expect(failed.tooltip).toContain('````text\nline 1\nhas ``` ticks\n````');
    expect(serverItem(state({ status: 'degraded' })).icon).toEqual({ id: 'warning', color: 'list.warningForeground' });
    expect(serverItem(state({ status: 'stopped' })).contextValue).toBe('mcpServer.stopped');
  });

  it('names the fallback transport that actually connected', () => {
    expect(serverItem(state({ transport: 'http', connectedVia: 'sse' })).description).toBe('connected · http→sse · 13 tools');
  });
});

describe('toolItem', () => {
  const tool: McpToolInfo = {
    server: 'everything', name: 'delete_all', description: 'Deletes everything.\nReally.', inputSchema: { type: 'object' },
    annotations: { destructiveHint: true, openWorldHint: true },
  };

  it('shows the hints and the first description line; destructive tools get a warning icon', () => {
    const item = toolItem(tool);
    expect(item).toMatchObject({ id: 'tool:everything:delete_all', label: 'delete_all', description: '[destructive, open-world] Deletes everything.', contextValue: 'mcpTool' });
    expect(item.icon).toEqual({ id: 'warning' });
    expect(item.tooltip).toContain('**Input schema**');
  });

  it('escapes Markdown from servers', () => {
    expect(md('[x](javascript:alert)')).toBe('\\[x\\]\\(javascript:alert\\)');
    expect(toolItem({ ...tool, description: '<img src=x>' }).tooltip).toContain('\\<img src=x\\>');
  });

  it('annotationWords lists only what is set', () => {
    expect(annotationWords(undefined)).toEqual([]);
    expect(annotationWords({ readOnlyHint: true, idempotentHint: true, destructiveHint: false })).toEqual(['read-only', 'idempotent']);
  });
});

describe('groups and problems', () => {
  it('an empty group cannot expand', () => {
    expect(groupItem('s', 'prompts', 0).collapsible).toBe('none');
    expect(groupItem('s', 'tools', 2)).toMatchObject({ label: 'Tools', description: '2', collapsible: 'collapsed' });
  });

  it('a config problem names its file (relative to the workspace) and path, and opens it on click', () => {
    const e: McpConfigError = { source: { kind: 'vscode-mcp-json', file: '/ws/.vscode/mcp.json' }, server: 'broken', path: 'servers.broken', message: 'needs "command"' };
    const item = problemItem(e, 0, 'rusty.mcp.openConfigProblem', '/ws');
    expect(item).toMatchObject({ label: 'broken: needs "command"', description: '.vscode/mcp.json · servers.broken', command: { command: 'rusty.mcp.openConfigProblem' } });
    expect(item.command?.arguments).toEqual([{ kind: 'problem', error: e, index: 0 }]);
    expect(sourceLabel({ ...e, source: { kind: 'claude', file: '/home/u/.claude.json' } }, '/ws')).toBe('/home/u/.claude.json');
    expect(sourceLabel({ ...e, source: { kind: 'rusty-settings' } })).toBe('settings (rusty.mcp.servers)');
  });
});
