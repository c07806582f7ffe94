// Loads dist/mcp.js (the MCP SDK, config readers, gate) on first use.
import type * as McpEngineModule from './mcpEngine';
import { lazyBundle } from '../workspace/lazyBundle';

export type McpEngine = typeof McpEngineModule;

export const loadMcp = lazyBundle<McpEngine>('mcp.js', 'MCP', 'MCP servers cannot be used');
