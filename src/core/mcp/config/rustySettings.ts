// Rusty's own `rusty.mcp.servers` setting (name → entry in VS Code's mcp.json entry format, plus
// `trusted`, `timeoutMs`, `maxTotalTimeoutMs`, `disabled`). The extension passes the setting's value;
// the CLI has no VS Code, so it reads the workspace's `.vscode/settings.json` (JSONC) itself.
import type { McpConfigSource } from '../types';
import { workspaceLocations } from './locations';
import { emptyResult, isPlainObject, readJsonFile, readServerMap, type ReaderContext, type SourceResult } from './files';

export const SETTINGS_KEY = 'rusty.mcp.servers';

export async function readRustySettings(ctx: ReaderContext, settingsServers: unknown): Promise<SourceResult> {
  if (settingsServers !== undefined) {
    return readServerMap(settingsServers, SETTINGS_KEY, { kind: 'rusty-settings' }, { dialect: 'vscode' });
  }
  const file = workspaceLocations(ctx.workspace).vscodeSettings;
  const source: McpConfigSource = { kind: 'rusty-settings', file };
  const read = await readJsonFile(file, source);
  if (read.kind === 'missing') return emptyResult();
  if (read.kind === 'error') return { ...emptyResult(), errors: [read.error] };
  if (!isPlainObject(read.value)) return emptyResult();
  return readServerMap(read.value[SETTINGS_KEY], SETTINGS_KEY, source, { dialect: 'vscode' });
}
