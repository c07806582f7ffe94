// The MCP audit trail: a background, batched writer over the workspace audit log, and the
// builders of its `mcp.decision`, `mcp.call`, `mcp.grant` and `mcp.revoke` entries.
export { McpAuditSink } from './sink';
export type { McpAuditAction, McpAuditDetails, McpAuditSinkOptions } from './sink';
export {
  ServerSecrets, captureArgs, decisionDetails, callDetails, grantDetails, revokeDetails, MAX_AUDITED_ARGS_BYTES,
} from './entries';
export type { CapturedArgs, CallOutcome, DecisionSource } from './entries';
