// Debugging from a stack trace: parse, resolve to the workspace, classify, TypeScript code fixes.
export { parseStack, parseFrameLine, type ParsedTrace, type StackFrame } from './stack';
export { classify, FAILURE_KINDS, type FailureKind } from './classify';
export { analyzeTrace, type DebugReport, type ResolvedFrame } from './analyze';
export { failingTestOf, runTestWithFix, type FailingTest } from './failingTest';
