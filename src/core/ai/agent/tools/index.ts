// The agent's built-in tools, all read-only (run_command only runs allowlisted commands).
import { analysisSummaryTool } from './analysisSummary';
import { listFilesTool } from './listFiles';
import { readFileTool } from './readFile';
import { runCommandTool } from './runCommand';
import { searchTextTool } from './searchText';
import { diagnosticsTool, findDefinitionTool, findReferencesTool } from './typescript';
import type { AgentTool } from './types';

export const BUILTIN_TOOLS: readonly AgentTool[] = [
  readFileTool, listFilesTool, searchTextTool, diagnosticsTool, findDefinitionTool, findReferencesTool, analysisSummaryTool, runCommandTool,
];

export { ToolError, capOutput, isSecretFile, type AgentTool, type ToolEnv } from './types';
export { mcpToolTable, callMcpTool, type McpToolBridge, type McpToolTable } from './mcp';
export { toolPath } from './paths';
export { commandArgv } from './runCommand';
