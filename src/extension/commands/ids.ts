// Every command Rusty contributes, in one place. package.json "contributes.commands" must list
// exactly these (a unit test checks it), so a typo cannot hide a command.

export const Commands = {
  reviewWorkspace: 'rusty.reviewWorkspace',
  proposeOrganizeImportsFile: 'rusty.proposeOrganizeImportsFile',
  proposeOrganizeImportsWorkspace: 'rusty.proposeOrganizeImportsWorkspace',
  showApprovals: 'rusty.showApprovals',
  reviewProposal: 'rusty.reviewProposal',
  approve: 'rusty.approve',
  reject: 'rusty.reject',
  rollback: 'rusty.rollback',
  redo: 'rusty.redo',
  openAuditLog: 'rusty.openAuditLog',
  verifyAuditLog: 'rusty.verifyAuditLog',
  recover: 'rusty.recover',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The MCP commands (registered by src/extension/mcp/commands.ts, contributed like the others). */
export const McpCommands = {
  mcpRefresh: 'rusty.mcp.refresh',
  mcpStart: 'rusty.mcp.start',
  mcpStop: 'rusty.mcp.stop',
  mcpRestart: 'rusty.mcp.restart',
  mcpShowLog: 'rusty.mcp.showLog',
  mcpCallTool: 'rusty.mcp.callTool',
  mcpShowGrants: 'rusty.mcp.showGrants',
  mcpAddServer: 'rusty.mcp.addServer',
  mcpForgetInputs: 'rusty.mcp.forgetInputs',
  mcpOpenConfigProblem: 'rusty.mcp.openConfigProblem',
  mcpSignIn: 'rusty.mcp.signIn',
  mcpSignOut: 'rusty.mcp.signOut',
  mcpSetLogLevel: 'rusty.mcp.setLogLevel',
} as const;

export type McpCommandId = (typeof McpCommands)[keyof typeof McpCommands];

/** The AI commands (registered by src/extension/ai/commands.ts, contributed like the others). */
export const AiCommands = {
  ask: 'rusty.ai.ask',
  setApiKey: 'rusty.ai.setApiKey',
  clearApiKey: 'rusty.ai.clearApiKey',
  refreshStats: 'rusty.ai.refreshStats',
} as const;

export type AiCommandId = (typeof AiCommands)[keyof typeof AiCommands];

/** The agent gateway commands (registered by src/extension/gateway/commands.ts, contributed like the others). */
export const GatewayCommands = {
  start: 'rusty.gateway.start',
  stop: 'rusty.gateway.stop',
  connectAgent: 'rusty.gateway.connectAgent',
} as const;

export type GatewayCommandId = (typeof GatewayCommands)[keyof typeof GatewayCommands];

/** Analysis and refactoring commands (registered by src/extension/suggestions/register.ts, contributed like the others). */
export const RefactorCommands = {
  analyzeWorkspace: 'rusty.analyzeWorkspace',
  proposeRename: 'rusty.proposeRename',
  proposeExtractFunction: 'rusty.proposeExtractFunction',
  proposeInlineVariable: 'rusty.proposeInlineVariable',
  proposeMoveFile: 'rusty.proposeMoveFile',
  proposeFixAll: 'rusty.proposeFixAll',
  proposeRemoveUnusedExport: 'rusty.proposeRemoveUnusedExport',
} as const;

export type RefactorCommandId = (typeof RefactorCommands)[keyof typeof RefactorCommands];

/** GitHub commands (registered by src/extension/github/commands.ts, contributed like the others). */
export const GitHubCommands = {
  openPullRequest: 'rusty.github.openPullRequest',
} as const;

/** Test generation and debugging (registered by src/extension/testgen and src/extension/debug, contributed like the others). */
export const TestDebugCommands = {
  generateTests: 'rusty.generateTests',
  debugStackTrace: 'rusty.debugStackTrace',
  proposeFixFromDebugger: 'rusty.debug.proposeFix',
} as const;

/** Views and panels Rusty contributes or creates. */
export const Views = {
  container: 'rusty',
  approvals: 'rusty.approvals',
  reviewPanel: 'rusty.review',
  auditPanel: 'rusty.audit',
  mcpServers: 'rusty.mcpServers',
  findings: 'rusty.findings',
  aiModels: 'rusty.aiModels',
} as const;

/** What a proposal command accepts as its first argument, besides a file Uri (editor / explorer menus). */
export interface ProposalCommandArgs {
  id?: string;
  /** rollback: restore the checkpoint exactly (after a conflict). */
  force?: boolean;
  /** reject: the reason, without asking. */
  reason?: string;
  /** approve: only these files (paths as in the proposal) … */
  files?: string[];
  /** … and/or only these hunks (ids from the review panel or `rusty show --diff`). */
  hunks?: string[];
}

/** What proposal commands return to a caller (tests, other extensions): the proposal's new status. */
export interface ProposalCommandResult {
  id: string;
  status: string;
}

/** What "Propose: …" and "Review Workspace" return. */
export interface ProposeCommandResult {
  /** New proposals (ids). */
  created: string[];
  /** Proposals that were already queued for the same change. */
  existing: string[];
}
