// The MCP permission gate: policy file + user settings → rules; grants from "ask" answers.
export { loadPolicy, policyFilePath, POLICY_RELATIVE_PATH, loadAiCommandPolicy, DEFAULT_AI_COMMAND_TIMEOUT_MS, type AiCommandPolicy, type CompiledPolicy, type McpUserPolicy } from './load';
export { GrantStore, MAX_GRANT_MINUTES, type GrantStoreOptions, type GrantRequestScope } from './grants';
export { PermissionGate, type PermissionGateOptions, type ApplyAnswerResult } from './gate';
export { writeAllowRule } from './policyFile';
export { ruleSpecificity, patternSpecificity, escapeGlob, type CompiledRule, type RuleOrigin } from './rules';
