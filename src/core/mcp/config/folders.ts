// A multi-root window: the configs of every workspace folder. The first folder loads as a single
// workspace does (settings, --config files, user-level files); each other folder adds the servers
// its own files define. Rules: an entry seen again from another folder (same name, same source
// file: a user-level config) is loaded once; a folder's server whose name is taken is named
// `name (folder)`; a stdio server without a cwd runs in its own folder; ${workspaceFolder} is the
// folder that defines the server.
import * as path from 'node:path';
import type { LoadedMcpConfig, McpServerConfig } from '../types';
import { loadMcpConfig, type McpConfigLoadOptions } from './index';

export async function loadMcpConfigFolders(opts: McpConfigLoadOptions, folders: readonly string[]): Promise<LoadedMcpConfig> {
  const first = await loadMcpConfig(opts);
  if (!folders.length) return first;
  // Settings values and --config files belong to the first folder; the others read their own files.
  const perFolder: McpConfigLoadOptions = { ...opts };
  delete perFolder.settingsServers;
  delete perFolder.extraFiles;
  const tag = (s: McpServerConfig, folder: string) => ({ ...s, folder, ...(s.transport === 'stdio' && s.cwd === undefined ? { cwd: folder } : {}) });
  const servers = first.servers.map((s) => tag(s, opts.workspace));
  const errors = [...first.errors];
  const inputs = [...first.inputs];
  const seen = new Set(servers.map(sameEntry));
  const names = new Set(servers.map((s) => s.name));
  const errorKeys = new Set(errors.map((e) => JSON.stringify(e)));
  for (const folder of folders) {
    // The folder's own .vscode/settings.json stands for its rusty.mcp.servers.
    const loaded = await loadMcpConfig({ ...perFolder, workspace: folder });
    for (const s of loaded.servers) {
      if (seen.has(sameEntry(s))) continue;
      seen.add(sameEntry(s));
      const name = uniqueName(s.name, folder, names);
      names.add(name);
      servers.push(tag({ ...s, name }, folder));
    }
    for (const e of loaded.errors) {
      const key = JSON.stringify(e);
      if (!errorKeys.has(key)) errors.push(e);
      errorKeys.add(key);
    }
    for (const i of loaded.inputs) if (!inputs.some((x) => x.id === i.id)) inputs.push(i);
  }
  return { servers, errors, inputs };
}

function sameEntry(s: McpServerConfig): string {
  return JSON.stringify([s.name, s.source.kind, s.source.file ?? '']);
}

function uniqueName(name: string, folder: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const short = `${name} (${path.basename(folder)})`;
  return taken.has(short) ? `${name} (${folder})` : short;
}
