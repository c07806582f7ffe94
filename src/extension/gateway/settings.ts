// The gateway's settings (no `vscode` import: contributions.test.ts checks them against package.json).
export const GATEWAY_SETTING_DEFAULTS = {
  'rusty.gateway.autoStart': false,
  'rusty.gateway.port': 7767,
} as const;

export function readGatewaySettings(get: (key: string) => unknown): { autoStart: boolean; port: number } {
  const autoStart = get('rusty.gateway.autoStart');
  const port = get('rusty.gateway.port');
  return {
    autoStart: typeof autoStart === 'boolean' ? autoStart : GATEWAY_SETTING_DEFAULTS['rusty.gateway.autoStart'],
    port: typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : GATEWAY_SETTING_DEFAULTS['rusty.gateway.port'],
  };
}
