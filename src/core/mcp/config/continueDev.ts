// Continue's `.continue/mcpServers/*.yaml|*.yml|*.json`. A YAML block lists servers as an array
// (`mcpServers: [ { name, command, args, env, type, url, cwd, requestOptions } ]`); a JSON file
// there may instead be a Claude-style `{ "mcpServers": { name: entry } }` copied from another tool.
// `${{ secrets.NAME }}` is read from the environment (see expand.ts).
import * as path from 'node:path';
import type { McpConfigSource } from '../types';
import { readClaudeDocument } from './claude';
import { workspaceLocations } from './locations';
import {
  configError, describeType, emptyResult, isPlainObject, isYamlFile, joinPath, listDir, mergeResults,
  readJsonFile, readYamlFile, type ReaderContext, type SourceResult,
} from './files';

export async function readContinue(ctx: ReaderContext): Promise<SourceResult> {
  const dir = workspaceLocations(ctx.workspace).continueDir;
  const files = (await listDir(dir)).filter((f) => isYamlFile(f) || /\.json$/i.test(f));
  const results = await Promise.all(files.map(async (name) => {
    const file = path.join(dir, name);
    const source: McpConfigSource = { kind: 'continue', file };
    const read = isYamlFile(file) ? await readYamlFile(file, source) : await readJsonFile(file, source);
    if (read.kind === 'missing') return emptyResult();
    if (read.kind === 'error') return { ...emptyResult(), errors: [read.error] };
    return readContinueDocument(read.value, source);
  }));
  return mergeResults(results);
}

/** A parsed Continue file: an `mcpServers` array (block) or a Claude-style map. */
export function readContinueDocument(doc: unknown, source: McpConfigSource): SourceResult {
  if (!isPlainObject(doc)) {
    return { ...emptyResult(), errors: [configError(source, '', `expected a Continue block with "mcpServers", found ${describeType(doc)}`)] };
  }
  if (isPlainObject(doc.mcpServers)) return readClaudeDocument(doc, source);
  // A block without servers (models, rules…) is simply not ours.
  if (doc.mcpServers === undefined || doc.mcpServers === null) return emptyResult();
  if (!Array.isArray(doc.mcpServers)) {
    return { ...emptyResult(), errors: [configError(source, 'mcpServers', `"mcpServers" must be a list of servers (each with "name" and "command" or "url"), found ${describeType(doc.mcpServers)}`)] };
  }
  const result = emptyResult();
  doc.mcpServers.forEach((item: unknown, i) => {
    const at = joinPath('mcpServers', i);
    const name = isPlainObject(item) ? item.name : undefined;
    if (typeof name !== 'string' || name.trim() === '') {
      result.errors.push(configError(source, joinPath(at, 'name'), `server ${i + 1} in "mcpServers" needs a "name" (a non-empty string)`));
      return;
    }
    result.entries.push({ name, value: item, source, path: at, dialect: 'vscode' });
  });
  return result;
}
