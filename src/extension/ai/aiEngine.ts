// Entry point of dist/ai.js: the AI runtime (providers with their SDKs, prices, router, budgets,
// metrics), the agent loop, and VS Code's language models as a provider. Built as its own CommonJS
// bundle and loaded with require() on first use (./loadAi.ts), so activation never parses the
// SDKs. Everything AI lives here, so AiError and RustyError are one class each for the router and
// the agent; the activation bundle reads errors from here by shape (./aiErrors.ts).
import type { Secrets } from '../../core/ports/secrets';
import { configuredProviders } from '../../core/ai/providers';
import type { ConfiguredLike } from '../../core/ai/router/catalog';
import type { ProviderId } from '../../core/ai/types';
import { VscodeLmProvider } from './vscodeLmProvider';

export { preferFirst, runAsk, taskText, type RunAskOptions, type RunAskResult } from './askFlow';
export { AiRuntime } from '../../core/ai/runtime';
export { aiSamplingModel } from '../../core/ai/sampling';
export { VscodeLmProvider } from './vscodeLmProvider';

/**
 * A model is there to answer: VS Code offers a language model, or a vendor key is stored / set in
 * the environment, or an OpenAI-compatible base URL is set. Nothing is sent; local servers are not
 * probed (that would delay the MCP servers' start).
 */
export async function modelProviderConfigured(o: { secrets: Secrets; settings: Readonly<Record<string, unknown>>; onWarning?: (m: string) => void }): Promise<boolean> {
  const { providers, warnings } = await configuredProviders({ secrets: o.secrets, settings: o.settings, probeLocal: false });
  warnings.forEach((w) => o.onWarning?.(w));
  if (providers.length) return true;
  try {
    return (await new VscodeLmProvider().listModels()).length > 0;
  } catch {
    return false;
  }
}

export type { ProviderId };

/** VS Code's language models, listed first: the default inside VS Code when one is available. */
export function vscodeLmEntry(): ConfiguredLike {
  return { id: 'vscode-lm', name: 'vscode-lm', provider: new VscodeLmProvider(), local: true };
}

export { planTestFill, fillProgressLine, type TestFill } from './testFillFlow';
export { planDebugFix, debugFixProgressLine, type DebugFix, type DebugFixResult } from './debugFixFlow';
