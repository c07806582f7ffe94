// Entry of dist/gateway.js: the agent gateway (MCP server SDK, queue, plans) loaded on first use
// (src/extension/gateway/loadGateway.ts); ts-morph comes from dist/engines.js.
export { Gateway, ClientRegistry, GatewayPaths, startHttpGateway, connectInProcess, agentConfig, mergeAgentConfig, AGENTS } from '../../core/gateway';
export { codeModeGatewayTools } from '../../core/codemode/gatewayTools';
