// The AI agent: a loop whose every write is a proposal (see loop.ts, ask.ts).
export { ask, saveTranscript, TRANSCRIPT_DIR, type AskOptions, type AskResult, type AskCandidate } from './ask';
export { runAgent, editsToChangeSet, type AgentOptions, type AgentRun, type AgentEvent, type ChangeValidator, type AttemptVerdict } from './loop';
export { pipelineValidator } from './validate';
export { parseEdits, applyBlocks, closestLines, type EditBlock } from './edits';
export { SCORE_FORMULA, scoreOf, factsOf, type CandidateFacts } from './score';
export { threadNotes, type ThreadNote } from './thread';
export { EDIT_FORMAT, systemPrompt } from './prompt';
export { BUILTIN_TOOLS, type AgentTool, type McpToolBridge } from './tools';
