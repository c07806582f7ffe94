// Roo Code's workspace `.roo/mcp.json`: the same `{ mcpServers }` shape as Cline's settings
// (`disabled`, `timeout` in seconds, `type`, `alwaysAllow` — ignored, Rusty's gate decides).
import type { McpConfigSource } from '../types';
import { workspaceLocations } from './locations';
import {
  configError, describeType, emptyResult, isPlainObject, readJsonFile, readServerMap,
  type ReaderContext, type SourceResult,
} from './files';

/** Cline/Roo documents: `mcpServers` with `timeout` in seconds and VS Code-style variables. */
export function readVsCodeExtensionDocument(doc: unknown, source: McpConfigSource): SourceResult {
  if (!isPlainObject(doc)) {
    return { ...emptyResult(), errors: [configError(source, '', `expected an object with "mcpServers", found ${describeType(doc)}`)] };
  }
  return readServerMap(doc.mcpServers, 'mcpServers', source, { dialect: 'vscode', timeoutInSeconds: true });
}

export async function readRoo(ctx: ReaderContext): Promise<SourceResult> {
  const file = workspaceLocations(ctx.workspace).roo;
  const source = { kind: 'roo' as const, file };
  const read = await readJsonFile(file, source);
  if (read.kind === 'missing') return emptyResult();
  if (read.kind === 'error') return { ...emptyResult(), errors: [read.error] };
  return readVsCodeExtensionDocument(read.value, source);
}
