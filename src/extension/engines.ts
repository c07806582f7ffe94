// Entry point of dist/engines.js: the embedded proposal engines (organize imports on ts-morph and
// its TypeScript, the workspace file lister). Built as its own CommonJS bundle and loaded with
// require() on first use (see workspace/loadEngines.ts), so activation never parses ts-morph.
// Must not import 'vscode': it runs on the core's types only.
import type * as TsMorphModule from 'ts-morph';
export { reviewWorkspace, type ReviewResult } from '../core/review';
export { computeImpact } from '../core/impact';
// The project's TypeScript 7 (native, through its API; loaded from the workspace, never bundled).
export { impactOnEngine } from '../core/tsEngine/impact';
export { reportWithDiagnostics } from '../core/tsEngine/analysis';
export { TsEngines } from '../core/tsEngine';
export { ENGINES, extractFunctionChoices, extractFunctionScopes, proposeRefactoring, REFACTORINGS, type RefactoringName, type RefactoringParams } from '../core/refactorings/registry';
// The workspace analysis behind "Analyze Workspace" and the suggestion CodeLenses (kept alive for
// incremental updates), and TypeScript itself (code-fix support, parsing a hot spot's body).
export { AnalysisSession } from '../core/analysis/session';
export { loadTsMorph } from '../core/util/loadTsMorph';
// Test generation and debugging from a stack trace ("Rusty: Generate Tests", "Debug Stack Trace…").
export { generateTests, runGeneratedTest, unsavedOverlay } from '../core/testgen';
export { analyzeTrace, failingTestOf, runTestWithFix } from '../core/debug';
export { createEngineContext, workspaceReader } from '../core/engine/context';

// ts-morph and its TypeScript for dist/ai.js: the agent's type checks and analysis use these copies
// (scripts/esbuild-options.mjs tsMorphFromEngines). Required on call, so loading stays lazy.
/* eslint-disable @typescript-eslint/no-require-imports */
export function tsMorph(): typeof TsMorphModule {
  return require('ts-morph') as typeof TsMorphModule;
}
export function tsMorphCommon(): unknown {
  return require('@ts-morph/common');
}
export function typescript(): unknown {
  return require('@ts-morph/common/dist/typescript.js');
}
/* eslint-enable @typescript-eslint/no-require-imports */
