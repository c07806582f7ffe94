// AI in VS Code: "Rusty: Ask…", "Rusty: Set API Key…", "Rusty: Clear API Key…" and the "AI Models"
// view, registered like src/extension/mcp/commands.ts (a handler table keyed by the typed ids;
// handlers never reject into VS Code). Nothing here loads the SDKs: "Ask…" loads dist/ai.js.
//
// Every command also takes one plain object so tests and other extensions can skip the prompts:
//   ask:         { task, scope?: 'selection' | 'file' | 'workspace', file?: 'src/a.ts', uri?,
//                  provider?, model?, candidates?, maxRounds?, open?: boolean,
//                  thread?: 'id' (a follow-up: the thread's earlier questions and proposals go
//                  with it), mcp?: false (no MCP tools even when servers are configured) }
//   setApiKey:   { vendor: 'anthropic' | 'openai' | 'gemini', key }
//   clearApiKey: { vendor }
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { SpendLedger } from '../../core/ai/budget/ledger';
import { MetricsStore } from '../../core/ai/metrics/store';
import { readAiSettings } from '../../core/ai/router/settings';
import { PROVIDER_IDS, type ProviderId } from '../../core/ai/types';
import { AiCommands, Views } from '../commands/ids';
import type { Container } from '../container';
import type { RustyWorkspace } from '../workspace/rustyWorkspace';
import { describeAiError, describeCandidateFailure } from './aiErrors';
import { AskProgress } from './askProgress';
import { KEY_VENDORS, keyProblem, keyVendor } from './keys';
import { loadAi } from './loadAi';
import { samplingHooks } from './samplingPrompt';
import { statsRows, type StatsRow } from './statsModel';
import { AiStatsWatch } from './statsWatch';

type Handler = (...args: unknown[]) => Promise<unknown>;

export type AskScope = 'selection' | 'file' | 'workspace';

export interface AskCommandArgs {
  task?: string;
  scope?: AskScope;
  file?: string;
  uri?: vscode.Uri | string;
  provider?: string;
  model?: string;
  candidates?: number;
  maxRounds?: number;
  /** Open the review panel (default true). */
  open?: boolean;
  /** Continue this conversation (the result of an earlier ask names its thread). */
  thread?: string;
  /** Offer the configured MCP servers' tools to the model (default true; through the permission gate). */
  mcp?: boolean;
  /** In-process callers (tests, other extensions) can stop the model with a CancellationToken. */
  token?: vscode.CancellationToken;
}

/** What "Rusty: Ask…" returns to a caller (tests, other extensions). */
export interface AskCommandResult {
  created: string[];
  existing: string[];
  /** Each proposal with its source, best first. */
  proposals: { id: string; source: string; rank?: number; score?: number }[];
  route?: string;
  /** The model's answer when it proposed no change. */
  answer?: string;
  /** The conversation this ask belongs to: pass it as `thread` to ask a follow-up. */
  thread?: string;
  /** MCP tools offered to the model ("server/tool"). */
  mcpTools?: string[];
  error?: { code: string; message: string };
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !(v instanceof vscode.Uri) ? (v as Record<string, unknown>) : {};
}

function isToken(v: unknown): v is vscode.CancellationToken {
  return !!v && typeof v === 'object' && typeof (v as { onCancellationRequested?: unknown }).onCancellationRequested === 'function';
}

export function askArgs(arg: unknown): AskCommandArgs {
  if (arg instanceof vscode.Uri) return { uri: arg };
  const a = record(arg);
  const str = (k: string): string | undefined => (typeof a[k] === 'string' && (a[k] as string).trim() ? (a[k] as string) : undefined);
  const int = (k: string): number | undefined => (typeof a[k] === 'number' && Number.isInteger(a[k]) && (a[k] as number) > 0 ? (a[k] as number) : undefined);
  const scope = a.scope === 'selection' || a.scope === 'file' || a.scope === 'workspace' ? a.scope : undefined;
  const uri = a.uri instanceof vscode.Uri ? a.uri : str('uri');
  return {
    ...(str('task') ? { task: str('task')! } : {}), ...(scope ? { scope } : {}), ...(str('file') ? { file: str('file')! } : {}),
    ...(uri ? { uri } : {}), ...(str('provider') ? { provider: str('provider')! } : {}), ...(str('model') ? { model: str('model')! } : {}),
    ...(int('candidates') ? { candidates: Math.min(int('candidates')!, 5) } : {}), ...(int('maxRounds') ? { maxRounds: int('maxRounds')! } : {}),
    ...(typeof a.open === 'boolean' ? { open: a.open } : {}),
    ...(str('thread') ? { thread: str('thread')! } : {}),
    ...(typeof a.mcp === 'boolean' ? { mcp: a.mcp } : {}),
    ...(isToken(a.token) ? { token: a.token } : {}),
  };
}

/** The `rusty.ai.*` settings of a folder, flat, as the core reads them (keys from package.json). */
export function aiSettings(context: vscode.ExtensionContext, folder: vscode.Uri | undefined): Record<string, unknown> {
  const props = (context.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, unknown> } } }).contributes?.configuration?.properties ?? {};
  const cfg = vscode.workspace.getConfiguration('rusty', folder);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(props)) {
    if (!key.startsWith('rusty.ai.')) continue;
    const value = cfg.get(key.slice('rusty.'.length));
    if (value !== undefined) out[key] = value;
  }
  return out;
}

class AiStatsTree implements vscode.TreeDataProvider<StatsRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Metrics or spend written by the CLI, another window or sampling: the view redraws itself. */
  private readonly watch: AiStatsWatch;
  /** Redraws caused by the state folder (for the host test). */
  autoRefreshes = 0;

  constructor(private readonly c: Container, private readonly context: vscode.ExtensionContext) {
    this.watch = new AiStatsWatch(() => {
      this.autoRefreshes++;
      this.refresh();
    }, { log: c.log });
  }

  refresh(): void {
    this.changed.fire();
  }

  async rows(): Promise<StatsRow[]> {
    const ws = this.c.current();
    if (!ws) return [{ id: 'none', label: 'Open a folder to see its AI usage', icon: 'info' }];
    const core = await ws.core();
    this.watch.watch(core.paths.ai);
    const warn = (m: string): void => this.c.log.warn(`AI stats: ${m}`);
    const { settings } = readAiSettings(aiSettings(this.context, ws.folder.uri));
    return statsRows(new MetricsStore(core.paths.ai, { onWarning: warn }).stats(), new SpendLedger(core.paths.ai, { onWarning: warn }).day(), settings.budget);
  }

  getTreeItem(row: StatsRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, row.children?.length ? (row.id.startsWith('provider:') ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    if (row.description) item.description = row.description;
    if (row.tooltip) item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    return item;
  }

  async getChildren(row?: StatsRow): Promise<StatsRow[]> {
    if (row) return row.children ?? [];
    try {
      return await this.rows();
    } catch (err) {
      return [{ id: 'error', label: 'AI usage could not be read', description: (err as Error).message, icon: 'error' }];
    }
  }

  dispose(): void {
    this.watch.dispose();
    this.changed.dispose();
  }
}

export function registerAi(c: Container, context: vscode.ExtensionContext): vscode.Disposable[] {
  const tree = new AiStatsTree(c, context);
  const view = vscode.window.createTreeView(Views.aiModels, { treeDataProvider: tree });
  // MCP servers' sampling requests go to the same runtime (router, budgets, VS Code's models).
  c.mcpHost?.setSampling((folder, stateDir) => samplingHooks({ log: c.log, secrets: c.secrets, settings: (f) => aiSettings(context, f.uri) }, folder, stateDir));

  const showError = (err: unknown): void => {
    const e = describeAiError(err);
    c.log[e.level === 'info' ? 'info' : 'error'](`AI: ${e.message}`);
    if (e.kind === 'internal' && err instanceof Error && err.stack) c.log.error(err.stack);
    const show = e.level === 'info' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    void show(`Rusty: ${e.message}`, ...e.actions).then(async (pick) => {
      if (pick === 'Set API Key…') await vscode.commands.executeCommand(AiCommands.setApiKey);
      else if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', e.setting ?? 'rusty.ai');
      else if (pick === 'Show Log') c.log.show(true);
    });
  };

  /** The multi-step quick input: task → scope → provider/model and candidates. */
  const promptAsk = async (given: AskCommandArgs): Promise<AskCommandArgs | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const task = given.task ?? await vscode.window.showInputBox({
      title: 'Rusty: Ask… (1/3)', prompt: 'What should the model do? Its answer becomes a proposal you review; nothing is written before you approve.',
      placeHolder: 'e.g. Fix the off-by-one error in paginate()', ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Describe the task.'),
    });
    if (!task?.trim()) return undefined;
    let scope = given.scope;
    if (!scope && !given.file && !given.uri) {
      const items: (vscode.QuickPickItem & { scope: AskScope })[] = [
        ...(editor && !editor.selection.isEmpty ? [{ label: '$(selection) Selection', description: `lines ${editor.selection.start.line + 1}-${editor.selection.end.line + 1} of ${vscode.workspace.asRelativePath(editor.document.uri)}`, scope: 'selection' as const }] : []),
        ...(editor ? [{ label: '$(file) Current file', description: vscode.workspace.asRelativePath(editor.document.uri), scope: 'file' as const }] : []),
        { label: '$(root-folder) Workspace', description: 'the model finds the files with its read-only tools', scope: 'workspace' },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Rusty: Ask… (2/3) — what is it about?', ignoreFocusOut: true });
      if (!picked) return undefined;
      scope = picked.scope;
    }
    let { provider, model, candidates } = given;
    if (!given.task) {
      const how = await vscode.window.showQuickPick([
        { label: '$(play) Ask', description: 'the router chooses the model and explains why', how: 'ask' as const },
        { label: '$(server) Choose a provider or model…', how: 'model' as const },
        { label: '$(versions) Competing candidates…', description: 'several answers, scored side by side', how: 'candidates' as const },
      ], { title: 'Rusty: Ask… (3/3)', ignoreFocusOut: true });
      if (!how) return undefined;
      if (how.how === 'model') {
        const picked = await pickModel();
        if (!picked) return undefined;
        ({ provider, model } = picked);
      } else if (how.how === 'candidates') {
        const n = await vscode.window.showQuickPick(['2', '3', '4'].map((label) => ({ label, description: `${label} answers (other providers first, then more samples)` })), { title: 'Rusty: Ask… — how many candidates?' });
        if (!n) return undefined;
        candidates = Number(n.label);
      }
    }
    return { ...given, task: task.trim(), ...(scope ? { scope } : {}), ...(provider ? { provider } : {}), ...(model ? { model } : {}), ...(candidates ? { candidates } : {}) };
  };

  const pickModel = async (): Promise<{ provider: string; model?: string } | undefined> => {
    const ws = c.requireCurrent();
    const engine = loadAi();
    const { AiRuntime } = engine;
    const core = await ws.core();
    const runtime = new AiRuntime({ aiDir: core.paths.ai, secrets: c.secrets, settings: aiSettings(context, ws.folder.uri), extra: [engine.vscodeLmEntry()], probeLocal: true, onWarning: (m) => c.log.warn(`AI: ${m}`) });
    const entries = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Rusty: listing models…' }, () => runtime.catalog().entries());
    const items: (vscode.QuickPickItem & { provider?: string; model?: string })[] = [];
    for (const e of entries) {
      items.push({ label: e.name ?? e.id, kind: vscode.QuickPickItemKind.Separator });
      if (!e.configured) {
        items.push({ label: `$(circle-slash) ${e.label}`, description: e.detail ?? 'not configured' });
        continue;
      }
      items.push({ label: `$(server) Any ${e.label} model`, provider: e.id });
      for (const m of e.models) items.push({ label: m.model, description: m.contextWindow ? `${Math.round(m.contextWindow / 1000)}k context` : '', provider: e.id, model: m.model });
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'Rusty: Ask… — provider or model', matchOnDescription: true });
    return picked?.provider ? { provider: picked.provider, ...(picked.model ? { model: picked.model } : {}) } : undefined;
  };

  /** The workspace, files and selection an ask is about. */
  const scopeOf = (a: AskCommandArgs): { ws: RustyWorkspace; files: string[]; selection?: { path: string; startLine: number; endLine: number; text: string }; label: string } => {
    const editor = vscode.window.activeTextEditor;
    const uri = a.uri ? (typeof a.uri === 'string' ? vscode.Uri.parse(a.uri) : a.uri) : undefined;
    const ws = uri ? c.workspaceFor(uri) : c.requireCurrent();
    if (!ws) throw Object.assign(new Error(`${uri!.fsPath} is not in a local workspace folder.`), { name: 'RustyError', code: 'usage' });
    const fileRel = a.file ?? (uri ? ws.rel(uri) : undefined);
    if (a.scope === 'workspace') return { ws, files: [], label: 'workspace' };
    if (fileRel) return { ws, files: [fileRel], label: fileRel };
    if (!editor) {
      if (a.scope) throw Object.assign(new Error(`Open a file to ask about the ${a.scope === 'selection' ? 'selection' : 'current file'}, or choose the workspace.`), { name: 'RustyError', code: 'usage' });
      return { ws, files: [], label: 'workspace' };
    }
    const rel = ws.rel(editor.document.uri);
    if (!rel) throw Object.assign(new Error('The active editor is not a file of this workspace folder.'), { name: 'RustyError', code: 'usage' });
    if (a.scope === 'selection' && !editor.selection.isEmpty) {
      const s = editor.selection;
      return { ws, files: [rel], selection: { path: rel, startLine: s.start.line + 1, endLine: s.end.line + 1, text: editor.document.getText(s) }, label: `selection in ${rel} (lines ${s.start.line + 1}-${s.end.line + 1})` };
    }
    return { ws, files: [rel], label: rel };
  };

  /**
   * The MCP service of the ask's folder with its servers started, when servers are configured
   * there; its calls go through the permission gate (the modal prompt). None: the model gets only
   * the built-in read-only tools.
   */
  const mcpFor = async (ws: RustyWorkspace, report: (m: string) => void) => {
    const host = c.mcpHost;
    if (!host || host.folder()?.uri.toString() !== ws.folder.uri.toString()) return undefined;
    try {
      const service = await host.service();
      if (!service.servers().length) return undefined;
      report('starting MCP servers…');
      await service.start();
      if (service.tools().length) return service;
      c.log.warn(`AI: the MCP servers offer no tools (${service.servers().map((s) => `${s.name}: ${s.status}`).join(', ')}); the model gets the built-in tools only.`);
      return undefined;
    } catch (err) {
      c.log.warn(`AI: MCP tools are not offered: ${(err as Error).message}`);
      return undefined;
    }
  };

  const runAskCommand = async (arg: unknown): Promise<AskCommandResult> => {
    const none = (code: string, message: string): AskCommandResult => ({ created: [], existing: [], proposals: [], error: { code, message } });
    const prompted = await promptAsk(askArgs(arg));
    if (!prompted?.task) return none('cancelled', 'Nothing was asked.');
    let scope: ReturnType<typeof scopeOf>;
    try {
      scope = scopeOf(prompted);
    } catch (err) {
      showError(err);
      return none('usage', (err as Error).message);
    }
    const { ws } = scope;
    if (prompted.provider && !(PROVIDER_IDS as readonly string[]).includes(prompted.provider)) {
      const message = `Unknown provider "${prompted.provider}": use one of ${PROVIDER_IDS.join(', ')}.`;
      showError(Object.assign(new Error(message), { name: 'RustyError', code: 'usage' }));
      return none('usage', message);
    }
    // Every ask is a thread: the result names it, and a follow-up passes it back.
    const thread = prompted.thread ?? `vscode-${randomUUID().slice(0, 8)}`;
    const progress = new AskProgress(prompted.task, scope.label);
    const abort = new AbortController();
    const open = prompted.open !== false;
    const panel = open ? c.reviewPanels.openAsking(progress, () => abort.abort()) : undefined;
    const external = prompted.token?.onCancellationRequested(() => {
      progress.cancelling();
      abort.abort();
    });
    c.approvals.setBusy('Asking the model…');
    let mcpTools: string[] | undefined;
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Rusty: asking the model', cancellable: true }, async (p, token) => {
        const sub = token.onCancellationRequested(() => {
          progress.cancelling();
          abort.abort();
        });
        const off = progress.onChange(() => {
          const last = progress.view().events.at(-1);
          if (last) p.report({ message: last.message.slice(0, 120) });
        });
        try {
          const mcp = prompted.mcp === false ? undefined : await mcpFor(ws, (m) => p.report({ message: m }));
          p.report({ message: 'choosing a model…' });
          const engine = loadAi();
          const core = await ws.core();
          if (mcp) mcpTools = mcp.tools().map((t) => `${t.server}/${t.name}`);
          return await engine.runAsk({
            core, secrets: c.secrets, settings: aiSettings(context, ws.folder.uri), extra: [engine.vscodeLmEntry()],
            task: prompted.task!, files: scope.files, ...(scope.selection ? { selection: scope.selection } : {}),
            ...(prompted.provider || prompted.model ? { override: { ...(prompted.provider ? { provider: prompted.provider as ProviderId } : {}), ...(prompted.model ? { model: prompted.model } : {}) } } : {}),
            ...(prompted.candidates ? { candidates: prompted.candidates } : {}),
            ...(prompted.maxRounds ? { maxRounds: prompted.maxRounds } : {}),
            thread, ...(mcp ? { mcp } : {}),
            signal: abort.signal,
            onRoute: (rationale, models) => progress.route(rationale, models),
            onAgentEvent: (i, e) => progress.agent(i, e),
            onSessionEvent: (i, e) => progress.session(i, e),
            onWarning: (m) => {
              c.log.warn(`AI: ${m}`);
              progress.warning(m);
            },
          });
        } finally {
          sub.dispose();
          off();
        }
      });
      ws.refresh();
      tree.refresh();
      const withProposal = result.candidates.filter((x) => x.proposal).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
      const out: AskCommandResult = {
        created: withProposal.filter((x) => !x.existing).map((x) => x.proposal!.id),
        existing: withProposal.filter((x) => x.existing).map((x) => x.proposal!.id),
        proposals: withProposal.map((x) => ({ id: x.proposal!.id, source: x.proposal!.source, ...(x.rank !== undefined ? { rank: x.rank } : {}), ...(x.score !== undefined ? { score: x.score } : {}) })),
        route: result.route,
        ...(result.answer !== undefined ? { answer: result.answer } : {}),
        thread,
        ...(mcpTools ? { mcpTools } : {}),
      };
      const followUp = (): void => {
        void vscode.window.showInformationMessage(`Rusty: ${result.answer !== undefined ? 'the model answered' : 'the proposal is ready for review'}. Ask a follow-up on the same conversation?`, 'Ask a Follow-up…').then((pick) => {
          if (pick) void vscode.commands.executeCommand(AiCommands.ask, { thread, ...(scope.files.length === 1 ? { file: scope.files[0] } : { scope: 'workspace' }) });
        });
      };
      const failed = result.candidates.filter((x) => x.error).map((x) => `candidate ${x.index} (${x.provider}/${x.model}): ${x.error}`);
      for (const f of failed) c.log.warn(`AI: ${f}`);
      if (withProposal.length) {
        c.log.info(`AI: queued ${out.proposals.map((x) => `${x.id} (${x.source})`).join(', ')} for "${prompted.task}".`);
        if (panel) panel.showProposal(withProposal[0]!.proposal!.id, ws);
        if (failed.length) void vscode.window.showWarningMessage(`Rusty: ${failed.length} candidate${failed.length === 1 ? '' : 's'} produced no proposal: ${failed.join('; ')}`);
        if (!prompted.token) followUp();
      } else if (result.answer !== undefined) {
        progress.finish('answered', result.answer);
        panel?.flush();
        if (!prompted.token) followUp();
      } else {
        const why = failed.join('; ') || 'the model proposed no change.';
        progress.finish('no-change', why);
        panel?.flush();
        // A budget refusal or a key problem keeps its button ("Open Settings" on the cap, "Set API Key…").
        const f = describeCandidateFailure(why);
        void vscode.window.showWarningMessage(`Rusty: nothing was proposed: ${why}`, ...f.actions).then(async (pick) => {
          if (pick === 'Set API Key…') await vscode.commands.executeCommand(AiCommands.setApiKey);
          else if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', f.setting ?? 'rusty.ai');
          else if (pick === 'Show Log') c.log.show(true);
        });
        out.error = { code: f.kind, message: why };
      }
      return out;
    } catch (err) {
      tree.refresh();
      const e = describeAiError(err);
      progress.finish(e.kind === 'cancelled' ? 'cancelled' : 'failed', e.message);
      panel?.flush();
      showError(err);
      return none(e.kind, e.message);
    } finally {
      external?.dispose();
      c.approvals.setBusy(undefined);
    }
  };

  const handlers: Record<keyof typeof AiCommands, Handler> = {
    ask: runAskCommand,

    setApiKey: async (arg) => {
      const a = record(arg);
      let vendor = keyVendor(a.vendor);
      if (!vendor) {
        const stored = await Promise.all(KEY_VENDORS.map(async (v) => !!(await c.secrets.get(v.secret))));
        const picked = await vscode.window.showQuickPick(KEY_VENDORS.map((v, i) => ({ label: v.label, description: stored[i] ? 'a key is stored (it will be replaced)' : `or ${v.env} for the CLI`, vendor: v })), { title: 'Rusty: Set API Key…', placeHolder: 'Which provider is the key for?' });
        if (!picked) return undefined;
        vendor = picked.vendor;
      }
      const v = vendor;
      const key = typeof a.key === 'string' ? a.key : await vscode.window.showInputBox({
        title: `Rusty: API key for ${v.label}`, prompt: 'Stored in VS Code\'s secret storage (the OS keychain), never in settings, logs or proposals.',
        placeHolder: v.example, password: true, ignoreFocusOut: true, validateInput: (value) => keyProblem(v.id, value),
      });
      if (key === undefined) return undefined;
      const problem = keyProblem(v.id, key);
      if (problem) {
        void vscode.window.showErrorMessage(`Rusty: the key was not stored: ${problem}`);
        return { vendor: v.id, stored: false, error: problem };
      }
      await c.secrets.store(v.secret, key.trim());
      c.log.info(`AI: an API key for ${v.id} was stored in the secret storage.`);
      void vscode.window.showInformationMessage(`Rusty: the ${v.label} key is stored in VS Code's secret storage.`);
      return { vendor: v.id, stored: true };
    },

    clearApiKey: async (arg) => {
      const a = record(arg);
      let vendor = keyVendor(a.vendor);
      if (!vendor) {
        const stored = (await Promise.all(KEY_VENDORS.map(async (v) => ((await c.secrets.get(v.secret)) ? v : undefined)))).filter((v) => !!v);
        if (!stored.length) {
          void vscode.window.showInformationMessage('Rusty: no API key is stored.');
          return { cleared: false };
        }
        const picked = await vscode.window.showQuickPick(stored.map((v) => ({ label: v.label, vendor: v })), { title: 'Rusty: Clear API Key…' });
        if (!picked) return undefined;
        vendor = picked.vendor;
      }
      const had = !!(await c.secrets.get(vendor.secret));
      await c.secrets.delete(vendor.secret);
      if (had) c.log.info(`AI: the API key for ${vendor.id} was removed from the secret storage.`);
      if (!a.vendor) void vscode.window.showInformationMessage(`Rusty: the ${vendor.label} key was removed.`);
      return { vendor: vendor.id, cleared: had };
    },

    // `{ peek: true }`: how often the view redrew itself for a state-folder change (tests).
    refreshStats: async (arg) => {
      if (record(arg).peek === true) return { autoRefreshes: tree.autoRefreshes };
      tree.refresh();
      return tree.rows();
    },
  };

  const wrap = (id: string, handler: Handler) => async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      showError(err);
      c.log.error(`${id} failed: ${(err as Error).message}`);
      return undefined;
    }
  };

  return [
    tree,
    view,
    ...Object.entries(handlers).map(([key, handler]) => {
      const id = AiCommands[key as keyof typeof AiCommands];
      return vscode.commands.registerCommand(id, wrap(id, handler));
    }),
  ];
}
