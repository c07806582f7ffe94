// The gateway status bar item's menu, by state (vscode-free so it is tested directly): stopped →
// start or connect; running → connect, the refused submissions when there are any, copy the URL, stop.

export type GatewayMenuId = 'start' | 'connect' | 'dead' | 'copy' | 'stop';
export interface GatewayMenuItem { id: GatewayMenuId; label: string; description?: string }
export type GatewayMenuState = { running: false } | { running: true; url: string; queued: number; dead: number };

export function gatewayMenuItems(s: GatewayMenuState): GatewayMenuItem[] {
  if (!s.running) {
    return [
      { id: 'start', label: '$(play) Start Agent Gateway', description: 'MCP server for other agents on 127.0.0.1' },
      { id: 'connect', label: '$(plug) Connect an Agent…', description: 'starts the gateway too' },
    ];
  }
  return [
    { id: 'connect', label: '$(plug) Connect an Agent…' },
    ...(s.dead ? [{ id: 'dead' as const, label: `$(warning) Show Refused Submissions (${s.dead})`, description: 'in the Rusty approvals sidebar' }] : []),
    { id: 'copy', label: '$(copy) Copy Gateway URL', description: s.url },
    { id: 'stop', label: '$(debug-stop) Stop Agent Gateway', ...(s.queued ? { description: `${s.queued} queued submission${s.queued === 1 ? '' : 's'} wait in the state folder` } : {}) },
  ];
}

export function gatewayMenuTitle(s: GatewayMenuState): string {
  return s.running ? `Rusty agent gateway — ${s.url}` : 'Rusty agent gateway (stopped)';
}
