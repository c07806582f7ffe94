// Entry point of dist/ai.js: the AI runtime (providers with their SDKs, prices, router, budgets,
// metrics), the agent loop, and VS Code's language models as a provider. Built as its own CommonJS
// bundle and loaded with require() on first use (./loadAi.ts), so activation never parses the
// SDKs. Everything AI lives here, so AiError and RustyError are one class each for the router and
// the agent; the activation bundle reads errors from here by shape (./aiErrors.ts).
import type { ConfiguredLike } from '../../core/ai/router/catalog';
import { VscodeLmProvider } from './vscodeLmProvider';

export { runAsk, taskText, type RunAskOptions, type RunAskResult } from './askFlow';
export { AiRuntime } from '../../core/ai/runtime';
export { VscodeLmProvider } from './vscodeLmProvider';

/** VS Code's language models, listed first: the default inside VS Code when one is available. */
export function vscodeLmEntry(): ConfiguredLike {
  return { id: 'vscode-lm', name: 'vscode-lm', provider: new VscodeLmProvider(), local: true };
}
