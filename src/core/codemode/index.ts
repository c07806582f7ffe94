// Code mode: model-written TypeScript run in a QuickJS sandbox whose writes become one proposal,
// typed wrappers for MCP tools, progressive discovery, skills and token metrics.
export { runCode, prewarmSandbox, stopSandboxSpare, resolveLimits, scriptValue, type CodeRunOptions, type CodeRunResult, type CodeModeMcp, type CodeModeSkills, type ToolCallRecord } from './sandbox/runner';
export { DEFAULT_LIMITS, type SandboxLimits, type SandboxErrorKind } from './sandbox/protocol';
export { ChangeCapture } from './changes';
export { LruCache, canonicalJson } from './cache';
export { MemoryScratchStore, FileScratchStore, type ScratchStore } from './state';
export { runMetrics, appendRunMetrics, readRunMetrics, toolSchemasText, type RunMetrics, type MetricsSummary } from './metrics';
export { SkillStore, scriptAsSkill, skillRunnerScript, parseFrontMatter, statsSummary, type SkillInfo, type SkillStats } from './skills/store';
export { generate, generateTs, wrapperModules, generatePy, writeGenerated, watchCodegen, safeName, PY_PACKAGE, type CodegenLang } from './codegen/generate';
export { SANDBOX_API_DTS } from './api';
export { codeModeGatewayTools, type CodeModeGatewayOptions, type CodeModeGatewayTools, type GatewayMcp } from './gatewayTools';
