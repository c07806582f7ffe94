// Claude-style `{ "mcpServers": { name: { command, args, env } | { type, url, headers } } }`: the
// workspace's `.mcp.json` (Claude Code project scope), `~/.claude.json` (user scope at the top level,
// local scope under `projects[<workspace>]`) and Claude Desktop's `claude_desktop_config.json`.
// Claude expands bare `${VAR}` / `${VAR:-default}`, so these files use the `claude` dialect.
import * as path from 'node:path';
import type { McpConfigSource } from '../types';
import { claudeCodeUserConfig, claudeDesktopConfig, workspaceLocations } from './locations';
import {
  configError, describeType, emptyResult, isPlainObject, mergeResults, readJsonFile, readServerMap,
  type ReaderContext, type SourceResult,
} from './files';

/** A parsed `{ mcpServers: {...} }` document (also used for Continue's JSON files and --config). */
export function readClaudeDocument(doc: unknown, source: McpConfigSource, prefix = ''): SourceResult {
  const at = prefix === '' ? 'mcpServers' : `${prefix}.mcpServers`;
  if (!isPlainObject(doc)) {
    return { ...emptyResult(), errors: [configError(source, prefix, `expected an object with "mcpServers", found ${describeType(doc)}`)] };
  }
  return readServerMap(doc.mcpServers, at, source, { dialect: 'claude' });
}

/** Sources in Claude Code's own precedence (local > project > user), then Claude Desktop. */
export async function readClaude(ctx: ReaderContext): Promise<SourceResult> {
  const userFile = claudeCodeUserConfig(ctx);
  const projectFile = workspaceLocations(ctx.workspace).claudeProject;
  const desktopFile = claudeDesktopConfig(ctx);
  const [user, project, desktop] = await Promise.all([
    readJsonFile(userFile, { kind: 'claude', file: userFile }),
    readJsonFile(projectFile, { kind: 'claude', file: projectFile }),
    readJsonFile(desktopFile, { kind: 'claude', file: desktopFile }),
  ]);
  const results: SourceResult[] = [];
  const userSource: McpConfigSource = { kind: 'claude', file: userFile };
  if (user.kind === 'ok') results.push(readClaudeLocalScope(user.value, userSource, ctx.workspace, ctx.platform));
  for (const [read, file] of [[project, projectFile], [user, userFile], [desktop, desktopFile]] as const) {
    if (read.kind === 'error') results.push({ ...emptyResult(), errors: [read.error] });
    if (read.kind === 'ok') results.push(readClaudeDocument(read.value, { kind: 'claude', file }));
  }
  return mergeResults(results);
}

/** `~/.claude.json` → `projects["/path/to/workspace"].mcpServers`. */
function readClaudeLocalScope(doc: unknown, source: McpConfigSource, workspace: string, platform: NodeJS.Platform): SourceResult {
  if (!isPlainObject(doc) || !isPlainObject(doc.projects)) return emptyResult();
  // Windows paths compare case-insensitively (Claude Code may also write C:/ with forward slashes).
  const canonical = (dir: string) => (platform === 'win32' ? path.resolve(dir).toLowerCase() : path.resolve(dir));
  const wanted = canonical(workspace);
  const key = Object.keys(doc.projects).find((dir) => canonical(dir) === wanted);
  if (key === undefined) return emptyResult();
  const project = doc.projects[key];
  return isPlainObject(project) ? readServerMap(project.mcpServers, `projects[${JSON.stringify(key)}].mcpServers`, source, { dialect: 'claude' }) : emptyResult();
}
