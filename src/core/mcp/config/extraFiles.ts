// `rusty mcp --config FILE`: any supported format, recognised by its content — VS Code's
// `{ servers, inputs }`, `{ "rusty.mcp.servers": … }`, a Claude/Cline/Roo `{ mcpServers: {…} }` map or a
// Continue block (`mcpServers: [ … ]`, YAML or JSON). Unlike the auto-discovered files, a missing
// file here is an error: the user named it.
import * as path from 'node:path';
import type { McpConfigSource } from '../types';
import { readContinueDocument } from './continueDev';
import {
  configError, emptyResult, isPlainObject, isYamlFile, mergeResults, readJsonFile, readServerMap,
  readYamlFile, type SourceResult,
} from './files';
import { SETTINGS_KEY } from './rustySettings';
import { readVscodeDocument } from './vscodeMcpJson';

export async function readExtraFiles(files: string[]): Promise<SourceResult> {
  return mergeResults(await Promise.all(files.map((f) => readExtraFile(path.resolve(f)))));
}

async function readExtraFile(file: string): Promise<SourceResult> {
  const source: McpConfigSource = { kind: 'cli-config', file };
  const read = isYamlFile(file) ? await readYamlFile(file, source) : await readJsonFile(file, source);
  if (read.kind === 'missing') return { ...emptyResult(), errors: [configError(source, '', `config file ${file} does not exist; check the --config path`)] };
  if (read.kind === 'error') return { ...emptyResult(), errors: [read.error] };
  return readDetected(read.value, source);
}

export function readDetected(doc: unknown, source: McpConfigSource): SourceResult {
  if (isPlainObject(doc)) {
    if ('servers' in doc) return readVscodeDocument(doc, source);
    if (SETTINGS_KEY in doc) return readServerMap(doc[SETTINGS_KEY], SETTINGS_KEY, source, { dialect: 'vscode' });
    if (Array.isArray(doc.mcpServers)) return readContinueDocument(doc, source);
    // Claude, Cline and Roo share this shape; only Cline/Roo have `timeout`, and it is in seconds.
    if ('mcpServers' in doc) return readServerMap(doc.mcpServers, 'mcpServers', source, { dialect: 'claude', timeoutInSeconds: true });
  }
  return {
    ...emptyResult(),
    errors: [configError(source, '', 'not a recognised MCP config: expected "servers" (VS Code mcp.json), "mcpServers" (Claude, Cline, Roo, Continue) or "rusty.mcp.servers" at the top level')],
  };
}
