// Rusty's approval gateway (MCP server for outside agents): see gateway.ts.
export { Gateway, GATEWAY_NAME, DECIDED, type GatewayOptions, type GatewayToolProvider } from './gateway';
export { ClientRegistry, CLIENT_SCOPES, type ClientScope, type GatewayClient, type AuthenticatedClient } from './clients';
export { loadGatewayPolicy, PROPOSAL_CLASSES, WORKSPACE_AUTO_APPROVABLE, type GatewayPolicy } from './policy';
export { GatewayPaths } from './paths';
export { serveStdio, startHttpGateway, TOKEN_ENV, type HttpGateway } from './transports';
export { createGatewayServer } from './tools';
export { connectInProcess, type InProcessGatewayClient } from './inProcess';
export { agentConfig, mergeAgentConfig, AGENTS, type AgentKind, type AgentConfig } from './agentConfigs';
