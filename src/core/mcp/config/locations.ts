// Where each tool keeps its MCP configuration. User-level files live under `home` so tests can point
// everything at a temp folder; the OS conventions (APPDATA, XDG_CONFIG_HOME) are honoured only for
// the real home, where they mean something.
import * as path from 'node:path';

export interface LocationContext {
  home: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** True when `home` is the real user home, so APPDATA / XDG_CONFIG_HOME apply. */
  realHome: boolean;
}

/** Per-user application data: ~/Library/Application Support, %APPDATA%, ~/.config. */
export function userDataDir(ctx: LocationContext): string {
  // The layout follows `platform`; the separators follow the host (`home` is a host path).
  if (ctx.platform === 'darwin') return path.join(ctx.home, 'Library', 'Application Support');
  if (ctx.platform === 'win32') {
    return ctx.realHome && ctx.env.APPDATA ? ctx.env.APPDATA : path.join(ctx.home, 'AppData', 'Roaming');
  }
  return ctx.realHome && ctx.env.XDG_CONFIG_HOME ? ctx.env.XDG_CONFIG_HOME : path.join(ctx.home, '.config');
}

/** Claude Desktop's `claude_desktop_config.json` (Linux builds are unofficial but use ~/.config/Claude). */
export function claudeDesktopConfig(ctx: LocationContext): string {
  return path.join(userDataDir(ctx), 'Claude', 'claude_desktop_config.json');
}

/** Claude Code's user file: top-level `mcpServers` (user scope) and `projects[<dir>].mcpServers` (local scope). */
export function claudeCodeUserConfig(ctx: LocationContext): string {
  return path.join(ctx.home, '.claude.json');
}

/** VS Code flavours whose globalStorage may hold Cline's settings; the first file found is used. */
export const VSCODE_FLAVOURS = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'] as const;

export function clineSettingsCandidates(ctx: LocationContext): string[] {
  return VSCODE_FLAVOURS.map((flavour) =>
    path.join(userDataDir(ctx), flavour, 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'));
}

export interface WorkspaceLocations {
  vscodeSettings: string;
  vscodeMcpJson: string;
  claudeProject: string;
  roo: string;
  continueDir: string;
}

export function workspaceLocations(workspace: string): WorkspaceLocations {
  return {
    vscodeSettings: path.join(workspace, '.vscode', 'settings.json'),
    vscodeMcpJson: path.join(workspace, '.vscode', 'mcp.json'),
    claudeProject: path.join(workspace, '.mcp.json'),
    roo: path.join(workspace, '.roo', 'mcp.json'),
    continueDir: path.join(workspace, '.continue', 'mcpServers'),
  };
}
