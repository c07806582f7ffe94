// Loads dist/mcp.js (built next to dist/extension.js) on first use. A plain require of a computed
// path: esbuild leaves it alone, so the MCP SDK stays out of the activation bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RustyError } from '../../core/util/errors';
import type * as McpEngineModule from './mcpEngine';

export type McpEngine = typeof McpEngineModule;

let cached: McpEngine | undefined;

export function mcpBundlePath(): string {
  return path.join(__dirname, 'mcp.js');
}

export function loadMcp(): McpEngine {
  if (cached) return cached;
  const file = mcpBundlePath();
  if (!fs.existsSync(file)) {
    throw new RustyError('io', `Rusty's MCP bundle is missing (${file}), so MCP servers cannot be used. Reinstall the extension, or rebuild it with "npm run build".`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cached = require(file) as McpEngine;
  return cached;
}
