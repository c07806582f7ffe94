// The model's fix for "Debug Stack Trace…" / "Propose a Fix" when TypeScript offers none
// (src/extension/debug/register.ts calls it inside its cancellable notification). The model is
// chosen as Generate Tests chooses it (dist/ai.js, debugFixFlow.ts); `rusty.debug.askModel` or the
// command's `ai` argument decides whether to ask first. No model: undefined, the explanation alone.
import * as vscode from 'vscode';
import type { DebugReport } from '../../core/debug/analyze';
import type { FailingTest } from '../../core/debug/failingTest';
import type { ChangeSet } from '../../core/proposals/changeSet';
import type { RustyCore } from '../../core/rustyCore';
import type { TestRunRecord } from '../../core/testgen/run';
import type { Container } from '../container';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { aiSettings } from './commands';
import type { DebugFix, DebugFixResult } from './debugFixFlow';
import { loadAi } from './loadAi';

/** `rusty.debug.askModel`: ask (when a model is available), model, never. */
export const ASK_MODEL_SETTING = 'debug.askModel';
type AskMode = 'ask' | 'model' | 'never';

const cancelledError = () => Object.assign(new Error('Cancelled: nothing was queued and nothing was written.'), { name: 'RustyError', code: 'cancelled' });

export function askModelMode(ai: boolean | undefined, folder: vscode.Uri): AskMode {
  if (ai === true) return 'model';
  if (ai === false) return 'never';
  const v = vscode.workspace.getConfiguration('rusty', folder).get<string>(ASK_MODEL_SETTING);
  return v === 'model' || v === 'never' ? v : 'ask';
}

export interface AiFixOptions {
  label: string;
  ws: RustyWorkspace;
  core: RustyCore;
  report: DebugReport;
  test: FailingTest | undefined;
  /** From the command's `ai` argument (undefined: the setting). */
  ai: boolean | undefined;
  signal: AbortSignal;
  progress: vscode.Progress<{ message?: string }>;
  /** The failing test without and with the model's change (undefined when no test is known). */
  testRunFor?: (cs: ChangeSet) => Promise<TestRunRecord | undefined>;
}

async function plan(c: Container, context: vscode.ExtensionContext, o: AiFixOptions, explicit: boolean): Promise<DebugFix | undefined> {
  let planned: Awaited<ReturnType<ReturnType<typeof loadAi>['planDebugFix']>>;
  try {
    const ai = loadAi();
    planned = await ai.planDebugFix({
      core: o.core, secrets: c.secrets, settings: aiSettings(context, o.ws.folder.uri), extra: [ai.vscodeLmEntry()],
      report: o.report, ...(o.test ? { test: o.test } : {}), signal: o.signal, onWarning: (m) => c.log.warn(`AI: ${m}`),
    });
  } catch (err) {
    if (o.signal.aborted) throw cancelledError();
    c.log.warn(`${o.label}: no model for a fix (${(err as Error).message}); the explanation only.`);
    if (explicit) void vscode.window.showWarningMessage(`Rusty — ${o.label}: the model is not available (${(err as Error).message.slice(0, 200)}); the explanation only.`);
    return undefined;
  }
  if ('model' in planned) return planned;
  if ('unavailable' in planned) {
    c.log.info(`${o.label}: ${planned.unavailable} The explanation only.`);
    if (explicit) void vscode.window.showWarningMessage(`Rusty — ${o.label}: ${planned.unavailable.slice(0, 300)} The explanation only.`);
  } else if (explicit) {
    void vscode.window.showWarningMessage(`Rusty — ${o.label}: no AI model is configured, so only the explanation is shown. Set an API key ("Rusty: Set API Key…") or enable a VS Code language model to get a fix.`);
  }
  return undefined;
}

/** Ask the model, or the explanation only; Escape keeps the explanation. */
async function pick(o: AiFixOptions, fix: DebugFix): Promise<boolean> {
  const items: (vscode.QuickPickItem & { ask: boolean })[] = [
    { label: `$(sparkle) Ask ${fix.model} for a fix`, description: o.test ? `then run ${o.test.file} without and with it` : 'validated before it is queued', detail: 'The trace and the failing code are sent to the model; its change is checked like "Rusty: Ask…" and queued for review.', ask: true },
    { label: '$(info) Explanation only', description: 'TypeScript offers no fix here', detail: 'The frames and the kind of failure; nothing is sent to a model.', ask: false },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Rusty: ${o.label} — no TypeScript fix at ${o.report.focus?.file ?? ''}:${o.report.focus?.line ?? ''}`,
    placeHolder: `Ask a model for a fix? (setting rusty.${ASK_MODEL_SETTING} skips this question)`, ignoreFocusOut: true,
  });
  return !!picked?.ask;
}

/**
 * The model's fix, queued (with the failing test's runs when known), or undefined: no model, the
 * user chose the explanation, or the setting says never. A cancel throws `cancelled`.
 */
export async function aiFixForTrace(c: Container, context: vscode.ExtensionContext, o: AiFixOptions): Promise<DebugFixResult | undefined> {
  if (o.report.fix || !o.report.focus?.file) return undefined;
  const mode = askModelMode(o.ai, o.ws.folder.uri);
  if (mode === 'never') return undefined;
  o.progress.report({ message: 'TypeScript has no fix here; looking for a configured AI model…' });
  const fix = await plan(c, context, o, mode === 'model');
  if (!fix) return undefined;
  if (mode === 'ask') {
    o.progress.report({ message: 'ask the model or the explanation only? (choose in the list)' });
    if (!(await pick(o, fix))) return undefined;
  }
  if (o.signal.aborted) throw cancelledError();
  o.progress.report({ message: `asking ${fix.model} for a fix…` });
  const { debugFixProgressLine } = loadAi();
  let streamed = 0;
  let last = 0;
  const result = await fix.run({
    signal: o.signal,
    ...(o.testRunFor ? {
      testRunFor: (cs: ChangeSet) => {
        o.progress.report({ message: `running ${o.test!.file}${o.test!.name ? ` (${o.test!.name.slice(0, 80)})` : ''} on copies without and with the model's fix…` });
        return o.testRunFor!(cs);
      },
    } : {}),
    onEvent: (e) => {
      if (e.type === 'text') {
        streamed += e.text.length;
        if (Date.now() - last < 250) return;
        last = Date.now();
      }
      o.progress.report({ message: debugFixProgressLine(e, streamed) });
    },
    onSessionEvent: (e) => o.progress.report({ message: e.message.slice(0, 120) }),
  });
  if (o.signal.aborted) throw cancelledError();
  c.log.info(`${o.label}: ${result.proposal ? `${result.model} proposed a fix, ${result.proposal.existing ? 'already queued as' : 'queued as'} ${result.proposal.id}` : `${result.model} proposed no fix (${result.error ?? ''})`}.`);
  return result;
}
