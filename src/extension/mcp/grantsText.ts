// How a grant is listed: `everything / echo`, `for 12 more minutes`, `this session`, … Pure.
import type { McpGrant } from '../../core/mcp/types';

export function grantScopeText(g: McpGrant, now: Date): string {
  switch (g.scope) {
    case 'once': return 'once (the next call)';
    case 'session': return 'this session (until VS Code closes)';
    case 'always': return 'always';
    case 'timed': {
      if (!g.expiresAt) return 'timed';
      const ms = Date.parse(g.expiresAt) - now.getTime();
      if (ms <= 0) return 'expired';
      const min = Math.ceil(ms / 60_000);
      return min >= 120 ? `for ${Math.round(min / 60)} more hours` : `for ${min} more minute${min === 1 ? '' : 's'}`;
    }
  }
}

export function grantLabel(g: McpGrant): string {
  return `${g.server} / ${g.tool}`;
}

export function grantDetail(g: McpGrant): string {
  return `granted ${g.createdAt}${g.expiresAt ? ` · expires ${g.expiresAt}` : ''} · id ${g.id}`;
}
