// MCP sampling in VS Code: the hooks McpHost gives the MCP service when a model provider is
// configured (VS Code's language models, or a stored / environment API key). A server's
// sampling/createMessage goes through the AI runtime (router, budgets, metrics; dist/ai.js) after
// a modal prompt: Allow Once / Always for This Server / Deny; closing the dialog denies.
import * as vscode from 'vscode';
import type { McpSamplingHooks, SamplingDecision, SamplingSummary } from '../../core/mcp/sampling';
import { StatePaths } from '../../core/state/statePaths';
import type { Secrets } from '../../core/ports/secrets';
import { loadAi } from './loadAi';
import { SAMPLING_ALWAYS, SAMPLING_DENY, SAMPLING_ONCE, samplingPromptText } from './samplingText';

export interface SamplingDeps {
  log: vscode.LogOutputChannel;
  secrets: Secrets;
  /** The flat `rusty.ai.*` settings of the folder. */
  settings: (folder: vscode.WorkspaceFolder) => Record<string, unknown>;
}

export async function approveSampling(summary: SamplingSummary, log: vscode.LogOutputChannel): Promise<SamplingDecision> {
  const { message, detail } = samplingPromptText(summary);
  const pick = await vscode.window.showWarningMessage(message, { modal: true, detail }, SAMPLING_ONCE, SAMPLING_ALWAYS, SAMPLING_DENY);
  if (pick === SAMPLING_ONCE) return 'once';
  if (pick === SAMPLING_ALWAYS) return 'always';
  if (pick === undefined) log.info(`MCP: the sampling prompt for ${summary.server} was dismissed; denied.`);
  return 'deny';
}

/**
 * Sampling hooks for a folder, or undefined when no model provider is configured (then the MCP
 * client does not declare the capability, and a server that asks anyway gets an error saying how
 * to configure one). Decided when the MCP service is created.
 */
export async function samplingHooks(deps: SamplingDeps, folder: vscode.WorkspaceFolder, stateDir: string): Promise<McpSamplingHooks | undefined> {
  const engine = loadAi();
  const settings = deps.settings(folder);
  const warn = (m: string) => deps.log.warn(`AI (MCP sampling): ${m}`);
  if (!(await engine.modelProviderConfigured({ secrets: deps.secrets, settings, onWarning: warn }))) {
    deps.log.info('MCP: no AI model provider is configured, so servers are not offered sampling.');
    return undefined;
  }
  const runtime = new engine.AiRuntime({
    aiDir: new StatePaths(stateDir).ai, secrets: deps.secrets, settings: engine.preferFirst(settings, 'vscode-lm'),
    extra: [engine.vscodeLmEntry()], probeLocal: false, onWarning: warn,
  });
  return { complete: engine.aiSamplingModel(runtime), approve: (summary) => approveSampling(summary, deps.log) };
}
