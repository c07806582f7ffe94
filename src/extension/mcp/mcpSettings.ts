// `rusty.mcp.*` settings as the MCP service is created with them. Pure: the caller passes a getter
// (VS Code's WorkspaceConfiguration.get), so the parsing is unit-tested in Node. The values are
// passed through loosely typed where the core validates them (server entries get precise errors
// there); malformed rules and globs are dropped here with a note for the log.
import type { McpConfigSourceKind, PolicyDecisionKind, PolicyRule } from '../../core/mcp/types';
import type { SettingGetter } from '../workspace/settings';

/** The outside configs Rusty can import (the `rusty.mcp.importFrom` enum, all by default). */
export const IMPORT_SOURCES: readonly McpConfigSourceKind[] = ['claude', 'cline', 'roo', 'continue', 'vscode-mcp-json'];

/** Settings whose change means the MCP service must read its configuration again. */
export const MCP_SETTING_KEYS = ['rusty.mcp.servers', 'rusty.mcp.trustedServers', 'rusty.mcp.rules', 'rusty.mcp.importFrom'] as const;

export interface McpSettings {
  servers?: unknown;
  trustedServers: string[];
  rules: PolicyRule[];
  importFrom: McpConfigSourceKind[];
  /** One line per ignored value, for the log. */
  problems: string[];
}

const DECISIONS: readonly PolicyDecisionKind[] = ['allow', 'ask', 'deny'];

function isRule(v: unknown): v is PolicyRule {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return typeof r.server === 'string' && r.server !== '' && typeof r.tool === 'string' && r.tool !== ''
    && DECISIONS.includes(r.decision as PolicyDecisionKind);
}

/** `get` reads keys relative to the `rusty` section (e.g. 'mcp.rules'). */
export function readMcpSettings(get: SettingGetter): McpSettings {
  const problems: string[] = [];
  const servers = get('mcp.servers');

  const trustedRaw = get('mcp.trustedServers');
  const trustedServers: string[] = [];
  if (Array.isArray(trustedRaw)) {
    trustedRaw.forEach((g, i) => {
      if (typeof g === 'string' && g.trim()) trustedServers.push(g.trim());
      else problems.push(`rusty.mcp.trustedServers[${i}] is ignored: expected a server name or glob such as "github-*", got ${JSON.stringify(g)}.`);
    });
  } else if (trustedRaw !== undefined) {
    problems.push(`rusty.mcp.trustedServers is ignored: expected an array of server names or globs, got ${JSON.stringify(trustedRaw)}.`);
  }

  const rulesRaw = get('mcp.rules');
  const rules: PolicyRule[] = [];
  if (Array.isArray(rulesRaw)) {
    rulesRaw.forEach((r, i) => {
      if (isRule(r)) rules.push({ server: r.server, tool: r.tool, decision: r.decision });
      else problems.push(`rusty.mcp.rules[${i}] is ignored: expected {"server": "<glob>", "tool": "<glob>", "decision": "allow" | "ask" | "deny"}, got ${JSON.stringify(r)}.`);
    });
  } else if (rulesRaw !== undefined) {
    problems.push(`rusty.mcp.rules is ignored: expected an array of {server, tool, decision} rules, got ${JSON.stringify(rulesRaw)}.`);
  }

  const importRaw = get('mcp.importFrom');
  let importFrom = [...IMPORT_SOURCES];
  if (Array.isArray(importRaw)) {
    importFrom = [];
    importRaw.forEach((k, i) => {
      if (IMPORT_SOURCES.includes(k as McpConfigSourceKind)) importFrom.push(k as McpConfigSourceKind);
      else problems.push(`rusty.mcp.importFrom[${i}] is ignored: ${JSON.stringify(k)} is not one of ${IMPORT_SOURCES.join(', ')}.`);
    });
  } else if (importRaw !== undefined) {
    problems.push(`rusty.mcp.importFrom is ignored: expected an array of ${IMPORT_SOURCES.join(', ')}; importing from all of them.`);
  }

  return { ...(servers !== undefined ? { servers } : {}), trustedServers, rules, importFrom, problems };
}
