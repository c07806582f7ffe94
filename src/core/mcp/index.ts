// Public face of Rusty's MCP client: the facade front ends use (McpService) and the vocabulary
// it speaks. The parts behind it (config readers, client manager, gate, search, audit sink) are
// exported for the VS Code front end and tests that need them directly.
export * from './types';
export { McpService, mcpStatePaths, askRefusedMessage, closeNames } from './service';
export type { McpServiceOptions, McpServiceSettings } from './service';
export { loadMcpConfig, secretInputResolver } from './config';
export type { McpConfigLoadOptions } from './config';
export { loadPolicy, GrantStore, PermissionGate } from './policy';
export type { McpUserPolicy } from './policy';
export { ToolIndex } from './search';
export { McpClientManager } from './client';
export type { McpClientManagerOptions } from './client';
export { McpAuditSink } from './audit';
export type { McpAuditAction } from './audit';
