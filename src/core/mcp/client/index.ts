export { McpClientManager, type McpClientManagerOptions } from './manager';
export { killTrackedChildren, trackedChildCount } from './processCleanup';
export { resolveCommand, type ResolvedCommand } from './transports/commandResolution';
export { isRetrySafeTool, backoffDelay } from './retry';
